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

const CHURN_LEVEL_TEXT = {
  low: { zh: '流失风险低', en: 'Low churn risk' },
  medium: { zh: '流失风险中', en: 'Medium churn risk' },
  high: { zh: '流失风险高', en: 'High churn risk' },
} as const;

type ChurnLevelName = keyof typeof CHURN_LEVEL_TEXT;

/**
 * The churn score kept on the profile (shared/churn/store.ts writes it at each rescore) as staff
 * read it: risk 0–1, level with its text, and the reasons in zh and en. Undefined before the
 * contact has a score (no counted order yet).
 */
export function churnView(item: Record<string, unknown>) {
  const level = item.churnLevel;
  if (typeof item.churnRisk !== 'number' || typeof level !== 'string' || !(level in CHURN_LEVEL_TEXT)) return undefined;
  const reasons = Array.isArray(item.churnReasons) ? (item.churnReasons as { code?: unknown; zh?: unknown; en?: unknown }[]) : [];
  return {
    risk: Math.round(item.churnRisk * 100) / 100,
    level: level as ChurnLevelName,
    levelText: CHURN_LEVEL_TEXT[level as ChurnLevelName],
    reasons: reasons
      .filter((r) => typeof r?.code === 'string' && typeof r.zh === 'string' && typeof r.en === 'string')
      .map((r) => ({ code: r.code as string, zh: r.zh as string, en: r.en as string })),
    ...(typeof item.churnScoredAt === 'string' ? { scoredAt: item.churnScoredAt } : {}),
  };
}

export type ChurnView = NonNullable<ReturnType<typeof churnView>>;
