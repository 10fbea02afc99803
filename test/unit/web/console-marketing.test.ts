import { describe, expect, test } from 'vitest';
import { CampaignBody, SegmentBody } from '#shared/campaigns/model.ts';
import { isTimeZone } from '#shared/campaigns/quiet-hours.ts';
import { consoleText } from '../../../web/console/i18n.ts';
import { mkEn } from '../../../web/console/i18n-marketing.ts';
import {
  campaignBody,
  campaignProblems,
  churnThresholdsBody,
  churnThresholdsForm,
  churnThresholdsProblems,
  emptyCampaign,
  emptySegment,
  reachVerdict,
  segmentBody,
  segmentProblems,
} from '../../../web/console/marketing-state.ts';

const paths = (problems: { path: string }[]) => problems.map((p) => p.path);

describe('marketing forms checked before sending', () => {
  test('an empty segment names the fields it needs; a filled one passes and the server accepts it', () => {
    const form = { ...emptySegment(), segmentId: 'Bad Id', riskMin: '80', riskMax: '20' };
    form.ranges = { ...form.ranges, points: { min: '-1', max: '' }, orderCount: { min: '5', max: '2' } };
    expect(segmentProblems(form, true)).toEqual([
      { path: 'segmentId', key: 'mkIdRule' },
      { path: 'name', key: 'mkRequired' },
      { path: 'conditions.points', key: 'mkNumberRange', values: { min: 0, max: 1e12 } },
      { path: 'conditions.orderCount', key: 'mkMinAboveMax' },
      { path: 'conditions.churnRisk', key: 'mkMinAboveMax' },
    ]);
    expect(paths(segmentProblems(form, false))).not.toContain('segmentId');
    const ok = { ...emptySegment(), segmentId: 'vip-lapsed', name: 'VIP lapsed', riskMin: '50' };
    expect(segmentProblems(ok, true)).toEqual([]);
    expect(SegmentBody.safeParse(segmentBody(ok, 0)).success).toBe(true);
  });

  test('a campaign form: every text of every chosen channel in both languages, numbers in range, valid quiet hours', () => {
    const form = emptyCampaign();
    form.channels = ['widget', 'email'];
    form.holdoutPercent = '120';
    form.offer = 'points';
    form.points = '0';
    form.capMode = 'custom';
    form.capMax = '1.5';
    form.quiet = 'custom';
    form.quietStart = '25:00';
    form.quietZone = 'Mars/Olympus';
    expect(paths(campaignProblems(form, isTimeZone))).toEqual([
      'name',
      'segmentId',
      'variants.0.content.widget.zh.title',
      'variants.0.content.widget.zh.body',
      'variants.0.content.widget.en.title',
      'variants.0.content.widget.en.body',
      'variants.0.content.email.zh.subject',
      'variants.0.content.email.zh.body',
      'variants.0.content.email.en.subject',
      'variants.0.content.email.en.body',
      'holdoutRatio',
      'offer',
      'frequencyCap.max',
      'quietHours.start',
      'quietHours.timeZone',
    ]);
    expect(campaignProblems({ ...emptyCampaign(), channels: [] }, isTimeZone).find((p) => p.path === 'channels')).toEqual({
      path: 'channels',
      key: 'mkPickChannel',
    });

    const good = emptyCampaign();
    good.name = 'Win back';
    good.segmentId = 'vip-lapsed';
    good.content.widget = { zh: { a: '想念您', b: '{{name}}' }, en: { a: 'Miss you', b: 'Hi {{name}}' } };
    good.quiet = 'custom';
    good.quietStart = '22:00';
    good.quietEnd = '08:30';
    good.quietZone = 'Asia/Shanghai';
    expect(campaignProblems(good, isTimeZone)).toEqual([]);
    expect(CampaignBody.safeParse(campaignBody(good)).success).toBe(true);
  });

  test('reach before launch: nobody (exact), some skipped, everyone, or not known', () => {
    const reach = (reachable: number, consent: number) => ({ reachable, suppressed: { no_consent: consent, no_address: 0 } });
    expect(reachVerdict({ count: 4, exact: true, reach: reach(0, 4) })).toBe('none');
    expect(reachVerdict({ count: 0, exact: true, reach: reach(0, 0) })).toBe('none');
    expect(reachVerdict({ count: 5000, exact: false, reach: reach(0, 5000) })).toBe('unknown');
    expect(reachVerdict({ count: 4, exact: true, reach: reach(1, 3) })).toBe('some');
    expect(reachVerdict({ count: 4, exact: true, reach: reach(4, 0) })).toBe('all');
    expect(reachVerdict({ count: 4, exact: true })).toBe('unknown');
  });

  test('churn thresholds as percentages: medium below high, both inside 0–100, sent as ratios with the version read', () => {
    expect(churnThresholdsForm({ mediumAt: 0.45, highAt: 0.7 })).toEqual({ mediumPercent: '45', highPercent: '70' });
    expect(churnThresholdsProblems({ mediumPercent: '45', highPercent: '70' })).toEqual([]);
    expect(churnThresholdsProblems({ mediumPercent: '70', highPercent: '70' })).toEqual([{ path: 'mediumAt', key: 'mkMediumBelowHigh' }]);
    expect(paths(churnThresholdsProblems({ mediumPercent: '', highPercent: '100' }))).toEqual(['mediumAt', 'highAt']);
    expect(churnThresholdsBody({ mediumPercent: '52.5', highPercent: '80' }, 3)).toEqual({ mediumAt: 0.525, highAt: 0.8, version: 3 });
  });
});

describe('the marketing catalogue (i18n-marketing.ts)', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  const zh = consoleText['zh-CN'] as Record<string, string>;
  const en = consoleText.en as Record<string, string>;

  test('every key in both languages, the same placeholders, nothing left in English in Chinese', () => {
    for (const key of Object.keys(mkEn)) {
      expect(en[key]?.trim(), `en.${key}`).toBeTruthy();
      expect(zh[key]?.trim(), `zh-CN.${key}`).toBeTruthy();
      expect(placeholders(zh[key]!), key).toEqual(placeholders(en[key]!));
      expect(zh[key], key).not.toBe(en[key]);
      expect(zh[key]!.replace(/\{\w+\}|Asia\/Shanghai/g, ''), key).not.toMatch(/[A-Za-z]{2,}/);
    }
  });
});
