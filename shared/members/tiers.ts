/**
 * Member tiers (pure). A tier is reached by spend or by points earned over a rolling window
 * (either threshold suffices); upgrades happen at once on the event that qualifies, downgrades
 * only at a scheduled review and only after a grace period in which the member still does not
 * qualify.
 */

export interface Text {
  zh: string;
  en: string;
}

export interface TierBenefits {
  /** SLA policy applied to this tier's tickets. */
  slaPolicyId?: string;
  /** Added to a ticket's routing priority (0 = none). */
  priorityBoost: number;
  /** Team that takes this tier's conversations first. */
  routingTeam?: string;
  /** Points per currency unit are multiplied by this. */
  pointsMultiplier: number;
  perks: Text[];
}

export interface TierDef {
  /** kebab-case id, e.g. `gold`. */
  tierId: string;
  /** 0 = entry tier (no thresholds); higher is better. */
  rank: number;
  name: Text;
  /** Spend over the window that qualifies (currency units). */
  minSpend?: number;
  /** Points earned over the window that qualify. */
  minPoints?: number;
  benefits: TierBenefits;
}

export interface LoyaltySettings {
  /** Points per currency unit before the tier multiplier. */
  pointsPerUnit: number;
  /** Points lapse this many months after they were earned. */
  pointsExpiryMonths: number;
  /** Spend and points are counted over this many days back. */
  windowDays: number;
  /** A member's tier is reviewed this often (and held at least this long after an upgrade). */
  reviewEveryDays: number;
  /** A member who stops qualifying keeps the tier this much longer before the downgrade. */
  graceDays: number;
}

export const DEFAULT_SETTINGS: LoyaltySettings = {
  pointsPerUnit: 1,
  pointsExpiryMonths: 12,
  windowDays: 365,
  reviewEveryDays: 30,
  graceDays: 30,
};

/** The program a shop starts with (admins replace it through the tier routes). */
export const DEFAULT_TIERS: readonly TierDef[] = [
  {
    tierId: 'bronze',
    rank: 0,
    name: { zh: '铜卡会员', en: 'Bronze' },
    benefits: { priorityBoost: 0, pointsMultiplier: 1, perks: [{ zh: '每消费 1 元得 1 积分', en: '1 point per currency unit spent' }] },
  },
  {
    tierId: 'silver',
    rank: 1,
    name: { zh: '银卡会员', en: 'Silver' },
    minSpend: 500,
    benefits: {
      priorityBoost: 1,
      pointsMultiplier: 1.25,
      perks: [
        { zh: '积分 1.25 倍', en: '1.25× points' },
        { zh: '生日优惠券', en: 'Birthday coupon' },
      ],
    },
  },
  {
    tierId: 'gold',
    rank: 2,
    name: { zh: '金卡会员', en: 'Gold' },
    minSpend: 2000,
    minPoints: 2500,
    benefits: {
      slaPolicyId: 'vip',
      priorityBoost: 2,
      pointsMultiplier: 1.5,
      perks: [
        { zh: '积分 1.5 倍', en: '1.5× points' },
        { zh: '优先客服', en: 'Priority support' },
        { zh: '免运费', en: 'Free shipping' },
      ],
    },
  },
  {
    tierId: 'platinum',
    rank: 3,
    name: { zh: '白金会员', en: 'Platinum' },
    minSpend: 5000,
    minPoints: 6000,
    benefits: {
      slaPolicyId: 'vip',
      priorityBoost: 3,
      routingTeam: 'vip',
      pointsMultiplier: 2,
      perks: [
        { zh: '积分 2 倍', en: '2× points' },
        { zh: '专属客服团队', en: 'Dedicated VIP support team' },
        { zh: '免运费与优先发货', en: 'Free and priority shipping' },
      ],
    },
  },
];

/** Spend and points over the window ending at the moment of evaluation. */
export interface WindowMetrics {
  spend: number;
  points: number;
}

/** A member's tier state as stored on the contact profile. */
export interface TierState {
  tierId: string;
  since: string;
  reviewAt: string;
  /** Set while the member no longer qualifies: the downgrade happens at this time. */
  graceUntil?: string;
}

export interface TierChange {
  from: string | undefined;
  to: string;
  direction: 'up' | 'down';
}

const DAY_MS = 86_400_000;

/** `iso` plus days, as ISO. */
export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * DAY_MS).toISOString();
}

/** Tiers from lowest to highest rank. */
export function sortTiers(tiers: readonly TierDef[]): TierDef[] {
  return [...tiers].sort((a, b) => a.rank - b.rank);
}

/** Problems that make a tier list unusable (shown to the admin in both languages by the route). */
export function validateTiers(tiers: readonly TierDef[]): string[] {
  const problems: string[] = [];
  const sorted = sortTiers(tiers);
  if (sorted.length === 0) return ['at least one tier is needed'];
  const entry = sorted[0]!;
  if (entry.minSpend !== undefined || entry.minPoints !== undefined) problems.push(`the lowest tier (${entry.tierId}) must have no thresholds`);
  const ids = new Set<string>();
  const ranks = new Set<number>();
  for (const t of sorted) {
    if (ids.has(t.tierId)) problems.push(`tier id ${t.tierId} is used twice`);
    if (ranks.has(t.rank)) problems.push(`rank ${t.rank} is used twice`);
    ids.add(t.tierId);
    ranks.add(t.rank);
    if (t !== entry && t.minSpend === undefined && t.minPoints === undefined) problems.push(`tier ${t.tierId} needs minSpend or minPoints`);
  }
  return problems;
}

/** The entry tier: where every member starts. */
export function entryTier(tiers: readonly TierDef[]): TierDef {
  const first = sortTiers(tiers)[0];
  if (!first) throw new Error('no tiers configured');
  return first;
}

/** The highest tier whose spend or points threshold the metrics meet. */
export function qualifyingTier(tiers: readonly TierDef[], metrics: WindowMetrics): TierDef {
  let best = entryTier(tiers);
  for (const t of sortTiers(tiers)) {
    const bySpend = t.minSpend !== undefined && metrics.spend >= t.minSpend;
    const byPoints = t.minPoints !== undefined && metrics.points >= t.minPoints;
    if (t.rank > best.rank && (bySpend || byPoints)) best = t;
  }
  return best;
}

/** A stored tier id resolved against the current definitions (an unknown id falls back to the entry tier). */
export function tierOf(tiers: readonly TierDef[], tierId: string | undefined): TierDef {
  return tiers.find((t) => t.tierId === tierId) ?? entryTier(tiers);
}

/** The next tier up and what is still missing to reach it (for the widget and the 360 view). */
export function nextTier(
  tiers: readonly TierDef[],
  current: TierDef,
  metrics: WindowMetrics,
): { tier: TierDef; spendToGo?: number; pointsToGo?: number } | undefined {
  const next = sortTiers(tiers).find((t) => t.rank > current.rank);
  if (!next) return undefined;
  return {
    tier: next,
    ...(next.minSpend !== undefined ? { spendToGo: Math.max(0, Math.round((next.minSpend - metrics.spend) * 100) / 100) } : {}),
    ...(next.minPoints !== undefined ? { pointsToGo: Math.max(0, next.minPoints - metrics.points) } : {}),
  };
}

/** Whether any tier has a spend (or points) threshold: the store only computes the metrics it needs. */
export function metricsNeeded(tiers: readonly TierDef[]): { spend: boolean; points: boolean } {
  return { spend: tiers.some((t) => t.minSpend !== undefined), points: tiers.some((t) => t.minPoints !== undefined) };
}

/** The state of a member seen for the first time: the entry tier, reviewed after one period. */
export function initialTier(tiers: readonly TierDef[], settings: LoyaltySettings, at: string): TierState {
  return { tierId: entryTier(tiers).tierId, since: at, reviewAt: addDays(at, settings.reviewEveryDays) };
}

/** After a qualifying event: upgrade at once when the metrics reach a higher tier; never downgrade here. */
export function upgradeOnEvent(
  state: TierState,
  tiers: readonly TierDef[],
  metrics: WindowMetrics,
  settings: LoyaltySettings,
  at: string,
): { state: TierState; change?: TierChange } {
  const current = tierOf(tiers, state.tierId);
  const target = qualifyingTier(tiers, metrics);
  if (target.rank === current.rank && state.graceUntil) {
    const { graceUntil: _cleared, ...rest } = state;
    return { state: rest };
  }
  if (target.rank <= current.rank) return { state };
  return {
    state: { tierId: target.tierId, since: at, reviewAt: addDays(at, settings.reviewEveryDays) },
    change: { from: state.tierId, to: target.tierId, direction: 'up' },
  };
}

/**
 * The scheduled review: a member who qualifies keeps (or gains) the tier until the next review;
 * one who does not enters a grace period, and is moved down to the tier they qualify for when a
 * review at or after the end of the grace period still finds them short.
 */
export function reviewTier(
  state: TierState,
  tiers: readonly TierDef[],
  metrics: WindowMetrics,
  settings: LoyaltySettings,
  now: string,
): { state: TierState; change?: TierChange; outcome: 'kept' | 'upgraded' | 'grace' | 'downgraded' } {
  const current = tierOf(tiers, state.tierId);
  const target = qualifyingTier(tiers, metrics);
  const nextReview = addDays(now, settings.reviewEveryDays);
  if (target.rank > current.rank) {
    return {
      state: { tierId: target.tierId, since: now, reviewAt: nextReview },
      change: { from: state.tierId, to: target.tierId, direction: 'up' },
      outcome: 'upgraded',
    };
  }
  if (target.rank === current.rank) {
    return { state: { tierId: current.tierId, since: state.since, reviewAt: nextReview }, outcome: 'kept' };
  }
  if (!state.graceUntil) {
    const graceUntil = addDays(now, settings.graceDays);
    return { state: { ...state, tierId: current.tierId, graceUntil, reviewAt: graceUntil }, outcome: 'grace' };
  }
  if (state.graceUntil > now) return { state: { ...state, reviewAt: state.graceUntil }, outcome: 'grace' };
  return {
    state: { tierId: target.tierId, since: now, reviewAt: nextReview },
    change: { from: state.tierId, to: target.tierId, direction: 'down' },
    outcome: 'downgraded',
  };
}

/** Points a paid order earns: floor(amount × points per unit × the tier's multiplier). */
export function orderPoints(amount: number, tier: TierDef, settings: LoyaltySettings): number {
  return Math.max(0, Math.floor(amount * settings.pointsPerUnit * tier.benefits.pointsMultiplier + 1e-9));
}
