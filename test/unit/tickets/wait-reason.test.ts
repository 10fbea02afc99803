import { describe, expect, it } from 'vitest';
import { pickAgent, type Team, waitReason } from '#shared/tickets/assignment.ts';

const team = (members: string[]): Team => ({ teamId: 't', name: { 'zh-CN': '组', en: 'Team' }, members, mode: 'least_loaded', capacity: 2 });

describe('why a ticket waits', () => {
  it('tells an empty team, nobody online and everyone full apart', () => {
    expect(waitReason(team([]), new Set())).toBe('no_members');
    expect(waitReason(team(['a', 'b']), new Set(['x']))).toBe('nobody_online');
    const full = team(['a', 'b']);
    const loads = new Map([['a', 2]]);
    expect(pickAgent(full, new Set(['a']), loads)).toBeUndefined();
    expect(waitReason(full, new Set(['a']))).toBe('all_full');
  });
});
