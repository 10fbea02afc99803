import { describe, expect, it } from 'vitest';
import { bucketAttr, bucketOf } from '#shared/quality/histogram.ts';
import { type ConversationFacts, foldTimeline, type QualityEvent, scopesOf, step } from '#shared/quality/metrics.ts';
import { figures } from '#shared/quality/summary.ts';

const created = '2026-03-02T08:00:00.000Z';
const facts: ConversationFacts = { conversationId: 'cnv_1', createdAt: created, channel: 'chat', agent: 'agent-1' };
const at = (minutes: number) => new Date(Date.parse(created) + minutes * 60_000).toISOString();
const ev = {
  created: (): QualityEvent => ({ kind: 'created', at: created }),
  reply: (m: number): QualityEvent => ({ kind: 'agent_reply', at: at(m) }),
  status: (status: 'open' | 'pending' | 'resolved', m: number): QualityEvent => ({ kind: 'status', status, at: at(m) }),
};

describe('quality metric definitions on hand-made timelines', () => {
  it('first response time is measured from creation to the first public agent reply, once', () => {
    const { days } = foldTimeline(facts, [ev.created(), ev.reply(3), ev.reply(10), ev.reply(20)]);
    const day = days.get('2026-03-02')!;
    expect(day.frt_n).toBe(1);
    expect(day.frt_sum).toBe(180);
    expect(day[bucketAttr('frt', bucketOf(180))]).toBe(1);
  });

  it('first response starts at the bot hand-off, not at creation', () => {
    const { days } = foldTimeline({ ...facts, handoffAt: at(30) }, [ev.created(), ev.reply(35)]);
    expect(days.get('2026-03-02')!.frt_sum).toBe(300);
  });

  it('resolution time excludes time pending on the customer (the clock pauses)', () => {
    const { days, state } = foldTimeline(facts, [ev.created(), ev.reply(5), ev.status('pending', 10), ev.status('open', 70), ev.status('resolved', 90)]);
    const day = days.get('2026-03-02')!;
    expect(state?.pausedMs).toBe(60 * 60_000);
    expect(day.rt_n).toBe(1);
    expect(day.rt_sum).toBe(30 * 60);
    expect(day.resolved).toBe(1);
  });

  it('resolving from pending closes the pause too', () => {
    const { days } = foldTimeline(facts, [ev.created(), ev.status('pending', 10), ev.status('resolved', 40)]);
    expect(days.get('2026-03-02')!.rt_sum).toBe(10 * 60);
  });

  it('a reopen counts once per conversation; resolution time and "resolved" keep the first resolution', () => {
    const timeline = [
      ev.created(),
      ev.reply(2),
      ev.status('resolved', 60),
      ev.status('open', 24 * 60 + 5),
      ev.status('resolved', 24 * 60 + 30),
      ev.status('open', 24 * 60 + 40),
      ev.status('resolved', 24 * 60 + 50),
    ];
    const { days, state, backlog } = foldTimeline(facts, timeline);
    const d1 = days.get('2026-03-02')!;
    const d2 = days.get('2026-03-03')!;
    expect(d1.resolved).toBe(1);
    expect(d1.rt_sum).toBe(3600);
    expect(d2.reopened).toBe(1);
    expect(d2.reopen_events).toBe(2);
    expect(d2.re_resolved).toBe(2);
    expect(d2.resolved ?? 0).toBe(0);
    expect(state?.reopens).toBe(2);
    expect(backlog).toBe(0);
    expect(d1.created_resolved).toBe(1);
    const f = figures({ ...d1, ...Object.fromEntries(Object.entries(d2).map(([k, v]) => [k, (d1[k] ?? 0) + v])) });
    expect(f.conversations.reopenRate).toBe(1);
    expect(f.conversations.resolutionRate).toBe(1);
  });

  it('the cohort resolution rate drops while a reopened conversation is open', () => {
    const { days, backlog } = foldTimeline(facts, [ev.created(), ev.status('resolved', 60), ev.status('open', 120)]);
    const d = days.get('2026-03-02')!;
    expect(d.conv_created).toBe(1);
    expect(d.created_resolved).toBe(0);
    expect(figures(d).conversations.resolutionRate).toBe(0);
    expect(backlog).toBe(1);
  });

  it('repeated events are no-ops (a redelivered trigger counts nothing twice)', () => {
    const first = step(undefined, facts, ev.created())!;
    expect(step(first.state, facts, ev.created())).toBeUndefined();
    const resolved = step(first.state, facts, ev.status('resolved', 10))!;
    expect(step(resolved.state, facts, ev.status('resolved', 11))).toBeUndefined();
    const replied = step(resolved.state, facts, ev.reply(12))!;
    expect(step(replied.state, facts, ev.reply(12))).toBeUndefined();
    const second = step(replied.state, facts, ev.reply(13))!;
    expect(second.deltas).toEqual([]);
    expect(step(second.state, facts, ev.reply(13))).toBeUndefined();
    expect(step(second.state, facts, ev.reply(14))).toBeUndefined();
  });

  it('backlog: +1 created, −1 resolved, +1 reopened', () => {
    expect(foldTimeline(facts, [ev.created()]).backlog).toBe(1);
    expect(foldTimeline(facts, [ev.created(), ev.status('resolved', 1)]).backlog).toBe(0);
    expect(foldTimeline(facts, [ev.created(), ev.status('pending', 1)]).backlog).toBe(1);
  });

  it('an event for a conversation created before tracking starts from open (no created count)', () => {
    const { days } = foldTimeline(facts, [ev.status('resolved', 30)]);
    const d = days.get('2026-03-02')!;
    expect(d.conv_created ?? 0).toBe(0);
    expect(d.resolved).toBe(1);
  });

  it('slow first responses are listed for drill-down', () => {
    const r = step(step(undefined, facts, ev.created())!.state, facts, ev.reply(61))!;
    expect(r.facts).toEqual([{ metric: 'slow_first_response', day: '2026-03-02', at: at(61) }]);
  });

  it('scopes: all, the agent, the channel, the category', () => {
    expect(scopesOf({ agent: 'a', channel: 'chat', category: 'REFUND' })).toEqual(['all', 'agent#a', 'channel#chat', 'category#REFUND']);
    expect(scopesOf({ channel: 'email' })).toEqual(['all', 'channel#email']);
  });
});

describe('dashboard figures', () => {
  it('CSAT, CES, NPS and bot rates follow their definitions', () => {
    const f = figures(
      {
        csat_n: 4,
        csat_sum: 15,
        csat_sat: 3,
        csat_s5: 2,
        csat_s4: 1,
        csat_s1: 1,
        ces_n: 2,
        ces_sum: 11,
        ces_easy: 1,
        nps_n: 10,
        nps_prom: 5,
        nps_pass: 3,
        nps_det: 2,
        bot_verified: 2,
        sv_sent: 8,
        sv_responses: 4,
        sv_suppressed_fatigue: 3,
        sv_suppressed_opt_out: 1,
      },
      { resolved_by_bot: 6, handed_off: 3, abandoned: 1 },
    );
    expect(f.csat).toEqual({ responses: 4, average: 3.75, satisfiedRate: 0.75, distribution: [1, 0, 0, 1, 2] });
    expect(f.ces).toEqual({ responses: 2, average: 5.5, easyRate: 0.5 });
    expect(f.nps.score).toBe(30);
    expect(f.bot.containmentRate).toBe(0.7);
    expect(f.bot.handoffRate).toBe(0.3);
    expect(f.bot.verifiedResolutionRate).toBe(0.2);
    expect(f.surveys).toMatchObject({ sent: 8, responses: 4, responseRate: 0.5, suppressed: 4 });
  });

  it('empty periods give nulls, not zeros or NaN', () => {
    const f = figures({});
    expect(f.csat.average).toBeNull();
    expect(f.firstResponse.medianSeconds).toBeNull();
    expect(f.conversations.resolutionRate).toBeNull();
    expect(f.bot.containmentRate).toBeNull();
  });
});
