import type { BusinessHours } from '#shared/store/shops.ts';

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Wall-clock date, ISO weekday and minutes since midnight of an instant in a time zone. */
export function localTime(at: Date, timeZone: string): { date: string; weekday: number; minutes: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS[parts.weekday as string] ?? 1,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether the shop is inside its business hours at an instant (holidays closed all day). */
export function isOpen(hours: BusinessHours, at: Date): boolean {
  const local = localTime(at, hours.timeZone);
  if (hours.holidays?.includes(local.date)) return false;
  const day = hours.days[String(local.weekday)];
  if (!day) return false;
  return local.minutes >= toMinutes(day[0]) && local.minutes < toMinutes(day[1]);
}
