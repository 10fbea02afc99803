/**
 * Quiet hours (pure): no campaign message is delivered between `start` and `end` local time in the
 * campaign's time zone. Windows may cross midnight (21:00 → 09:00). Times are `HH:MM` or `HH:MM:SS`.
 */

export interface QuietHours {
  start: string;
  end: string;
  /** IANA time zone, e.g. `Asia/Shanghai`. */
  timeZone: string;
}

const DAY_S = 86_400;

/** Seconds since local midnight of a `HH:MM[:SS]` string. */
export function secondsOfDay(hhmm: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/.exec(hhmm);
  if (!m) throw new Error(`invalid time of day: ${hhmm}`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Local seconds since midnight of an instant in a time zone. */
export function localSecondsOfDay(at: Date, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  return Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second);
}

/**
 * When the quiet window that contains `now` ends, or undefined when `now` is outside it (or there
 * are no quiet hours). The end is computed by elapsed seconds, so DST shifts move it by at most an hour.
 */
export function quietUntil(now: Date, quiet: QuietHours | null | undefined): Date | undefined {
  if (!quiet) return undefined;
  const start = secondsOfDay(quiet.start);
  const end = secondsOfDay(quiet.end);
  if (start === end) return undefined;
  const local = localSecondsOfDay(now, quiet.timeZone);
  const inside = start < end ? local >= start && local < end : local >= start || local < end;
  if (!inside) return undefined;
  const left = (end - local + DAY_S) % DAY_S;
  return new Date(Math.floor(now.getTime() / 1000) * 1000 + left * 1000);
}

/** True when the IANA time zone is known to this runtime. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}
