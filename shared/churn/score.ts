/**
 * Churn risk of one contact (pure): a thin wrapper around the evaluated shop-wide score in
 * shared/ai/churn.ts (see docs/churn-score.md), which compares each customer with the shop's
 * median order value and purchase rate. Scoring one contact alone would lose those comparisons, so
 * two synthetic reference customers sitting exactly at the shop medians (computed by the daily run)
 * are scored alongside: the median of {contact, ref, ref} is always the reference, and the contact's
 * score equals what it would get in a full-shop run with those medians.
 */
import { type ChurnReason, type Order, type ServiceSignals, scoreChurn } from '#shared/ai/churn.ts';

export const CHURN_LEVELS = ['low', 'medium', 'high'] as const;
export type ChurnLevel = (typeof CHURN_LEVELS)[number];

/** Risk thresholds set by marketing: risk ≥ highAt is high, ≥ mediumAt medium, else low. */
export interface ChurnSettings {
  mediumAt: number;
  highAt: number;
  /** 0 while the built-in defaults apply. */
  version: number;
  updatedAt?: string;
  updatedBy?: string;
}

/** Defaults: a one-time buyer silent for ~half a year (≈ 0.72) is high risk; a regular buyer (≈ 0.14) low. */
export const DEFAULT_CHURN_SETTINGS: ChurnSettings = { mediumAt: 0.45, highAt: 0.7, version: 0 };

/** The level of a risk under the thresholds. */
export function levelOf(risk: number, settings: Pick<ChurnSettings, 'mediumAt' | 'highAt'>): ChurnLevel {
  if (risk >= settings.highAt) return 'high';
  if (risk >= settings.mediumAt) return 'medium';
  return 'low';
}

/** Shop-wide medians the per-contact score is compared against. */
export interface ChurnReference {
  medianAov: number;
  /** Repeat purchases per day of membership (x / max(30, T)), the shop median. */
  medianRatePerDay: number;
  members: number;
  computedAt: string;
}

/** One counted (paid, not refunded) order of the contact. */
export interface ContactOrder {
  placedAt: string;
  amount: number;
}

export interface ContactChurnScore {
  risk: number;
  level: ChurnLevel;
  reasons: ChurnReason[];
  features: { purchases: number; daysSinceLast: number; daysSinceFirst: number; avgOrderValue: number };
}

const REF_SPAN_DAYS = 3600;
const DAY_MS = 86_400_000;

function referenceOrders(ref: ChurnReference, asOf: Date): Order[] {
  const last = Math.floor(asOf.getTime() / DAY_MS);
  const first = last - REF_SPAN_DAYS;
  const repeats = Math.max(0, Math.min(REF_SPAN_DAYS, Math.round(ref.medianRatePerDay * REF_SPAN_DAYS)));
  const orders: Order[] = [];
  for (const customerId of ['\u0000ref-a', '\u0000ref-b']) {
    for (let i = 0; i <= repeats; i++) {
      const day = repeats === 0 ? first : first + Math.round((i * REF_SPAN_DAYS) / repeats);
      orders.push({ customerId, date: new Date(day * DAY_MS).toISOString().slice(0, 10), amount: ref.medianAov });
    }
  }
  return orders;
}

/**
 * Scores one contact from their counted orders and service signals as of `asOf`; undefined when
 * they have no counted order (nothing to churn from).
 */
export function scoreContact(
  contactId: string,
  orders: readonly ContactOrder[],
  asOf: Date,
  signals: ServiceSignals,
  settings: Pick<ChurnSettings, 'mediumAt' | 'highAt'>,
  reference?: ChurnReference,
): ContactChurnScore | undefined {
  const own: Order[] = orders.map((o) => ({ customerId: contactId, date: o.placedAt, amount: o.amount }));
  if (own.length === 0) return undefined;
  const day = asOf.toISOString().slice(0, 10);
  const all = reference && reference.members > 0 ? [...own, ...referenceOrders(reference, asOf)] : own;
  const score = scoreChurn(all, day, { signals: { [contactId]: signals } }).find((s) => s.customerId === contactId);
  if (!score) return undefined;
  return {
    risk: score.risk,
    level: levelOf(score.risk, settings),
    reasons: score.reasons,
    features: {
      purchases: score.features.purchases,
      daysSinceLast: score.features.daysSinceLast,
      daysSinceFirst: score.features.daysSinceFirst,
      avgOrderValue: score.features.avgOrderValue,
    },
  };
}

/** A member's purchase rate and order value from the RFM figures on their profile (for the reference). */
export function memberSample(orderCount: number, totalSpend: number, firstOrderAt: string | undefined, asOf: Date): { aov: number; rate: number } | undefined {
  if (orderCount <= 0 || !firstOrderAt) return undefined;
  const tenureDays = Math.max(0, (asOf.getTime() - Date.parse(firstOrderAt)) / DAY_MS);
  return { aov: totalSpend / orderCount, rate: (orderCount - 1) / Math.max(30, tenureDays) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? 0 : s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Shop medians from a sample of members (positive order values only, as the shop-wide score does). */
export function referenceFrom(samples: readonly { aov: number; rate: number }[], members: number, at: Date): ChurnReference {
  return {
    medianAov: Math.round(median(samples.map((s) => s.aov).filter((v) => v > 0)) * 100) / 100,
    medianRatePerDay: median(samples.map((s) => s.rate)),
    members,
    computedAt: at.toISOString(),
  };
}

/** What changed between the stored churn state and a new score. */
export interface ChurnChange {
  /** Worth a write (risk moved, level or reasons changed, or it was never scored). */
  changed: boolean;
  /** The member just crossed into high risk (an event is recorded). */
  crossedIntoHigh: boolean;
}

/** Compares the stored churn state with a new score (pure). */
export function churnChange(prev: { level?: string; risk?: number; reasonCodes?: readonly string[] }, next: ContactChurnScore | undefined): ChurnChange {
  if (!next) return { changed: prev.level !== undefined, crossedIntoHigh: false };
  const codes = next.reasons.map((r) => r.code);
  const changed =
    prev.level !== next.level || prev.risk === undefined || Math.abs(prev.risk - next.risk) >= 0.001 || (prev.reasonCodes ?? []).join(',') !== codes.join(',');
  return { changed, crossedIntoHigh: next.level === 'high' && prev.level !== 'high' };
}
