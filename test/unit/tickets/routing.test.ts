import { describe, expect, it } from 'vitest';
import { pickAgent, type Team } from '#shared/tickets/assignment.ts';
import { keywordGuess } from '#shared/tickets/classify.ts';
import { type RoutingFacts, type RoutingRule, RoutingRuleSchema, route, ruleMatches } from '#shared/tickets/routing.ts';

const rule = (r: Omit<RoutingRule, 'enabled' | 'name'> & { enabled?: boolean }): RoutingRule =>
  RoutingRuleSchema.parse({ name: { 'zh-CN': r.ruleId, en: r.ruleId }, ...r });
const facts = (f: Partial<RoutingFacts> = {}): RoutingFacts => ({ channel: 'chat', priority: 'normal', tags: [], open: true, ...f });
const defaults = { team: 'general', slaPolicyId: 'default' };

describe('routing rules', () => {
  const rules = [
    rule({ ruleId: 'vip', when: { tiers: ['gold', 'platinum'] }, then: { team: 'vip', slaPolicyId: 'vip', addTags: ['vip'] } }),
    rule({ ruleId: 'refunds-zh', when: { categories: ['REFUND'], languages: ['zh'] }, then: { team: 'refunds-cn', priority: 'high' } }),
    rule({ ruleId: 'refunds', when: { categories: ['REFUND'] }, then: { team: 'refunds' } }),
    rule({ ruleId: 'after-hours-urgent', when: { priorities: ['urgent'], businessHours: 'closed' }, then: { team: 'on-call' } }),
    rule({ ruleId: 'phone', when: { channels: ['phone'], tagsAny: ['callback'] }, then: { addTags: ['phone-callback'] } }),
    rule({ ruleId: 'off', enabled: false, when: {}, then: { team: 'never' } }),
  ];

  it('first match wins, in order', () => {
    expect(route(rules, facts({ tier: 'gold', category: 'REFUND', language: 'zh' }), defaults)).toMatchObject({
      ruleId: 'vip',
      team: 'vip',
      slaPolicyId: 'vip',
      tags: ['vip'],
    });
    expect(route(rules, facts({ category: 'REFUND', language: 'zh-CN' }), defaults)).toMatchObject({
      ruleId: 'refunds-zh',
      team: 'refunds-cn',
      priority: 'high',
    });
    expect(route(rules, facts({ category: 'REFUND', language: 'en' }), defaults)).toMatchObject({ ruleId: 'refunds', team: 'refunds', priority: 'normal' });
  });
  it('business-hours condition: urgent after hours goes on call, in hours falls through to the default', () => {
    expect(route(rules, facts({ priority: 'urgent', open: false }), defaults).team).toBe('on-call');
    expect(route(rules, facts({ priority: 'urgent', open: true }), defaults)).toEqual({
      team: 'general',
      priority: 'urgent',
      tags: [],
      slaPolicyId: 'default',
    });
  });
  it('channel + any-of tags; a rule without a team keeps the default team and adds its tags', () => {
    expect(route(rules, facts({ channel: 'phone', tags: ['callback'] }), defaults)).toMatchObject({
      ruleId: 'phone',
      team: 'general',
      tags: ['callback', 'phone-callback'],
    });
    expect(route(rules, facts({ channel: 'phone', tags: [] }), defaults).ruleId).toBeUndefined();
  });
  it('disabled rules never match; an absent fact fails a condition on it', () => {
    expect(ruleMatches(rules[5]!, facts())).toBe(true);
    expect(route([rules[5]!], facts(), defaults).team).toBe('general');
    expect(ruleMatches(rules[2]!, facts({}))).toBe(false);
  });
  it('the schema refuses unknown fields and empty condition lists', () => {
    expect(RoutingRuleSchema.safeParse({ ruleId: 'x', name: { 'zh-CN': 'x', en: 'x' }, when: { channels: [] }, then: {} }).success).toBe(false);
    expect(RoutingRuleSchema.safeParse({ ruleId: 'x', name: { 'zh-CN': 'x', en: 'x' }, when: {}, then: {}, extra: 1 }).success).toBe(false);
  });
});

describe('assignment within a team', () => {
  const team = (mode: Team['mode'], extra: Partial<Team> = {}): Team => ({
    teamId: 't',
    name: { 'zh-CN': 't', en: 't' },
    members: ['a', 'b', 'c'],
    mode,
    capacity: 10,
    ...extra,
  });
  const online = new Set(['a', 'b', 'c']);

  it('round-robin takes turns and is fair over many tickets', () => {
    const t = team('round_robin');
    const loads = new Map<string, number>();
    const counts: Record<string, number> = {};
    for (let i = 0; i < 30; i++) {
      const sub = pickAgent(t, online, loads)!;
      counts[sub] = (counts[sub] ?? 0) + 1;
      t.lastAssigned = sub;
      loads.set(sub, (loads.get(sub) ?? 0) + 1);
    }
    expect(counts).toEqual({ a: 10, b: 10, c: 10 });
  });
  it('round-robin skips offline and full members without losing its place', () => {
    const t = team('round_robin', { lastAssigned: 'a', capacity: 2 });
    expect(pickAgent(t, new Set(['a', 'c']), new Map())).toBe('c');
    expect(pickAgent(t, online, new Map([['b', 2]]))).toBe('c');
  });
  it('least-loaded balances by load relative to capacity', () => {
    const t = team('least_loaded', { capacities: { a: 2, b: 6, c: 4 } });
    const loads = new Map<string, number>();
    for (let i = 0; i < 12; i++) {
      const sub = pickAgent(t, online, loads)!;
      loads.set(sub, (loads.get(sub) ?? 0) + 1);
    }
    expect(Object.fromEntries(loads)).toEqual({ a: 2, b: 6, c: 4 });
    expect(pickAgent(t, online, loads)).toBeUndefined();
  });
  it('least-loaded breaks ties in turn order after the cursor', () => {
    expect(pickAgent(team('least_loaded', { lastAssigned: 'a' }), online, new Map())).toBe('b');
  });
  it('nobody online or everyone full → undefined (the ticket waits in the queue)', () => {
    expect(pickAgent(team('least_loaded'), new Set(), new Map())).toBeUndefined();
    expect(
      pickAgent(
        team('round_robin', { capacity: 1 }),
        online,
        new Map([
          ['a', 1],
          ['b', 1],
          ['c', 1],
        ]),
      ),
    ).toBeUndefined();
    expect(pickAgent(team('least_loaded'), online, new Map(), new Set(['a', 'b', 'c']))).toBeUndefined();
  });
});

describe('keyword classification fallback', () => {
  it('finds category, urgency and language in zh and en', () => {
    expect(keywordGuess('我要退款，东西坏了')).toEqual({ category: 'REFUND', priority: 'high', language: 'zh', source: 'keywords' });
    expect(keywordGuess('My card was charged twice, fix it asap')).toMatchObject({ category: 'PAYMENT', priority: 'urgent', language: 'en' });
    expect(keywordGuess('快递到哪了')).toMatchObject({ category: 'DELIVERY', priority: 'normal' });
    expect(keywordGuess('hello there').category).toBeUndefined();
  });
});
