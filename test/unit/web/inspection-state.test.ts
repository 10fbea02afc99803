import { describe, expect, it } from 'vitest';
import { formatRevenue, itemFlags, linesOf, qualityViewOf, qualityViewsFor, withConversion } from '../../../web/console/quality-state.ts';

describe('quality inspection console state', () => {
  it('gives supervisors every report view and an agent only their own inspections', () => {
    expect(qualityViewsFor(['supervisor'])).toEqual(['overview', 'agents', 'digest', 'inspection', 'mine', 'training', 'inspection-settings']);
    expect(qualityViewsFor(['agent'])).toEqual(['mine', 'training']);
    expect(qualityViewsFor(['marketing'])).toEqual([]);
    expect(qualityViewOf('inspection', ['agent'])).toBe('mine');
    expect(qualityViewOf('inspection', ['admin'])).toBe('inspection');
    expect(qualityViewOf('2026-03-01', ['admin'])).toBe('overview');
    expect(qualityViewOf(undefined, ['marketing'])).toBeUndefined();
  });

  it('joins 询单转化率 to the agent rows and formats revenue per currency', () => {
    const row = { sub: 'a' } as Parameters<typeof withConversion>[0][number];
    const joined = withConversion([row, { ...row, sub: 'b' }], [{ sub: 'a', enquiries: 2, converted: 1, rate: 0.5, revenue: { CNY: 10 } }]);
    expect(joined[0]?.conversion?.rate).toBe(0.5);
    expect(joined[1]?.conversion).toBeUndefined();
    expect(formatRevenue({ CNY: 1234.5 }, 'zh-CN')).toBe('¥1,234.50');
    expect(formatRevenue({}, 'zh-CN')).toBe('–');
  });

  it('reads one term per line and finds the flags behind a scorecard item', () => {
    expect(linesOf(' 保证退款 \n\n滚开\n保证退款')).toEqual(['保证退款', '滚开']);
    expect(itemFlags({ checks: ['negative_tone', 'curt_reply'] }, [{ kind: 'curt_reply' }, { kind: 'forbidden_word' }])).toEqual(['curt_reply']);
  });
});
