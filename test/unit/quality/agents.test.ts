import { describe, expect, it } from 'vitest';
import { agentRow, agentRows, answersCustomers } from '#shared/quality/agents.ts';
import { type ConversationFacts, type QualityEvent, unansweredSince } from '#shared/quality/metrics.ts';
import { countedByScope } from './scopes.ts';

const created = '2026-03-02T08:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(created) + minutes * 60_000).toISOString();
const facts: ConversationFacts = { conversationId: 'cnv_a', createdAt: created, channel: 'chat' };
const reply = (m: number, by: string, waitingSince?: number): QualityEvent => ({
  kind: 'agent_reply',
  at: at(m),
  id: `msg_${m}`,
  by,
  ...(waitingSince !== undefined ? { waitingSince: at(waitingSince) } : {}),
});
const status = (s: 'open' | 'pending' | 'resolved', m: number, by?: string): QualityEvent => ({ kind: 'status', status: s, at: at(m), ...(by ? { by } : {}) });

describe('per-agent workload and response times from the fold', () => {
  it('every reply that answers the customer is a response time, credited to who replied; workload stays in the agent scope', () => {
    const scopes = countedByScope(facts, [
      { kind: 'created', at: created },
      reply(2, 'li-na', 0),
      reply(3, 'li-na'), // a second message without a new customer message answers nothing new
      reply(20, 'wang-wei', 10),
      status('resolved', 25, 'wang-wei'),
    ]);
    expect(scopes.get('agent#li-na')).toMatchObject({ frt_n: 1, frt_sum: 120, art_n: 1, art_sum: 120, agent_replies: 2, handled: 1, handled_resolved: 1 });
    expect(scopes.get('agent#wang-wei')).toMatchObject({ art_n: 1, art_sum: 600, agent_replies: 1, handled: 1, handled_resolved: 1, resolved: 1 });
    expect(scopes.get('agent#wang-wei')?.frt_n ?? 0).toBe(0);
    const all = scopes.get('all')!;
    expect(all).toMatchObject({ art_n: 2, art_sum: 720, frt_n: 1, resolved: 1 });
    expect(all.handled ?? 0).toBe(0);
    expect(all.agent_replies ?? 0).toBe(0);
  });

  it('a reopen takes the resolution back from every handler, on the day each first handled it', () => {
    const scopes = countedByScope(facts, [
      { kind: 'created', at: created },
      reply(5, 'li-na', 0),
      status('resolved', 10, 'li-na'),
      status('open', 24 * 60 + 5),
      reply(24 * 60 + 30, 'wang-wei', 24 * 60 + 5),
    ]);
    expect(scopes.get('agent#li-na@2026-03-02')).toMatchObject({ handled: 1, handled_resolved: 0 });
    expect(scopes.get('agent#wang-wei@2026-03-03')).toMatchObject({ handled: 1 });
    expect(scopes.get('agent#wang-wei@2026-03-03')?.handled_resolved ?? 0).toBe(0);
  });

  it('a redelivered reply counts nothing twice', () => {
    const once = countedByScope(facts, [{ kind: 'created', at: created }, reply(2, 'li-na', 0), reply(9, 'li-na', 8)]);
    const twice = countedByScope(facts, [{ kind: 'created', at: created }, reply(2, 'li-na', 0), reply(9, 'li-na', 8), reply(9, 'li-na', 8)]);
    expect(twice.get('agent#li-na')).toEqual(once.get('agent#li-na'));
    expect(once.get('agent#li-na')).toMatchObject({ art_n: 2, agent_replies: 2, handled: 1 });
  });

  it('the customer waits from the bot hand-off, not from a message the bot answered', () => {
    const scopes = countedByScope({ ...facts, handoffAt: at(30) }, [{ kind: 'created', at: created }, reply(35, 'li-na', 0)]);
    expect(scopes.get('agent#li-na')).toMatchObject({ art_sum: 300, frt_sum: 300 });
  });

  it('resolving without replying still counts as handled (and resolved) for the resolver', () => {
    const scopes = countedByScope(facts, [{ kind: 'created', at: created }, status('resolved', 10, 'chen-wei')]);
    expect(scopes.get('agent#chen-wei')).toMatchObject({ handled: 1, handled_resolved: 1, resolved: 1 });
  });
});

describe('which customer message a reply answers', () => {
  const msg = (kind: string, m: number, internal = false) => ({ author: { kind }, createdAt: at(m), internal });
  it('the oldest customer message since the last agent reply', () => {
    expect(unansweredSince([msg('visitor', 0), msg('agent', 2), msg('visitor', 5), msg('bot', 6), msg('visitor', 7)])).toBe(at(5));
  });
  it('nothing when the agent spoke last (internal notes do not count)', () => {
    expect(unansweredSince([msg('visitor', 0), msg('agent', 2)])).toBeUndefined();
    expect(unansweredSince([msg('visitor', 0), msg('agent', 2), msg('agent', 3, true)])).toBeUndefined();
    expect(unansweredSince([])).toBeUndefined();
  });
});

describe('per-agent rows', () => {
  const day = (d: string, counters: Record<string, number>) => ({ day: d, counters });

  it('a row sums the agent scope days through the dashboard figures', () => {
    const row = agentRow(
      { sub: 'li-na', name: 'Li Na', email: 'agent@demo.kefu' },
      [
        day('2026-12-03', { handled: 2, handled_resolved: 1, agent_replies: 3, resolved: 1, frt_n: 2, frt_sum: 240, frt_b01: 2, art_n: 3, art_sum: 600 }),
        day('2026-12-04', { handled: 2, handled_resolved: 2, agent_replies: 2, csat_n: 2, csat_sum: 9, csat_sat: 2 }),
      ],
      1,
    );
    expect(row).toMatchObject({ name: 'Li Na', handled: 4, replies: 5, resolved: 1, openNow: 1, resolutionRate: 0.75 });
    expect(row.firstResponse).toMatchObject({ count: 2, meanSeconds: 120 });
    expect(row.firstResponse.medianSeconds).toBeGreaterThanOrEqual(60);
    expect(row.firstResponse.medianSeconds).toBeLessThan(120);
    expect(row.responseTime).toMatchObject({ count: 3, meanSeconds: 200 });
    expect(row.csat).toEqual({ responses: 2, average: 4.5, satisfiedRate: 1 });
  });

  it('an agent with no activity has zeros and no rates, never NaN', () => {
    const row = agentRow({ sub: 'x', name: '', email: 'x@demo.kefu' }, [], null);
    expect(row).toMatchObject({ name: 'x@demo.kefu', handled: 0, resolutionRate: null, openNow: null });
    expect(row.csat.average).toBeNull();
    expect(row.responseTime.meanSeconds).toBeNull();
  });

  it('rows: only people who answer customers, busiest first', () => {
    const staff = [
      { sub: 'mia', name: 'Mia', email: 'm@x', roles: ['marketing'] },
      { sub: 'a', name: 'Alex', email: 'a@x', roles: ['admin'] },
      { sub: 'l', name: 'Li Na', email: 'l@x', roles: ['agent'] },
      { sub: 'c', name: 'Chen Wei', email: 'c@x', roles: ['agent', 'supervisor'] },
    ];
    const rows = agentRows(staff, new Map([['l', [day('2026-12-04', { handled: 3 })]]]), new Map([['l', 2]]));
    expect(rows.map((r) => r.sub)).toEqual(['l', 'a', 'c']);
    expect(rows.map((r) => r.openNow)).toEqual([2, 0, 0]);
    expect(answersCustomers(['marketing'])).toBe(false);
  });
});
