import { describe, expect, test } from 'vitest';
import { SegmentConditions } from '#shared/campaigns/model.ts';
import { normaliseLabel } from '#shared/members/label-text.ts';

describe('segment label conditions are spelled as stored labels', () => {
  test('full-width, padded or doubly spaced labels match the stored spelling', () => {
    const parsed = SegmentConditions.parse({ labels: { any: ['ＶＩＰ ', '老  客户'], none: ['\u200b黑名单'] } });
    expect(parsed.labels).toEqual({ any: ['VIP', '老 客户'], none: ['黑名单'] });
    expect(parsed.labels?.any?.[0]).toBe(normaliseLabel('ＶＩＰ'));
  });

  test('a label that is empty once normalised is refused', () => {
    expect(SegmentConditions.safeParse({ labels: { any: ['  '] } }).success).toBe(false);
  });
});
