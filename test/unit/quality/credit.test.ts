import { describe, expect, it } from 'vitest';
import { type ConversationFacts, dayOf } from '#shared/quality/metrics.ts';
import { countedByScope } from './scopes.ts';

const created = '2026-03-02T08:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(created) + minutes * 60_000).toISOString();

describe('per-agent figures credit who did the work', () => {
  it('an unassigned conversation: the agent who replied gets the first response, the one who resolved the resolution', () => {
    const facts: ConversationFacts = { conversationId: 'cnv_1', createdAt: created, channel: 'chat' };
    const scopes = countedByScope(facts, [
      { kind: 'created', at: created },
      { kind: 'agent_reply', at: at(3), id: 'm1', by: 'li-na' },
      { kind: 'status', status: 'resolved', at: at(9), by: 'wang-wei' },
    ]);
    expect(scopes.get('agent#li-na')).toMatchObject({ frt_n: 1 });
    expect(scopes.get('agent#wang-wei')).toMatchObject({ resolved: 1, fcr: 1 });
    expect(scopes.get('all')).toMatchObject({ conv_created: 1, resolved: 1, fcr: 1, frt_n: 1 });
  });

  it('without a resolver named, the assignee is credited, else who first replied', () => {
    const facts: ConversationFacts = { conversationId: 'cnv_2', createdAt: created, channel: 'chat' };
    const scopes = countedByScope(facts, [
      { kind: 'created', at: created },
      { kind: 'agent_reply', at: at(3), id: 'm1', by: 'li-na' },
      { kind: 'status', status: 'resolved', at: at(9) },
    ]);
    expect(scopes.get('agent#li-na')).toMatchObject({ frt_n: 1, resolved: 1 });
  });

  it('days can be cut at the shop’s midnight: 23:30 UTC is already the next day in Shanghai', () => {
    expect(dayOf('2026-03-01T23:30:00.000Z')).toBe('2026-03-01');
    expect(dayOf('2026-03-01T23:30:00.000Z', 'Asia/Shanghai')).toBe('2026-03-02');
    expect(dayOf('2026-03-02T15:59:59.000Z', 'Asia/Shanghai')).toBe('2026-03-02');
    expect(dayOf('2026-03-02T16:00:00.000Z', 'Asia/Shanghai')).toBe('2026-03-03');
  });
});
