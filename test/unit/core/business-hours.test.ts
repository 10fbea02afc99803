import { describe, expect, it } from 'vitest';
import { isOpen, localTime } from '#shared/domain/business-hours.ts';

const hours = {
  timeZone: 'Asia/Shanghai',
  days: { '1': ['09:00', '18:00'], '2': ['09:00', '18:00'], '3': ['09:00', '18:00'], '4': ['09:00', '18:00'], '5': ['09:00', '18:00'] } as Record<
    string,
    [string, string]
  >,
  holidays: ['2026-10-01'],
};

describe('business hours', () => {
  it('reads wall-clock time in the shop time zone', () => {
    expect(localTime(new Date('2026-11-26T01:30:00Z'), 'Asia/Shanghai')).toEqual({ date: '2026-11-26', weekday: 4, minutes: 570 });
  });
  it('is open inside hours and closed at the closing minute', () => {
    expect(isOpen(hours, new Date('2026-11-26T01:00:00Z'))).toBe(true); // Thu 09:00 Shanghai
    expect(isOpen(hours, new Date('2026-11-26T09:59:00Z'))).toBe(true); // 17:59
    expect(isOpen(hours, new Date('2026-11-26T10:00:00Z'))).toBe(false); // 18:00
    expect(isOpen(hours, new Date('2026-11-26T00:59:00Z'))).toBe(false); // 08:59
  });
  it('is closed on weekends and holidays', () => {
    expect(isOpen(hours, new Date('2026-11-28T03:00:00Z'))).toBe(false); // Saturday
    expect(isOpen(hours, new Date('2026-10-01T03:00:00Z'))).toBe(false); // holiday Thursday
  });
});
