import { describe, expect, it } from 'vitest';
import { bestOf } from '#shared/quality/training-gate.ts';
import { missingScenarios, pickAgent, qualifies, type Team, TeamInputSchema, waitReason } from '#shared/tickets/assignment.ts';
import { texts } from '#shared/tickets/texts.ts';

const team = (mode: Team['mode'], extra: Partial<Team> = {}): Team => ({
  teamId: 't',
  name: { 'zh-CN': '售后组', en: 'Aftersales' },
  members: ['a', 'b', 'c'],
  mode,
  capacity: 10,
  training: { scenarioIds: ['s1', 's2'], passingScore: 80 },
  ...extra,
});
const online = new Set(['a', 'b', 'c']);
const scores = new Map<string, Record<string, number>>([
  ['a', { s1: 90, s2: 79 }],
  ['b', { s1: 80, s2: 100 }],
  ['c', { s1: 95 }],
]);

describe('training requirement (上岗要求) in assignment', () => {
  it('picks only members whose best score reaches the passing score on every required scenario', () => {
    expect(pickAgent(team('least_loaded'), online, new Map(), new Set(), scores)).toBe('b');
    expect(pickAgent(team('round_robin'), online, new Map(), new Set(), scores)).toBe('b');
    expect(pickAgent(team('round_robin', { lastAssigned: 'b' }), online, new Map(), new Set(), scores)).toBe('b');
    // least loaded would prefer the idle unqualified agents
    expect(pickAgent(team('least_loaded'), online, new Map([['b', 9]]), new Set(), scores)).toBe('b');
  });

  it('waits with its own reason when nobody online qualifies, and routes again once they pass', () => {
    const t = team('least_loaded');
    const onlyA = new Set(['a']);
    expect(pickAgent(t, onlyA, new Map(), new Set(), scores)).toBeUndefined();
    expect(waitReason(t, onlyA, scores)).toBe('not_qualified');
    const passed = new Map(scores).set('a', { s1: 90, s2: 85 });
    expect(pickAgent(t, onlyA, new Map(), new Set(), passed)).toBe('a');
    expect(waitReason(t, new Set(['b']), scores)).toBe('all_full');
    expect(waitReason(t, new Set(['x']), scores)).toBe('nobody_online');
    const text = texts.queued(t.name, 'not_qualified');
    expect(text['zh-CN']).toContain('上岗要求');
    expect(text.en).toContain('training requirement');
  });

  it('fails closed without scores, and without a requirement everyone qualifies', () => {
    expect(pickAgent(team('least_loaded'), online, new Map())).toBeUndefined();
    const { training: _, ...rest } = team('least_loaded');
    const open: Team = rest;
    expect(pickAgent(open, online, new Map())).toBe('a');
    expect(qualifies(open, 'c', undefined)).toBe(true);
    expect(missingScenarios(team('round_robin').training, scores.get('c'))).toEqual(['s2']);
  });

  it('keeps the best score per scenario', () => {
    expect(
      bestOf([
        { scenarioId: 's1', total: 60 },
        { scenarioId: 's1', total: 85 },
        { scenarioId: 's2', total: 0 },
      ]),
    ).toEqual({ s1: 85, s2: 0 });
  });

  it('accepts an optional, strict requirement with a passing score from 0 to 100', () => {
    const base = { name: { 'zh-CN': '组', en: 'Team' }, members: [] };
    expect(TeamInputSchema.safeParse(base).success).toBe(true);
    expect(TeamInputSchema.safeParse({ ...base, training: { scenarioIds: ['s1'], passingScore: 60 } }).success).toBe(true);
    expect(TeamInputSchema.safeParse({ ...base, training: { scenarioIds: ['s1'], passingScore: 101 } }).success).toBe(false);
    expect(TeamInputSchema.safeParse({ ...base, training: { scenarioIds: [], passingScore: 60 } }).success).toBe(false);
    expect(TeamInputSchema.safeParse({ ...base, training: { scenarioIds: ['s1'], passingScore: 60, extra: 1 } }).success).toBe(false);
  });
});
