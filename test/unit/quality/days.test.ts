import { describe, expect, it } from 'vitest';
import { finishedDay } from '#shared/quality/jobs.ts';
import { dayOf, foldTimeline, shiftDay } from '#shared/quality/metrics.ts';
import { DEFAULT_TIME_ZONE } from '#shared/quality/zone.ts';
import { countedByScope } from './scopes.ts';

/** 01:30 on 4 December in Beijing. */
const EARLY_MORNING = '2026-12-03T17:30:00.000Z';

describe('days are cut at the shop’s midnight', () => {
  it('an event at 2026-12-03T17:30Z (01:30 Beijing) lands on 12-04', () => {
    expect(DEFAULT_TIME_ZONE).toBe('Asia/Shanghai');
    expect(dayOf(EARLY_MORNING, 'Asia/Shanghai')).toBe('2026-12-04');
    expect(dayOf(EARLY_MORNING)).toBe('2026-12-03');
    expect(dayOf('2026-12-03T15:59:59.999Z', 'Asia/Shanghai')).toBe('2026-12-03');
    expect(dayOf('2026-12-03T16:00:00.000Z', 'Asia/Shanghai')).toBe('2026-12-04');
  });

  it('every counter of a conversation handled at 01:30 Beijing is on the 12-04 day item, in every scope', () => {
    const facts = { conversationId: 'cnv_night', createdAt: '2026-12-03T17:20:00.000Z', channel: 'chat', timeZone: 'Asia/Shanghai' };
    const scopes = countedByScope(facts, [
      { kind: 'created', at: facts.createdAt },
      { kind: 'agent_reply', at: EARLY_MORNING, id: 'm1', by: 'li-na', waitingSince: facts.createdAt },
      { kind: 'status', status: 'resolved', at: '2026-12-03T17:40:00.000Z', by: 'li-na' },
    ]);
    expect(scopes.get('all@2026-12-04')).toMatchObject({ conv_created: 1, frt_n: 1, art_n: 1, resolved: 1, fcr: 1, created_resolved: 1 });
    expect(scopes.get('agent#li-na@2026-12-04')).toMatchObject({ frt_n: 1, art_n: 1, resolved: 1, handled: 1, handled_resolved: 1, agent_replies: 1 });
    expect(scopes.get('channel#chat@2026-12-04')).toMatchObject({ conv_created: 1, resolved: 1 });
    expect([...scopes.keys()].filter((k) => k.includes('@2026-12-03'))).toEqual([]);
  });

  it('without a zone the fold keeps UTC days (the pure default)', () => {
    const { days } = foldTimeline({ conversationId: 'c', createdAt: EARLY_MORNING, channel: 'chat' }, [{ kind: 'created', at: EARLY_MORNING }]);
    expect([...days.keys()]).toEqual(['2026-12-03']);
  });

  it('the digest’s "yesterday" is the shop’s yesterday', () => {
    // 00:05 UTC on 4 December is 08:05 in Beijing: the day that ended there is 3 December
    expect(finishedDay(new Date('2026-12-04T00:05:00.000Z'), 'Asia/Shanghai')).toBe('2026-12-03');
    // 16:05 UTC on 3 December is already 00:05 on 4 December in Beijing: 3 December just ended
    expect(finishedDay(new Date('2026-12-03T16:05:00.000Z'), 'Asia/Shanghai')).toBe('2026-12-03');
    expect(finishedDay(new Date('2026-12-03T16:05:00.000Z'), 'UTC')).toBe('2026-12-02');
    expect(finishedDay(new Date('2026-03-01T03:00:00.000Z'), 'America/New_York')).toBe('2026-02-27');
  });

  it('shifting a day crosses months and leap days', () => {
    expect(shiftDay('2028-03-01', -1)).toBe('2028-02-29');
    expect(shiftDay('2026-12-31', 1)).toBe('2027-01-01');
  });
});
