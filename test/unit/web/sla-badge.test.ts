import { describe, expect, test } from 'vitest';
import { badgeOf, type ClockLike, formatCountdown, headerClock, targetMinutes } from '../../../web/lib/sla.ts';

const now = Date.parse('2026-03-05T10:00:00Z');
const running = (minutesLeft: number, extra: Partial<ClockLike> = {}): ClockLike => ({
  metric: 'first_response',
  state: 'running',
  dueAt: new Date(now + minutesLeft * 60_000).toISOString(),
  ...extra,
});

describe('live SLA badge', () => {
  test('counts down to dueAt, turns amber inside the warning share of the target, red once due', () => {
    expect(badgeOf(running(30, { targetMinutes: 60 }), now)).toEqual({ tone: 'ok', ms: 30 * 60_000 });
    // 80 % warning: the last 12 of 60 minutes are amber
    expect(badgeOf(running(12, { targetMinutes: 60 }), now).tone).toBe('warn');
    expect(badgeOf(running(13, { targetMinutes: 60 }), now).tone).toBe('ok');
    expect(badgeOf(running(13, { targetMinutes: 60 }), now, 70).tone).toBe('warn');
    expect(badgeOf(running(-5, { targetMinutes: 60 }), now)).toEqual({ tone: 'breached', ms: 5 * 60_000 });
    expect(badgeOf(running(0), now).tone).toBe('breached');
  });

  test('a server warning or breach wins over the local arithmetic', () => {
    expect(badgeOf(running(40, { targetMinutes: 60, warnedAt: '2026-03-05T09:59:00Z' }), now).tone).toBe('warn');
    expect(badgeOf(running(40, { breachedAt: '2026-03-05T09:59:00Z' }), now).tone).toBe('breached');
  });

  test('without a target, the last 15 minutes are amber', () => {
    expect(badgeOf(running(15), now).tone).toBe('warn');
    expect(badgeOf(running(16), now).tone).toBe('ok');
  });

  test('paused clocks show paused (and whether they breached); stopped ones met or missed by how much', () => {
    expect(badgeOf({ metric: 'resolution', state: 'paused' }, now)).toEqual({ tone: 'paused' });
    expect(badgeOf({ metric: 'resolution', state: 'paused', breachedAt: 'x' }, now)).toEqual({ tone: 'paused', breached: true });
    expect(badgeOf({ metric: 'first_response', state: 'stopped', targetMinutes: 60, elapsedMinutes: 12.5 }, now)).toEqual({ tone: 'met' });
    expect(badgeOf({ metric: 'first_response', state: 'stopped', targetMinutes: 60, elapsedMinutes: 75 }, now)).toEqual({ tone: 'missed', ms: 15 * 60_000 });
    expect(badgeOf({ metric: 'first_response', state: 'stopped', breachedAt: 'x' }, now).tone).toBe('missed');
  });

  test('countdowns read m:ss, h:mm:ss, then days and hours; seconds round up while counting down', () => {
    expect(formatCountdown(0)).toBe('0:00');
    expect(formatCountdown(1)).toBe('0:01');
    expect(formatCountdown(59_001)).toBe('1:00');
    expect(formatCountdown(61 * 60_000 + 5_000)).toBe('1:01:05');
    expect(formatCountdown((2 * 24 + 3) * 3_600_000 + 1)).toBe('2d 3h');
    expect(formatCountdown(26 * 3_600_000, { d: '天', h: '小时' })).toBe('1天 2小时');
  });

  test('list rows use the header’s soonest clock; targets follow priority and tier overrides', () => {
    expect(headerClock({ breached: [] } as never)).toBeUndefined();
    expect(headerClock({ nextDueAt: '2026-03-05T11:00:00Z', nextMetric: 'resolution' })).toEqual({
      metric: 'resolution',
      state: 'running',
      dueAt: '2026-03-05T11:00:00Z',
    });
    const policy = { targets: { normal: { first_response: 60, resolution: 1080 } }, tierTargets: { gold: { normal: { first_response: 30 } } } };
    expect(targetMinutes(policy, 'normal', undefined, 'first_response')).toBe(60);
    expect(targetMinutes(policy, 'normal', 'gold', 'first_response')).toBe(30);
    expect(targetMinutes(policy, 'normal', 'gold', 'resolution')).toBe(1080);
    expect(targetMinutes(undefined, 'normal', 'gold', 'resolution')).toBeUndefined();
  });
});
