/** How a membership is shown to staff (360 view) and to the shopper (widget); pure. */

import { byExpiry, type Lot } from './ledger.ts';
import { avgSpend, type Rfm } from './orders.ts';
import { addDays, nextTier, type TierDef, tierOf, type WindowMetrics } from './tiers.ts';

export interface MembershipInput {
  tiers: readonly TierDef[];
  tierId: string | undefined;
  since?: string;
  balance: number;
  earned: number;
  metrics: WindowMetrics;
  lots: readonly Lot[];
  now: string;
}

/** Tier, benefits, points and progress to the next tier, in zh and en. */
export function membershipView(input: MembershipInput) {
  const tier = tierOf(input.tiers, input.tierId);
  const next = nextTier(input.tiers, tier, input.metrics);
  const soon = addDays(input.now, 30);
  const sorted = [...input.lots].sort(byExpiry);
  const expiringSoon = sorted.filter((l) => l.expiresAt <= soon).reduce((sum, l) => sum + l.remaining, 0);
  const firstLot = sorted[0];
  return {
    tier: { tierId: tier.tierId, rank: tier.rank, name: tier.name, since: input.since },
    benefits: tier.benefits,
    points: {
      balance: input.balance,
      lifetimeEarned: input.earned,
      expiringWithin30Days: expiringSoon,
      ...(firstLot ? { nextExpiry: { points: firstLot.remaining, at: firstLot.expiresAt } } : {}),
    },
    window: input.metrics,
    ...(next
      ? {
          nextTier: {
            tierId: next.tier.tierId,
            name: next.tier.name,
            ...(next.spendToGo !== undefined ? { spendToGo: next.spendToGo } : {}),
            ...(next.pointsToGo !== undefined ? { pointsToGo: next.pointsToGo } : {}),
          },
        }
      : {}),
  };
}

/** RFM figures with the derived average order value. */
export function rfmView(rfm: Rfm) {
  return { ...rfm, avgSpend: avgSpend(rfm) };
}
