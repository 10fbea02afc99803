import { describe, expect, it } from 'vitest';
import { isTimeZone, localSecondsOfDay, quietUntil } from '#shared/campaigns/quiet-hours.ts';

const shanghai = { start: '21:00', end: '09:00', timeZone: 'Asia/Shanghai' };

describe('quiet hours', () => {
  it('holds messages overnight in the shop’s time zone (window across midnight)', () => {
    // 14:30 UTC = 22:30 in Shanghai: quiet until 09:00 local = 01:00 UTC next day.
    expect(quietUntil(new Date('2026-03-10T14:30:00Z'), shanghai)?.toISOString()).toBe('2026-03-11T01:00:00.000Z');
    // 23:30 UTC = 07:30 local: quiet for 1.5 h more.
    expect(quietUntil(new Date('2026-03-10T23:30:00Z'), shanghai)?.toISOString()).toBe('2026-03-11T01:00:00.000Z');
  });

  it('lets messages through during the day and at the exact end of the window', () => {
    expect(quietUntil(new Date('2026-03-10T04:00:00Z'), shanghai)).toBeUndefined();
    expect(quietUntil(new Date('2026-03-11T01:00:00Z'), shanghai)).toBeUndefined();
    expect(quietUntil(new Date('2026-03-10T12:59:59Z'), shanghai)).toBeUndefined();
    expect(quietUntil(new Date('2026-03-10T13:00:00Z'), shanghai)).toBeDefined();
  });

  it('supports same-day windows and second precision', () => {
    const lunch = { start: '12:00:00', end: '13:30:15', timeZone: 'UTC' };
    expect(quietUntil(new Date('2026-03-10T12:10:00Z'), lunch)?.toISOString()).toBe('2026-03-10T13:30:15.000Z');
    expect(quietUntil(new Date('2026-03-10T13:31:00Z'), lunch)).toBeUndefined();
    expect(quietUntil(new Date('2026-03-10T11:59:59Z'), lunch)).toBeUndefined();
  });

  it('is off without a window or with an empty one', () => {
    expect(quietUntil(new Date(), null)).toBeUndefined();
    expect(quietUntil(new Date(), { start: '08:00', end: '08:00', timeZone: 'UTC' })).toBeUndefined();
  });

  it('reads local time in other zones (New York in summer time)', () => {
    expect(localSecondsOfDay(new Date('2026-07-01T02:00:00Z'), 'America/New_York')).toBe(22 * 3600);
    expect(quietUntil(new Date('2026-07-01T02:00:00Z'), { start: '21:00', end: '08:00', timeZone: 'America/New_York' })?.toISOString()).toBe(
      '2026-07-01T12:00:00.000Z',
    );
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
