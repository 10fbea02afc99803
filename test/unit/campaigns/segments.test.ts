import { describe, expect, it } from 'vitest';
import { audiencePartitions, factsFromProfile, matchesSegment } from '#shared/campaigns/segments.ts';

const now = new Date('2026-03-10T00:00:00Z');
const profile = factsFromProfile({
  pk: 'CONTACT#con_1',
  sk: 'PROFILE',
  contactId: 'con_1',
  tierId: 'gold',
  pointsBalance: 1200,
  orderCount: 4,
  totalSpend: 800,
  lastOrderAt: '2025-12-10T00:00:00Z',
  churnLevel: 'high',
  churnRisk: 0.81,
  churnReasonCodes: ['long_since_last_purchase', 'low_csat'],
  labels: ['vip', 'wholesale'],
  consentEmail: 'granted',
  consentWidget: 'revoked',
});

describe('segment conditions', () => {
  it('reads the member figures from the profile item', () => {
    expect(profile).toMatchObject({ tierId: 'gold', points: 1200, orderCount: 4, churnLevel: 'high', consent: { email: 'granted', widget: 'revoked' } });
  });

  it('matches when every condition holds, and fails on any one', () => {
    const all = {
      tiers: ['gold', 'platinum'],
      points: { min: 1000 },
      orderCount: { min: 2, max: 10 },
      totalSpend: { min: 500 },
      avgSpend: { min: 150, max: 250 },
      daysSinceLastOrder: { min: 60 },
      churnLevels: ['high' as const],
      churnReasons: ['low_csat'],
      churnRisk: { min: 0.7 },
      labels: { any: ['vip'], all: ['vip', 'wholesale'], none: ['blocked'] },
      consent: ['email' as const],
    };
    expect(matchesSegment(all, profile, now)).toBe(true);
    expect(matchesSegment({ ...all, tiers: ['silver'] }, profile, now)).toBe(false);
    expect(matchesSegment({ ...all, points: { min: 5000 } }, profile, now)).toBe(false);
    expect(matchesSegment({ ...all, daysSinceLastOrder: { max: 30 } }, profile, now)).toBe(false);
    expect(matchesSegment({ ...all, churnReasons: ['bot_loops'] }, profile, now)).toBe(false);
    expect(matchesSegment({ ...all, labels: { none: ['vip'] } }, profile, now)).toBe(false);
    expect(matchesSegment({ ...all, consent: ['widget'] }, profile, now)).toBe(false);
  });

  it('treats a member never contacted as contacted infinitely long ago', () => {
    expect(matchesSegment({ daysSinceLastContact: { min: 30 } }, profile, now, undefined)).toBe(true);
    expect(matchesSegment({ daysSinceLastContact: { max: 30 } }, profile, now, undefined)).toBe(false);
    expect(matchesSegment({ daysSinceLastContact: { max: 30 } }, profile, now, '2026-03-01T00:00:00Z')).toBe(true);
  });

  it('reads through the narrowest index: churn level, then tier, else every tier partition', () => {
    expect(audiencePartitions({ churnLevels: ['high'], tiers: ['gold'] }, ['bronze', 'gold']).partitions).toEqual([
      { index: 'gsi2', pkName: 'gsi2pk', pk: 'CHURN#high' },
    ]);
    expect(audiencePartitions({ tiers: ['gold'] }, ['bronze', 'gold'])).toMatchObject({ driver: 'tier', partitions: [{ index: 'gsi3', pk: 'TIER#gold' }] });
    expect(audiencePartitions({ labels: { any: ['vip'] } }, ['bronze', 'gold'])).toMatchObject({
      driver: 'all-members',
      partitions: [{ pk: 'TIER#bronze' }, { pk: 'TIER#gold' }],
    });
  });
});
