/**
 * 催单 rules (pure): when a quiet shipment or a late dispatch earns the shopper a care message and,
 * past a second threshold, a ticket for the logistics team. Thresholds are hours, per carrier where
 * a carrier needs its own; each stall is acted on once (its key is the step it went quiet after).
 */
import { type ShipmentRecord, settled } from './trace.ts';

export interface CarrierThresholds {
  carrier: string;
  stallHours: number;
  ticketHours: number;
}

export interface LogisticsSettings {
  /** Off: nothing is sent or opened (shipments are still tracked). */
  enabled: boolean;
  /** No trace step for this long: a care message to the shopper. */
  stallHours: number;
  /** No trace step for this long: a ticket for the logistics team. */
  ticketHours: number;
  /** A paid order must ship within this many hours unless the order says `dispatchBy`. */
  dispatchHours: number;
  /** This long past the promised dispatch time: a ticket. */
  dispatchTicketHours: number;
  /** Carriers that need their own stall thresholds (matched by name, case-insensitive). */
  carriers: CarrierThresholds[];
  /** A coupon pool whose codes go with the quiet-parcel message as an apology (none when absent). */
  apologyPoolId?: string;
  version: number;
}

export const DEFAULT_LOGISTICS_SETTINGS: LogisticsSettings = {
  enabled: true,
  stallHours: 48,
  ticketHours: 72,
  dispatchHours: 48,
  dispatchTicketHours: 24,
  carriers: [],
  version: 0,
};

const HOUR = 3_600_000;

/** The stall thresholds that apply to a carrier. */
export function thresholdsFor(settings: LogisticsSettings, carrier: string | undefined): { stallHours: number; ticketHours: number } {
  const own = carrier ? settings.carriers.find((c) => c.carrier.toLowerCase() === carrier.toLowerCase()) : undefined;
  return own ? { stallHours: own.stallHours, ticketHours: own.ticketHours } : { stallHours: settings.stallHours, ticketHours: settings.ticketHours };
}

/** The shortest quiet time any carrier is chased after (how far back the job reads the index). */
export function shortestStallHours(settings: LogisticsSettings): number {
  return Math.min(settings.stallHours, ...settings.carriers.map((c) => c.stallHours));
}

export interface StallVerdict {
  /** A care message is due (not sent yet for this stall). */
  care: boolean;
  /** A ticket is due (not opened yet for this stall). */
  ticket: boolean;
  /** Nothing more can happen for this stall: it may leave the index. */
  done: boolean;
  /** Identifies the stall: the step it went quiet after. */
  stallKey: string;
  hours: number;
}

/** What a shipment's silence calls for now. A delivered parcel needs nothing; a new trace step starts a new stall. */
export function stallVerdict(
  s: Pick<ShipmentRecord, 'orderId' | 'trackingNumber' | 'carrier' | 'status' | 'latest' | 'nudgedFor' | 'escalatedFor'>,
  settings: LogisticsSettings,
  now: Date,
): StallVerdict {
  const stallKey = `${s.orderId}#${s.trackingNumber}#${s.latest.at}`;
  const hours = Math.floor((now.getTime() - Date.parse(s.latest.at)) / HOUR);
  if (settled(s.status)) return { care: false, ticket: false, done: true, stallKey, hours };
  const limits = thresholdsFor(settings, s.carrier);
  const nudged = s.nudgedFor === s.latest.at;
  const escalated = s.escalatedFor === s.latest.at;
  const ticket = !escalated && hours >= limits.ticketHours;
  return {
    care: !nudged && !escalated && hours >= limits.stallHours && hours < limits.ticketHours,
    ticket,
    done: escalated || ticket,
    stallKey,
    hours,
  };
}

/** A paid, unshipped order being watched (`ORDER#{id}` / `DISPATCH`). */
export interface DispatchWatch {
  orderId: string;
  contactId: string;
  paidAt: string;
  dispatchBy?: string;
  nudged?: boolean;
}

/** When the order should have shipped. */
export function dispatchDueAt(w: Pick<DispatchWatch, 'paidAt' | 'dispatchBy'>, settings: LogisticsSettings): string {
  return w.dispatchBy ?? new Date(Date.parse(w.paidAt) + settings.dispatchHours * HOUR).toISOString();
}

/** What a late dispatch calls for now (`done`: the ticket is due, after which the watch ends). */
export function dispatchVerdict(
  w: DispatchWatch,
  settings: LogisticsSettings,
  now: Date,
): { care: boolean; ticket: boolean; done: boolean; hoursLate: number } {
  const late = now.getTime() - Date.parse(dispatchDueAt(w, settings));
  const hoursLate = Math.floor(late / HOUR);
  const ticket = late >= settings.dispatchTicketHours * HOUR;
  return { care: late >= 0 && !ticket && !w.nudged, ticket, done: ticket, hoursLate };
}
