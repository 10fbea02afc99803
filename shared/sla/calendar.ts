/**
 * Business-time arithmetic on calendars (weekly hours per ISO weekday, holidays, an IANA time zone).
 * A calendar has the same shape as a shop's business hours (shared/store/shops.ts), so the shop's
 * hours are a calendar as they stand. Everything here is pure and works in milliseconds; time zone
 * offsets (and their daylight-saving changes) come from Intl, so no zone table is bundled.
 */
import type { BusinessHours } from '#shared/store/shops.ts';

/** Weekly opening hours, holidays (local `YYYY-MM-DD`) and the zone they are read in. */
export type Calendar = BusinessHours;

/** A calendar that never closes: SLA targets measured in calendar time. */
export const ALWAYS_OPEN: Calendar = {
  timeZone: 'UTC',
  days: Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, ['00:00', '24:00'] as [string, string]])),
  holidays: [],
};

const MINUTE = 60_000;
const DAY_MS = 86_400_000;
/** How far a computation may walk before giving up (a calendar with no open day at all). */
const MAX_DAYS = 3 * 366;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall clock of an instant in a zone, as if that wall clock were UTC (ms). */
function wallAsUtc(instant: number, timeZone: string): number {
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) p[part.type] = part.value;
  const ms = instant - Math.floor(instant / 1000) * 1000;
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) + ms;
}

/** Local calendar date (`YYYY-MM-DD`) of an instant in a zone. */
export function localDate(at: number, timeZone: string): string {
  return new Date(wallAsUtc(at, timeZone)).toISOString().slice(0, 10);
}

/** The instant at which the wall clock in `timeZone` shows `date` + `minutes` (DST-aware). */
export function wallClockToUtc(date: string, minutes: number, timeZone: string): number {
  const naive = Date.parse(`${date}T00:00:00Z`) + minutes * MINUTE;
  let guess = naive - (wallAsUtc(naive, timeZone) - naive);
  guess = naive - (wallAsUtc(guess, timeZone) - guess);
  return guess;
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
const isoWeekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay() || 7;

/** The open interval [open, close) of a local date in UTC ms, or undefined when closed all day. */
export function openInterval(calendar: Calendar, date: string): [number, number] | undefined {
  if (calendar.holidays?.includes(date)) return undefined;
  const day = calendar.days[String(isoWeekday(date))];
  if (!day) return undefined;
  const open = toMinutes(day[0]);
  const close = toMinutes(day[1]);
  if (close <= open) return undefined;
  return [wallClockToUtc(date, open, calendar.timeZone), wallClockToUtc(date, close, calendar.timeZone)];
}

/** Whether the calendar is open at an instant. */
export function isOpenAt(calendar: Calendar, at: Date): boolean {
  const t = at.getTime();
  const interval = openInterval(calendar, localDate(t, calendar.timeZone));
  return !!interval && t >= interval[0] && t < interval[1];
}

/**
 * The instant `ms` of business time after `start`: time outside opening hours and on holidays does
 * not count. A target that ends exactly at closing time is due at closing time.
 */
export function addBusinessMs(start: Date, ms: number, calendar: Calendar): Date {
  let remaining = Math.max(0, ms);
  const t = start.getTime();
  if (remaining === 0) return new Date(t);
  let date = localDate(t, calendar.timeZone);
  for (let i = 0; i < MAX_DAYS; i++, date = nextDate(date)) {
    const interval = openInterval(calendar, date);
    if (!interval) continue;
    const from = Math.max(t, interval[0]);
    if (from >= interval[1]) continue;
    const available = interval[1] - from;
    if (remaining <= available) return new Date(from + remaining);
    remaining -= available;
  }
  throw new Error('calendar: no business time within three years (is every day closed?)');
}

/** Adds whole business minutes: the SLA target arithmetic (`created 17:55 + 10 min → 09:05`). */
export function addBusinessMinutes(start: Date, minutes: number, calendar: Calendar): Date {
  return addBusinessMs(start, minutes * MINUTE, calendar);
}

/** Business time between two instants in ms (0 when `to` is not after `from`). */
export function businessMsBetween(from: Date, to: Date, calendar: Calendar): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  let total = 0;
  const last = localDate(b, calendar.timeZone);
  let date = localDate(a, calendar.timeZone);
  for (let i = 0; i < MAX_DAYS + 1; i++, date = nextDate(date)) {
    const interval = openInterval(calendar, date);
    if (interval) total += Math.max(0, Math.min(b, interval[1]) - Math.max(a, interval[0]));
    if (date >= last) break;
  }
  return total;
}

/** Business minutes between two instants (fractional). */
export function businessMinutesBetween(from: Date, to: Date, calendar: Calendar): number {
  return businessMsBetween(from, to, calendar) / MINUTE;
}
