import { describe, expect, it } from 'vitest';
import { type ConversationFacts, foldTimeline, type QualityEvent, step } from '#shared/quality/metrics.ts';
import { figures, summarize } from '#shared/quality/summary.ts';
import type { MetricClock } from '#shared/sla/clock.ts';
import { metClocks } from '#shared/tickets/service.ts';

const created = '2026-03-02T08:00:00.000Z';
const facts: ConversationFacts = { conversationId: 'cnv_fcr', createdAt: created, channel: 'chat', agent: 'agent-1' };
const at = (minutes: number) => new Date(Date.parse(created) + minutes * 60_000).toISOString();
const ev = {
  created: (): QualityEvent => ({ kind: 'created', at: created }),
  reply: (m: number, id = `msg_${m}`): QualityEvent => ({ kind: 'agent_reply', at: at(m), id }),
  status: (status: 'open' | 'pending' | 'resolved', m: number, byBot = false): QualityEvent => ({
    kind: 'status',
    status,
    at: at(m),
    ...(byBot ? { byBot } : {}),
  }),
};
const fcrOf = (events: QualityEvent[], f = facts) => {
  const { days, state } = foldTimeline(f, events);
  return { fcr: [...days.values()].reduce((a, d) => a + (d.fcr ?? 0), 0), days, state };
};

describe('first-contact resolution on hand-made timelines', () => {
  it('resolved after exactly one agent reply counts once, on the resolution day', () => {
    const { fcr, days, state } = fcrOf([ev.created(), ev.reply(5), ev.status('resolved', 20)]);
    expect(fcr).toBe(1);
    expect(days.get('2026-03-02')!.fcr).toBe(1);
    expect(state?.fcr).toBe(true);
    expect(figures(days.get('2026-03-02')!).conversations).toMatchObject({ resolved: 1, firstContactResolutions: 1, fcrRate: 1 });
  });

  it('two agent replies before resolving is not first-contact', () => {
    expect(fcrOf([ev.created(), ev.reply(5), ev.reply(9), ev.status('resolved', 20)]).fcr).toBe(0);
  });

  it('a redelivered first reply (same message id) is still one reply', () => {
    expect(fcrOf([ev.created(), ev.reply(5), ev.reply(5), ev.status('resolved', 20)]).fcr).toBe(1);
    expect(fcrOf([ev.created(), ev.reply(5, 'a'), ev.reply(6, 'a'), ev.status('resolved', 20)]).fcr).toBe(1);
  });

  it('resolved by an agent without any reply is not first-contact', () => {
    expect(fcrOf([ev.created(), ev.status('resolved', 20)]).fcr).toBe(0);
  });

  it('resolved by the bot without hand-off counts; after a hand-off it does not', () => {
    expect(fcrOf([ev.created(), ev.status('resolved', 3, true)]).fcr).toBe(1);
    expect(fcrOf([ev.created(), ev.status('resolved', 3, true)], { ...facts, handoffAt: at(1) }).fcr).toBe(0);
  });

  it('a reopen takes it back on the day it was counted, and a re-resolution never counts again', () => {
    const events = [ev.created(), ev.reply(5), ev.status('resolved', 20), ev.status('open', 60 * 24 + 30), ev.status('resolved', 60 * 24 + 60)];
    const { fcr, days, state } = fcrOf(events);
    expect(fcr).toBe(0);
    expect(days.get('2026-03-02')!.fcr).toBe(0);
    expect(days.get('2026-03-02')!.resolved).toBe(1);
    expect(days.get('2026-03-03')!.fcr).toBeUndefined();
    expect(state?.fcr).toBe(false);
    expect(figures(days.get('2026-03-02')!).conversations.fcrRate).toBe(0);
  });

  it('a second agent reply after the resolution takes it back too (exactly one reply, ever)', () => {
    expect(fcrOf([ev.created(), ev.reply(5), ev.status('resolved', 20), ev.reply(30)]).fcr).toBe(0);
  });

  it('is idempotent: repeating the resolution or the reopen changes nothing', () => {
    const s1 = step(undefined, facts, ev.created())!;
    const s2 = step(s1.state, facts, ev.reply(5))!;
    const s3 = step(s2.state, facts, ev.status('resolved', 20))!;
    const fcr = (deltas: { counters: Record<string, number> }[]) => deltas.reduce((n, d) => n + (d.counters.fcr ?? 0), 0);
    expect(fcr(s3.deltas)).toBe(1);
    expect(step(s3.state, facts, ev.status('resolved', 21))).toBeUndefined();
    const s4 = step(s3.state, facts, ev.status('open', 30))!;
    expect(fcr(s4.deltas)).toBe(-1);
    expect(step(s4.state, facts, ev.status('open', 31))).toBeUndefined();
  });
});

const clock = (metric: MetricClock['metric'], over: Partial<MetricClock> = {}): MetricClock => ({
  metric,
  policy: { policyId: 'p', version: 1 } as MetricClock['policy'],
  targetMinutes: 60,
  warnAtPercent: 75,
  startedAt: created,
  state: 'running',
  consumedMs: 0,
  runningSince: created,
  timerVersion: 1,
  cycle: 1,
  ...over,
});

describe('SLA attainment', () => {
  it('a clock met is one this change stopped without a breach', () => {
    const running = [clock('first_response'), clock('resolution')];
    const answered = [clock('first_response', { state: 'stopped', stoppedAt: at(5) }), clock('resolution')];
    expect(metClocks(running, answered).map((c) => c.metric)).toEqual(['first_response']);
    // already stopped before: not again
    expect(metClocks(answered, answered)).toEqual([]);
    // stopped after its breach: breached, not met
    expect(
      metClocks([clock('resolution', { breachedAt: at(60) })], [clock('resolution', { state: 'stopped', stoppedAt: at(90), breachedAt: at(60) })]),
    ).toEqual([]);
    // created already answered (no previous clocks)
    expect(metClocks([], answered).map((c) => c.metric)).toEqual(['first_response']);
    // a new next-response cycle stopped
    expect(
      metClocks(
        [clock('next_response', { state: 'stopped', stoppedAt: at(5), cycle: 1 })],
        [clock('next_response', { state: 'stopped', stoppedAt: at(50), cycle: 2 })],
      ).map((c) => c.cycle),
    ).toEqual([2]);
  });

  it('attainment = met ÷ (met + breached) per metric, null when nothing happened', () => {
    const { totals } = summarize([
      { day: '2026-03-02', counters: { sla_met_first_response: 3, sla_breach_first_response: 1, sla_met_resolution: 1 } },
      { day: '2026-03-03', counters: { sla_met_first_response: 1, sla_breach_resolution: 1, sla_breaches: 2 } },
    ]);
    expect(totals.sla.first_response).toEqual({ met: 4, breached: 1, attainment: 0.8 });
    expect(totals.sla.resolution).toEqual({ met: 1, breached: 1, attainment: 0.5 });
    expect(totals.sla.next_response).toEqual({ met: 0, breached: 0, attainment: null });
  });
});
