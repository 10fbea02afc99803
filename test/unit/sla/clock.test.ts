import { describe, expect, it } from 'vitest';
import type { Calendar } from '#shared/sla/calendar.ts';
import { elapsedMs, type MetricClock, markFired, timerIsLive } from '#shared/sla/clock.ts';
import { DEFAULT_POLICY, raisePriority, type SlaPolicy, targetsFor } from '#shared/sla/policy.ts';
import {
  deadlines,
  newDeadlines,
  onAgentReply,
  onCustomerMessage,
  onRetarget,
  onStatusChange,
  openClocks,
  type SlaContext,
  slaSummary,
} from '#shared/sla/ticket-sla.ts';

const weekday: [string, string] = ['09:00', '18:00'];
const calendar: Calendar = {
  timeZone: 'Asia/Shanghai',
  days: { '1': weekday, '2': weekday, '3': weekday, '4': weekday, '5': weekday },
  holidays: ['2026-12-25'],
};
const policy: SlaPolicy = {
  ...DEFAULT_POLICY,
  targets: {
    urgent: { first_response: 15, resolution: 120 },
    high: { first_response: 30, resolution: 240 },
    normal: { first_response: 60, next_response: 60, resolution: 540 },
    low: { first_response: 240, resolution: 1080 },
  },
};
const ctx = (over: Partial<SlaContext> = {}): SlaContext => ({ policy, calendar, priority: 'normal', tier: undefined, ...over });
/** Shanghai wall clock on 2026-11-26 (a Thursday) → Date. */
const sh = (hhmm: string, day = 26) => new Date(`2026-11-${String(day).padStart(2, '0')}T${hhmm}:00+08:00`);
const clock = (clocks: MetricClock[], metric: string) => clocks.find((c) => c.metric === metric)!;

describe('SLA clocks', () => {
  it('canonical: first response of 10 business minutes from 17:55 breaches at 09:05 next working day, warns at 80 % (09:03)', () => {
    const tenMinutes: SlaPolicy = { ...policy, targets: { ...policy.targets, normal: { first_response: 10 } } };
    const clocks = openClocks(ctx({ policy: tenMinutes }), sh('17:55'));
    const fr = clock(clocks, 'first_response');
    expect(fr.dueAt).toBe(sh('09:05', 27).toISOString());
    expect(fr.warnAt).toBe(sh('09:03', 27).toISOString());
    expect(deadlines(clocks).map((d) => [d.kind, d.dueAt])).toEqual([
      ['warn', sh('09:03', 27).toISOString()],
      ['breach', sh('09:05', 27).toISOString()],
    ]);
  });

  it('pending pauses the clock and keeps consumed time; reopening continues from there', () => {
    let clocks = openClocks(ctx(), sh('10:00'));
    clocks = onStatusChange(clocks, 'new', 'pending', sh('10:20'), calendar);
    const paused = clock(clocks, 'first_response');
    expect(paused.state).toBe('paused');
    expect(paused.dueAt).toBeUndefined();
    expect(paused.consumedMs).toBe(20 * 60_000);
    expect(deadlines(clocks)).toEqual([]);
    clocks = onStatusChange(clocks, 'pending', 'open', sh('14:00'), calendar);
    const resumed = clock(clocks, 'first_response');
    expect(resumed.dueAt).toBe(sh('14:40').toISOString());
    expect(resumed.timerVersion).toBe(paused.timerVersion + 1);
    expect(elapsedMs(resumed, sh('14:10'), calendar)).toBe(30 * 60_000);
  });

  it('a pause across the night and a holiday: paused 17:50 Thu 24 Dec, resumed Mon 28 Dec 09:00', () => {
    let clocks = openClocks(ctx(), new Date('2026-12-24T17:00:00+08:00'));
    clocks = onStatusChange(clocks, 'open', 'on_hold', new Date('2026-12-24T17:50:00+08:00'), calendar);
    clocks = onStatusChange(clocks, 'on_hold', 'open', new Date('2026-12-28T09:00:00+08:00'), calendar);
    expect(clock(clocks, 'first_response').dueAt).toBe(new Date('2026-12-28T09:10:00+08:00').toISOString());
  });

  it('the first agent reply stops first response; a customer message then starts next response; the next reply stops it', () => {
    let clocks = openClocks(ctx(), sh('10:00'));
    clocks = onAgentReply(clocks, sh('10:12'), calendar);
    const fr = clock(clocks, 'first_response');
    expect(fr.state).toBe('stopped');
    expect(fr.consumedMs).toBe(12 * 60_000);
    expect(clock(clocks, 'resolution').state).toBe('running');
    clocks = onCustomerMessage(clocks, ctx(), sh('11:00'), 'open');
    const nr = clock(clocks, 'next_response');
    expect(nr.dueAt).toBe(sh('12:00').toISOString());
    expect(onCustomerMessage(clocks, ctx(), sh('11:05'), 'open')).toBe(clocks);
    clocks = onAgentReply(clocks, sh('11:30'), calendar);
    expect(clock(clocks, 'next_response').state).toBe('stopped');
    const again = onCustomerMessage(clocks, ctx(), sh('13:00'), 'open');
    const cycle2 = clock(again, 'next_response');
    expect(cycle2.cycle).toBe(2);
    expect(cycle2.timerVersion).toBeGreaterThan(clock(clocks, 'next_response').timerVersion);
  });

  it('a customer message before any answer does not start next response', () => {
    const clocks = openClocks(ctx(), sh('10:00'));
    expect(onCustomerMessage(clocks, ctx(), sh('10:05'), 'open')).toBe(clocks);
  });

  it('solved stops every clock; reopening resumes resolution only', () => {
    let clocks = openClocks(ctx(), sh('10:00'));
    clocks = onAgentReply(clocks, sh('10:05'), calendar);
    clocks = onStatusChange(clocks, 'open', 'solved', sh('11:00'), calendar);
    expect(clocks.every((c) => c.state === 'stopped')).toBe(true);
    clocks = onStatusChange(clocks, 'solved', 'open', sh('15:00'), calendar);
    expect(clock(clocks, 'resolution').state).toBe('running');
    expect(clock(clocks, 'resolution').dueAt).toBe(sh('14:00', 27).toISOString()); // 540 − 60 = 480 min left from Thu 15:00: 180 today, 300 Friday
    expect(clock(clocks, 'first_response').state).toBe('stopped');
  });

  it('policy change mid-ticket: raising the priority re-evaluates against the current version and keeps consumed time', () => {
    let clocks = openClocks(ctx(), sh('10:00'));
    expect(clock(clocks, 'first_response').policy).toEqual({ policyId: 'default', version: 1 });
    const v2: SlaPolicy = { ...policy, version: 2, targets: { ...policy.targets, urgent: { first_response: 20, resolution: 90 } } };
    clocks = onRetarget(clocks, ctx({ policy: v2, priority: 'urgent' }), sh('10:10'));
    const fr = clock(clocks, 'first_response');
    expect(fr.policy.version).toBe(2);
    expect(fr.targetMinutes).toBe(20);
    expect(fr.dueAt).toBe(sh('10:20').toISOString()); // 10 consumed, 10 left
    expect(clock(clocks, 'resolution').dueAt).toBe(sh('11:30').toISOString());
    // Lowering the priority after more time has passed gives a later deadline; a target already exceeded is due now.
    const late = onRetarget(clocks, ctx({ policy: v2, priority: 'urgent' }), sh('10:30'));
    expect(clock(late, 'first_response').dueAt).toBe(sh('10:30').toISOString());
  });

  it('a ticket not re-evaluated keeps the version it started under', () => {
    const clocks = openClocks(ctx(), sh('10:00'));
    const paused = onStatusChange(clocks, 'open', 'pending', sh('10:30'), calendar);
    const resumed = onStatusChange(paused, 'pending', 'open', sh('11:00'), calendar);
    expect(resumed.every((c) => c.policy.version === 1)).toBe(true);
  });

  it('member tier overrides targets metric by metric', () => {
    expect(targetsFor(DEFAULT_POLICY, 'normal', 'gold')).toEqual({ first_response: 30, next_response: 120, resolution: 1080 });
    expect(targetsFor(DEFAULT_POLICY, 'normal', undefined).first_response).toBe(60);
    const vip = openClocks({ policy: DEFAULT_POLICY, calendar, priority: 'normal', tier: 'gold' }, sh('10:00'));
    expect(clock(vip, 'first_response').dueAt).toBe(sh('10:30').toISOString());
    expect(raisePriority('normal')).toBe('high');
    expect(raisePriority('urgent')).toBe('urgent');
  });

  it('timers: stale versions and fired kinds are dead; a breach also counts as warned', () => {
    const clocks = openClocks(ctx(), sh('10:00'));
    const fr = clock(clocks, 'first_response');
    expect(timerIsLive(fr, 'warn', fr.timerVersion)).toBe(true);
    expect(timerIsLive(fr, 'breach', fr.timerVersion - 1)).toBe(false);
    const warned = markFired(fr, 'warn', sh('10:48'));
    expect(timerIsLive(warned, 'warn', fr.timerVersion)).toBe(false);
    expect(timerIsLive(warned, 'breach', fr.timerVersion)).toBe(true);
    const breached = markFired(warned, 'breach', sh('11:00'));
    expect(timerIsLive(breached, 'breach', fr.timerVersion)).toBe(false);
    expect(slaSummary([breached]).breached).toEqual(['first_response']);
    expect(slaSummary(clocks).nextDueAt).toBe(sh('11:00').toISOString());
  });

  it('newDeadlines lists only deadlines that moved or appeared', () => {
    const before = openClocks(ctx(), sh('10:00'));
    expect(newDeadlines(before, before)).toEqual([]);
    const after = onAgentReply(before, sh('10:05'), calendar);
    expect(newDeadlines(before, after)).toEqual([]);
    const paused = onStatusChange(after, 'open', 'pending', sh('10:30'), calendar);
    const resumed = onStatusChange(paused, 'pending', 'open', sh('11:00'), calendar);
    expect(newDeadlines(after, resumed).map((d) => `${d.metric}:${d.kind}`)).toEqual(['resolution:warn', 'resolution:breach']);
  });
});
