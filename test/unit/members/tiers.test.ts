import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  DEFAULT_TIERS,
  nextTier,
  orderPoints,
  qualifyingTier,
  reviewTier,
  type TierState,
  tierOf,
  upgradeOnEvent,
  validateTiers,
} from '#shared/members/tiers.ts';

const settings = { ...DEFAULT_SETTINGS, reviewEveryDays: 30, graceDays: 30 };
const t0 = '2026-01-01T00:00:00.000Z';

describe('tier qualification', () => {
  it('reaches a tier by spend or by points, whichever is met', () => {
    expect(qualifyingTier(DEFAULT_TIERS, { spend: 0, points: 0 }).tierId).toBe('bronze');
    expect(qualifyingTier(DEFAULT_TIERS, { spend: 499.99, points: 0 }).tierId).toBe('bronze');
    expect(qualifyingTier(DEFAULT_TIERS, { spend: 500, points: 0 }).tierId).toBe('silver');
    expect(qualifyingTier(DEFAULT_TIERS, { spend: 100, points: 2500 }).tierId).toBe('gold');
    expect(qualifyingTier(DEFAULT_TIERS, { spend: 9999, points: 0 }).tierId).toBe('platinum');
  });
  it('an unknown stored tier falls back to the entry tier', () => {
    expect(tierOf(DEFAULT_TIERS, 'diamond').tierId).toBe('bronze');
  });
  it('shows what is missing for the next tier', () => {
    const next = nextTier(DEFAULT_TIERS, tierOf(DEFAULT_TIERS, 'silver'), { spend: 1200.5, points: 1000 });
    expect(next).toMatchObject({ tier: { tierId: 'gold' }, spendToGo: 799.5, pointsToGo: 1500 });
    expect(nextTier(DEFAULT_TIERS, tierOf(DEFAULT_TIERS, 'platinum'), { spend: 0, points: 0 })).toBeUndefined();
  });
  it('validates tier lists: entry tier without thresholds, unique ids and ranks, thresholds above it', () => {
    expect(validateTiers(DEFAULT_TIERS)).toEqual([]);
    const [bronze, silver] = DEFAULT_TIERS as [(typeof DEFAULT_TIERS)[0], (typeof DEFAULT_TIERS)[1]];
    expect(validateTiers([{ ...bronze, minSpend: 1 }])).toHaveLength(1);
    expect(validateTiers([bronze, { ...silver, rank: 0 }]).join()).toMatch(/rank 0 is used twice/);
    expect(validateTiers([bronze, { tierId: 'x', rank: 1, name: { zh: 'x', en: 'x' }, benefits: silver.benefits }]).join()).toMatch(
      /needs minSpend or minPoints/,
    );
    expect(validateTiers([])).toHaveLength(1);
  });
  it('earns floor(amount × points per unit × multiplier)', () => {
    expect(orderPoints(99.99, tierOf(DEFAULT_TIERS, 'bronze'), settings)).toBe(99);
    expect(orderPoints(100, tierOf(DEFAULT_TIERS, 'silver'), settings)).toBe(125);
    expect(orderPoints(10.1, tierOf(DEFAULT_TIERS, 'gold'), settings)).toBe(15);
    expect(orderPoints(29.33, tierOf(DEFAULT_TIERS, 'platinum'), { ...settings, pointsPerUnit: 2 })).toBe(117);
  });
});

describe('upgrade on a qualifying event', () => {
  const bronze: TierState = { tierId: 'bronze', since: t0, reviewAt: '2026-01-31T00:00:00.000Z' };
  it('upgrades at once, possibly several tiers, and restarts the review period', () => {
    const out = upgradeOnEvent(bronze, DEFAULT_TIERS, { spend: 2500, points: 0 }, settings, '2026-01-10T00:00:00.000Z');
    expect(out.change).toEqual({ from: 'bronze', to: 'gold', direction: 'up' });
    expect(out.state).toEqual({ tierId: 'gold', since: '2026-01-10T00:00:00.000Z', reviewAt: '2026-02-09T00:00:00.000Z' });
  });
  it('never downgrades on an event', () => {
    const gold: TierState = { tierId: 'gold', since: t0, reviewAt: '2026-01-31T00:00:00.000Z' };
    expect(upgradeOnEvent(gold, DEFAULT_TIERS, { spend: 0, points: 0 }, settings, t0)).toEqual({ state: gold });
  });
  it('requalifying during the grace period ends it', () => {
    const grace: TierState = { tierId: 'silver', since: t0, reviewAt: '2026-03-01T00:00:00.000Z', graceUntil: '2026-03-01T00:00:00.000Z' };
    const out = upgradeOnEvent(grace, DEFAULT_TIERS, { spend: 600, points: 0 }, settings, '2026-02-15T00:00:00.000Z');
    expect(out.state.graceUntil).toBeUndefined();
    expect(out.change).toBeUndefined();
  });
});

describe('scheduled review: grace, then downgrade', () => {
  const gold: TierState = { tierId: 'gold', since: t0, reviewAt: '2026-01-31T00:00:00.000Z' };
  it('keeps a member who still qualifies until the next review', () => {
    const out = reviewTier(gold, DEFAULT_TIERS, { spend: 2100, points: 0 }, settings, '2026-01-31T00:00:00.000Z');
    expect(out.outcome).toBe('kept');
    expect(out.state.reviewAt).toBe('2026-03-02T00:00:00.000Z');
  });
  it('a member who stops qualifying gets the grace period first, then drops to the tier they qualify for', () => {
    const first = reviewTier(gold, DEFAULT_TIERS, { spend: 600, points: 0 }, settings, '2026-01-31T00:00:00.000Z');
    expect(first.outcome).toBe('grace');
    expect(first.state).toMatchObject({ tierId: 'gold', graceUntil: '2026-03-02T00:00:00.000Z', reviewAt: '2026-03-02T00:00:00.000Z' });
    expect(first.change).toBeUndefined();
    const early = reviewTier(first.state, DEFAULT_TIERS, { spend: 600, points: 0 }, settings, '2026-02-15T00:00:00.000Z');
    expect(early.outcome).toBe('grace');
    const second = reviewTier(first.state, DEFAULT_TIERS, { spend: 600, points: 0 }, settings, '2026-03-02T00:00:00.000Z');
    expect(second.outcome).toBe('downgraded');
    expect(second.change).toEqual({ from: 'gold', to: 'silver', direction: 'down' });
    expect(second.state).toEqual({ tierId: 'silver', since: '2026-03-02T00:00:00.000Z', reviewAt: '2026-04-01T00:00:00.000Z' });
  });
  it('requalifying by the end of the grace period keeps the tier', () => {
    const grace = reviewTier(gold, DEFAULT_TIERS, { spend: 0, points: 0 }, settings, '2026-01-31T00:00:00.000Z').state;
    const out = reviewTier(grace, DEFAULT_TIERS, { spend: 2000, points: 0 }, settings, '2026-03-02T00:00:00.000Z');
    expect(out.outcome).toBe('kept');
    expect(out.state.graceUntil).toBeUndefined();
  });
  it('catches up an upgrade the event path missed', () => {
    const bronze: TierState = { tierId: 'bronze', since: t0, reviewAt: t0 };
    expect(reviewTier(bronze, DEFAULT_TIERS, { spend: 700, points: 0 }, settings, t0)).toMatchObject({ outcome: 'upgraded', change: { to: 'silver' } });
  });
});
