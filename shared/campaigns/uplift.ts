/**
 * Campaign measurement statistics (pure): recall (conversion) rate per arm, and the uplift of the
 * treated arm over the randomised holdout as a difference of proportions with Newcombe's hybrid
 * score interval (Wilson intervals of each arm combined: it stays inside [−1, 1] and keeps its
 * coverage for small arms and rates near 0 or 1, where the Wald interval reports nonsense such as
 * −103 pp), plus the difference in revenue per member with a Welch-type interval. Holdout members are drawn by the same hash as everyone else, so the
 * difference estimates the campaign's causal effect on the eligible audience.
 */

/** Per-arm totals, accumulated member by member. */
export interface ArmTotals {
  members: number;
  /** Members with at least one attributed order. */
  converters: number;
  revenue: number;
  /** Sum of squared per-member revenue (for the revenue interval). */
  revenueSquares: number;
  orders: number;
}

export const EMPTY_ARM: ArmTotals = { members: 0, converters: 0, revenue: 0, revenueSquares: 0, orders: 0 };

/** Adds one member's outcome to an arm. */
export function addMember(arm: ArmTotals, orders: number, revenue: number): ArmTotals {
  return {
    members: arm.members + 1,
    converters: arm.converters + (orders > 0 ? 1 : 0),
    revenue: arm.revenue + revenue,
    revenueSquares: arm.revenueSquares + revenue * revenue,
    orders: arm.orders + orders,
  };
}

/** Two-sided 95 % normal quantile. */
export const Z95 = 1.959963984540054;

export interface Interval {
  estimate: number;
  low: number;
  high: number;
  standardError: number;
}

/** Wilson score interval of a proportion hits/n (Wilson 1927). */
export function wilson(hits: number, n: number, z = Z95): { low: number; high: number } {
  const p = hits / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Difference of proportions p_t − p_c with Newcombe's hybrid score interval (method 10 of Newcombe
 * 1998); `standardError` is the unpooled one, for reference. Undefined when an arm is empty.
 */
export function differenceOfProportions(treatedHits: number, treatedN: number, controlHits: number, controlN: number, z = Z95): Interval | undefined {
  if (treatedN <= 0 || controlN <= 0) return undefined;
  const pt = treatedHits / treatedN;
  const pc = controlHits / controlN;
  const t = wilson(treatedHits, treatedN, z);
  const c = wilson(controlHits, controlN, z);
  const d = pt - pc;
  const se = Math.sqrt((pt * (1 - pt)) / treatedN + (pc * (1 - pc)) / controlN);
  return {
    estimate: d,
    low: Math.max(-1, d - Math.sqrt((pt - t.low) ** 2 + (c.high - pc) ** 2)),
    high: Math.min(1, d + Math.sqrt((t.high - pt) ** 2 + (pc - c.low) ** 2)),
    standardError: se,
  };
}

/**
 * Below this many members in either arm no difference is called significant, whatever the
 * interval says: the report says the holdout (or the treated group) is too small instead.
 */
export const MIN_ARM_MEMBERS = 30;

function meanAndVariance(arm: ArmTotals): { mean: number; variance: number } {
  const mean = arm.members > 0 ? arm.revenue / arm.members : 0;
  const variance = arm.members > 1 ? Math.max(0, (arm.revenueSquares - arm.members * mean * mean) / (arm.members - 1)) : 0;
  return { mean, variance };
}

/** Difference in mean revenue per member with a Welch-type normal interval; undefined when an arm is empty. */
export function revenueDifference(treated: ArmTotals, control: ArmTotals, z = Z95): Interval | undefined {
  if (treated.members <= 0 || control.members <= 0) return undefined;
  const t = meanAndVariance(treated);
  const c = meanAndVariance(control);
  const se = Math.sqrt(t.variance / treated.members + c.variance / control.members);
  const d = t.mean - c.mean;
  return { estimate: d, low: d - z * se, high: d + z * se, standardError: se };
}

const round = (v: number, digits = 4) => Math.round(v * 10 ** digits) / 10 ** digits;

/** What the report shows for one comparison of a treated arm against the holdout. */
export function compareArms(treated: ArmTotals, control: ArmTotals) {
  const rate = (a: ArmTotals) => (a.members > 0 ? round(a.converters / a.members) : null);
  const perMember = (a: ArmTotals) => (a.members > 0 ? round(a.revenue / a.members, 2) : null);
  const uplift = differenceOfProportions(treated.converters, treated.members, control.converters, control.members);
  const revenue = revenueDifference(treated, control);
  const tooSmall = treated.members < MIN_ARM_MEMBERS || control.members < MIN_ARM_MEMBERS;
  const fmt = (i: Interval | undefined, digits: number) =>
    i
      ? {
          estimate: round(i.estimate, digits),
          ci95: [round(i.low, digits), round(i.high, digits)] as [number, number],
          significant: !tooSmall && (i.low > 0 || i.high < 0),
          /** Too few members in an arm to call any difference (see MIN_ARM_MEMBERS). */
          tooSmall,
        }
      : null;
  return {
    treated: {
      members: treated.members,
      converters: treated.converters,
      recallRate: rate(treated),
      orders: treated.orders,
      revenue: round(treated.revenue, 2),
      revenuePerMember: perMember(treated),
    },
    holdout: {
      members: control.members,
      converters: control.converters,
      recallRate: rate(control),
      orders: control.orders,
      revenue: round(control.revenue, 2),
      revenuePerMember: perMember(control),
    },
    uplift: fmt(uplift, 4),
    revenuePerMemberUplift: fmt(revenue, 2),
    /** Conversions and revenue the campaign caused among the treated, by the point estimates. */
    incremental: uplift && revenue ? { conversions: round(uplift.estimate * treated.members, 1), revenue: round(revenue.estimate * treated.members, 2) } : null,
  };
}
