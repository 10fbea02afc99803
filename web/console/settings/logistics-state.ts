/**
 * The 催单 settings form (pure): the saved settings as form text, the screen's own checks (messages
 * in the reader's language next to their fields) and the body `PUT /logistics/settings` takes.
 */
import type { LogisticsSettingsBody } from '../../../shared/logistics/api.ts';
import type { LogisticsSettings } from '../../../shared/logistics/stall.ts';
import type { FieldError } from '../../lib/http.ts';
import type { Translate } from '../i18n.ts';

export type HoursKey = 'stallHours' | 'ticketHours' | 'dispatchHours' | 'dispatchTicketHours';
export const HOURS_KEYS: readonly HoursKey[] = ['stallHours', 'ticketHours', 'dispatchHours', 'dispatchTicketHours'];

export interface CarrierRow {
  carrier: string;
  stallHours: string;
  ticketHours: string;
}

export interface LogisticsForm extends Record<HoursKey, string> {
  enabled: boolean;
  carriers: CarrierRow[];
  /** '' = no apology coupon. */
  apologyPoolId: string;
}

export interface LogisticsView extends LogisticsSettings {
  bounds: { min: number; max: number };
}

/** The saved settings as form text. */
export function logisticsForm(s: LogisticsSettings): LogisticsForm {
  return {
    enabled: s.enabled,
    stallHours: String(s.stallHours),
    ticketHours: String(s.ticketHours),
    dispatchHours: String(s.dispatchHours),
    dispatchTicketHours: String(s.dispatchTicketHours),
    carriers: s.carriers.map((c) => ({ carrier: c.carrier, stallHours: String(c.stallHours), ticketHours: String(c.ticketHours) })),
    apologyPoolId: s.apologyPoolId ?? '',
  };
}

const whole = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v.trim()) : Number.NaN);

/** The screen's checks: whole hours within bounds, the ticket after the message, a named carrier once. */
export function logisticsProblems(form: LogisticsForm, bounds: { min: number; max: number }, t: Translate): FieldError[] {
  const problems: FieldError[] = [];
  const hours = (path: string, value: string) => {
    const n = whole(value);
    if (!(n >= bounds.min && n <= bounds.max)) problems.push({ path, message: t('lgsHoursInvalid', { min: bounds.min, max: bounds.max }) });
    return n;
  };
  const order = (path: string, stall: number, ticket: number) => {
    if (stall >= ticket) problems.push({ path, message: t('lgsTicketAfter') });
  };
  const stall = hours('stallHours', form.stallHours);
  const ticket = hours('ticketHours', form.ticketHours);
  order('ticketHours', stall, ticket);
  hours('dispatchHours', form.dispatchHours);
  hours('dispatchTicketHours', form.dispatchTicketHours);
  const seen = new Set<string>();
  form.carriers.forEach((row, i) => {
    const name = row.carrier.trim();
    if (!name) problems.push({ path: `carriers.${i}.carrier`, message: t('lgsCarrierRequired') });
    else if (seen.has(name.toLowerCase())) problems.push({ path: `carriers.${i}.carrier`, message: t('lgsCarrierTwice', { carrier: name }) });
    seen.add(name.toLowerCase());
    order(`carriers.${i}.ticketHours`, hours(`carriers.${i}.stallHours`, row.stallHours), hours(`carriers.${i}.ticketHours`, row.ticketHours));
  });
  return problems;
}

/** The body of a save (call after `logisticsProblems` found nothing). */
export function logisticsBody(form: LogisticsForm, version: number): LogisticsSettingsBody {
  return {
    version,
    enabled: form.enabled,
    stallHours: whole(form.stallHours),
    ticketHours: whole(form.ticketHours),
    dispatchHours: whole(form.dispatchHours),
    dispatchTicketHours: whole(form.dispatchTicketHours),
    carriers: form.carriers.map((c) => ({ carrier: c.carrier.trim(), stallHours: whole(c.stallHours), ticketHours: whole(c.ticketHours) })),
    ...(form.apologyPoolId ? { apologyPoolId: form.apologyPoolId } : {}),
  };
}
