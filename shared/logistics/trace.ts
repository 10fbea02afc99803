/**
 * Shipments and their trace (pure): what one shipment event changes, the shipment's state (its
 * newest step by the carrier's time, so a late older step never overwrites it), the words shoppers
 * and agents read, and the redaction of personal data carriers put in trace text (a courier's or
 * recipient's phone number, names, pickup codes): the bot, macros and the 360 show the redacted line.
 */
import type { ShipmentEvent } from '#shared/api/shop-events.ts';

export type Lang = 'zh' | 'en';
export type ShipmentStatus = 'created' | 'collected' | 'in_transit' | 'arrived' | 'out_for_delivery' | 'pending_pickup' | 'delivered' | 'exception';

/** One step of a parcel's journey. */
export interface TraceLine {
  eventId: string;
  at: string;
  status: ShipmentStatus;
  location?: string;
  description?: string;
}

/** The shipment item (`ORDER#{orderId}` / `SHIPMENT#{trackingNumber}`). */
export interface ShipmentRecord {
  orderId: string;
  trackingNumber: string;
  contactId: string;
  customerId: string;
  /** Unknown until `shipment.created` arrives (steps may come first). */
  carrier?: string;
  /** Earliest step seen (the contact's shipments sort by it). */
  shippedAt: string;
  /** The newest step by the carrier's time. */
  latest: TraceLine;
  status: ShipmentStatus;
  /** 催单 stage: the `latest.at` a care message / a ticket was raised for (a newer step starts over). */
  nudgedFor?: string;
  escalatedFor?: string;
  /** 0 before the first write. */
  version: number;
}

/** Lifecycle position: breaks ties between steps with the same time (delivery wins). */
const RANK: readonly ShipmentStatus[] = ['created', 'collected', 'in_transit', 'arrived', 'pending_pickup', 'out_for_delivery', 'exception', 'delivered'];

/** The trace step an event records. */
export function lineOf(event: ShipmentEvent): TraceLine {
  const d = event.data;
  const status: ShipmentStatus =
    event.type === 'shipment.updated'
      ? event.data.status
      : event.type === 'shipment.created'
        ? 'created'
        : event.type === 'shipment.delivered'
          ? 'delivered'
          : 'exception';
  return {
    eventId: event.eventId,
    at: new Date(d.at ?? event.occurredAt).toISOString(),
    status,
    ...(d.location ? { location: d.location } : {}),
    ...(d.description ? { description: d.description } : {}),
  };
}

/** Whether step `a` is newer than step `b` (carrier time, then lifecycle, then event id: a total order, so replays agree). */
export function newerThan(a: TraceLine, b: TraceLine): boolean {
  if (a.at !== b.at) return a.at > b.at;
  const ra = RANK.indexOf(a.status);
  const rb = RANK.indexOf(b.status);
  if (ra !== rb) return ra > rb;
  return a.eventId > b.eventId;
}

export interface ShipmentDecision {
  shipment: ShipmentRecord;
  line: TraceLine;
  /** The step became the shipment's state. */
  newest: boolean;
}

/** What one shipment event changes: the step is always added to the trace; the state follows the newest step only. */
export function decideShipment(prev: ShipmentRecord | undefined, event: ShipmentEvent, contactId: string): ShipmentDecision {
  const line = lineOf(event);
  const d = event.data;
  const base: ShipmentRecord = prev ?? {
    orderId: d.orderId,
    trackingNumber: d.trackingNumber,
    contactId,
    customerId: d.customerId,
    shippedAt: line.at,
    latest: line,
    status: line.status,
    version: 0,
  };
  const newest = !prev || newerThan(line, prev.latest);
  const carrier = event.type === 'shipment.created' ? d.carrier : (base.carrier ?? d.carrier);
  return {
    line,
    newest,
    shipment: {
      ...base,
      ...(carrier ? { carrier } : {}),
      shippedAt: base.shippedAt < line.at ? base.shippedAt : line.at,
      ...(newest ? { latest: line, status: line.status } : {}),
    },
  };
}

/** The trace newest first (as shoppers read it). */
export function sortTrace(lines: readonly TraceLine[]): TraceLine[] {
  return [...lines].sort((a, b) => (newerThan(a, b) ? -1 : newerThan(b, a) ? 1 : 0));
}

/** Statuses after which a parcel needs no chasing. */
export function settled(status: ShipmentStatus): boolean {
  return status === 'delivered';
}

export const STATUS_TEXT: Record<ShipmentStatus, { zh: string; en: string }> = {
  created: { zh: '已发货', en: 'Shipped' },
  collected: { zh: '已揽收', en: 'Picked up by the carrier' },
  in_transit: { zh: '运输中', en: 'In transit' },
  arrived: { zh: '已到达网点', en: 'Arrived at a depot' },
  out_for_delivery: { zh: '派送中', en: 'Out for delivery' },
  pending_pickup: { zh: '待取件', en: 'Ready for pickup' },
  delivered: { zh: '已签收', en: 'Delivered' },
  exception: { zh: '物流异常', en: 'Delivery problem' },
};

const MASK = '***';
/** Phone numbers (mobile with or without +86 and separators, landlines, 400/800 lines), e-mail addresses, ID card numbers, long digit runs. */
const PHONE_LIKE = [
  /(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}/g,
  /\b0\d{2,3}[\s-]?\d{7,8}\b/g,
  /\b[48]00[\s-]?\d{3}[\s-]?\d{4}\b/g,
  /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g,
  /\b\d{17}[\dXx]\b/g,
  /\d{7,}/g,
];
/** A person named after a role (派件员：张三, 签收人 李四, courier: Tom) or a pickup code. */
const PERSON_OR_CODE =
  /(派件员|派送员|快递员|配送员|揽收员|揽件员|收件员|业务员|快递小哥|签收人|收件人|联系人|取件码|提货码|courier|driver|signed by|recipient|pickup code)(\s*[:：]?\s*)([\u4e00-\u9fff·]{1,4}|[A-Za-z][A-Za-z.'-]*(?: [A-Z][A-Za-z.'-]*)?|[A-Za-z0-9-]{3,12})/gi;

/** Trace text without personal data: phone numbers, e-mail, names after a role and pickup codes become "***". */
export function redactTrace(text: string): string {
  let out = text.replace(PERSON_OR_CODE, (_all, role: string, sep: string) => `${role}${sep}${MASK}`);
  for (const pattern of PHONE_LIKE) out = out.replace(pattern, MASK);
  return out;
}

/** `2026-12-01 10:05` in the shop's time zone (China Standard Time). */
export function traceTime(at: string, timeZone = 'Asia/Shanghai'): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(at));
  return parts.replace(',', '');
}

/** One trace step in words, redacted: `2026-12-01 10:05 【深圳】快件已到达深圳转运中心`. */
export function lineText(line: TraceLine, lang: Lang): string {
  const where = line.location ? (lang === 'zh' ? `【${redactTrace(line.location)}】` : `[${redactTrace(line.location)}] `) : '';
  const what = line.description ? redactTrace(line.description) : STATUS_TEXT[line.status][lang];
  return `${traceTime(line.at)} ${where}${what}`;
}

/** The shipment in one line for a shopper or a macro: carrier, tracking number, status and the latest step. */
export function shipmentText(s: Pick<ShipmentRecord, 'carrier' | 'trackingNumber' | 'status' | 'latest'>, lang: Lang): string {
  const carrier = s.carrier ?? (lang === 'zh' ? '快递' : 'Parcel');
  return lang === 'zh'
    ? `${carrier} ${s.trackingNumber}（${STATUS_TEXT[s.status].zh}）：${lineText(s.latest, 'zh')}`
    : `${carrier} ${s.trackingNumber} (${STATUS_TEXT[s.status].en}): ${lineText(s.latest, 'en')}`;
}
