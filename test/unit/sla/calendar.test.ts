import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, addBusinessMinutes, businessMinutesBetween, type Calendar, isOpenAt, localDate, wallClockToUtc } from '#shared/sla/calendar.ts';

const weekday: [string, string] = ['09:00', '18:00'];
const shanghai: Calendar = {
  timeZone: 'Asia/Shanghai',
  days: { '1': weekday, '2': weekday, '3': weekday, '4': weekday, '5': weekday },
  holidays: ['2026-10-01', '2026-10-02'],
};
const newYork: Calendar = {
  timeZone: 'America/New_York',
  days: { '1': ['09:00', '17:00'], '2': ['09:00', '17:00'], '3': ['09:00', '17:00'], '4': ['09:00', '17:00'], '5': ['09:00', '17:00'] },
};
const at = (iso: string) => new Date(iso);

describe('business-hours calendar arithmetic', () => {
  it('canonical: created 17:55 with a 10-minute target and hours ending 18:00 → breach 09:05 next working day', () => {
    // Thursday 2026-11-26 17:55 in Shanghai is 09:55Z; Friday 09:05 Shanghai is 01:05Z.
    expect(addBusinessMinutes(at('2026-11-26T09:55:00Z'), 10, shanghai).toISOString()).toBe('2026-11-27T01:05:00.000Z');
  });
  it('skips the weekend: Friday 17:55 + 10 min → Monday 09:05', () => {
    expect(addBusinessMinutes(at('2026-11-27T09:55:00Z'), 10, shanghai).toISOString()).toBe('2026-11-30T01:05:00.000Z');
  });
  it('skips holidays: Wednesday 30 Sep 17:30 + 60 min → Monday 5 Oct 09:30 (1–2 Oct holidays, then a weekend)', () => {
    expect(addBusinessMinutes(at('2026-09-30T09:30:00Z'), 60, shanghai).toISOString()).toBe('2026-10-05T01:30:00.000Z');
  });
  it('a ticket created before opening starts counting at opening; one created at night waits for the morning', () => {
    expect(addBusinessMinutes(at('2026-11-26T00:00:00Z'), 30, shanghai).toISOString()).toBe('2026-11-26T01:30:00.000Z'); // 08:00 → 09:30
    expect(addBusinessMinutes(at('2026-11-26T14:00:00Z'), 30, shanghai).toISOString()).toBe('2026-11-27T01:30:00.000Z'); // 22:00 → 09:30
  });
  it('spans several working days: 2 business days of 9 h = 1080 min', () => {
    expect(addBusinessMinutes(at('2026-11-23T01:00:00Z'), 1080, shanghai).toISOString()).toBe('2026-11-24T10:00:00.000Z'); // Mon 09:00 → Tue 18:00
  });
  it('a target ending exactly at closing time is due at closing time', () => {
    expect(addBusinessMinutes(at('2026-11-26T09:50:00Z'), 10, shanghai).toISOString()).toBe('2026-11-26T10:00:00.000Z');
  });
  it('time zones: New York hours across the spring DST change (EST → EDT)', () => {
    // Friday 6 Mar 2026 16:30 EST = 21:30Z; 60 min → Monday 9 Mar 09:30 EDT = 13:30Z.
    expect(addBusinessMinutes(at('2026-03-06T21:30:00Z'), 60, newYork).toISOString()).toBe('2026-03-09T13:30:00.000Z');
    expect(wallClockToUtc('2026-03-09', 9 * 60, 'America/New_York')).toBe(Date.parse('2026-03-09T13:00:00Z'));
    expect(wallClockToUtc('2026-03-06', 9 * 60, 'America/New_York')).toBe(Date.parse('2026-03-06T14:00:00Z'));
  });
  it('the same instant is a different business day in another zone', () => {
    const instant = at('2026-11-26T23:30:00Z'); // Fri 07:30 Shanghai, Thu 18:30 New York
    expect(localDate(instant.getTime(), 'Asia/Shanghai')).toBe('2026-11-27');
    expect(localDate(instant.getTime(), 'America/New_York')).toBe('2026-11-26');
    expect(addBusinessMinutes(instant, 5, shanghai).toISOString()).toBe('2026-11-27T01:05:00.000Z');
    expect(addBusinessMinutes(instant, 5, newYork).toISOString()).toBe('2026-11-27T14:05:00.000Z'); // Fri 09:05 EST
  });
  it('elapsed business minutes exclude nights, weekends and holidays', () => {
    expect(businessMinutesBetween(at('2026-11-26T09:55:00Z'), at('2026-11-27T01:05:00Z'), shanghai)).toBe(10);
    expect(businessMinutesBetween(at('2026-11-27T09:00:00Z'), at('2026-11-30T02:00:00Z'), shanghai)).toBe(120); // Fri 17:00 → Mon 10:00
    expect(businessMinutesBetween(at('2026-09-30T09:30:00Z'), at('2026-10-05T01:30:00Z'), shanghai)).toBe(60);
    expect(businessMinutesBetween(at('2026-11-27T01:00:00Z'), at('2026-11-26T01:00:00Z'), shanghai)).toBe(0);
  });
  it('isOpenAt agrees with the opening interval', () => {
    expect(isOpenAt(shanghai, at('2026-11-26T01:00:00Z'))).toBe(true);
    expect(isOpenAt(shanghai, at('2026-11-26T10:00:00Z'))).toBe(false);
    expect(isOpenAt(shanghai, at('2026-10-01T03:00:00Z'))).toBe(false);
    expect(isOpenAt(ALWAYS_OPEN, at('2026-11-28T03:00:00Z'))).toBe(true);
  });
  it('a 24x7 calendar is plain clock time', () => {
    expect(addBusinessMinutes(at('2026-11-28T23:50:00Z'), 30, ALWAYS_OPEN).toISOString()).toBe('2026-11-29T00:20:00.000Z');
  });
  it('property: elapsed(start, start + n business minutes) = n, for any start and n, in two zones', () => {
    const start = fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(start, fc.integer({ min: 0, max: 5000 }), fc.constantFrom(shanghai, newYork), (s, n, cal) => {
        const due = addBusinessMinutes(s, n, cal);
        expect(Math.round(businessMinutesBetween(s, due, cal) * 1000) / 1000).toBe(n);
      }),
      { numRuns: 300 },
    );
  });
});
