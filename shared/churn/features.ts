/**
 * The fitted models' inputs and their reasons (pure). A feature row is built from a customer's
 * RFM as of a date: recency, frequency, tenure, purchase rate, order value against the shop
 * median, and the inter-purchase rhythm (silence relative to their own mean gap, last gap). Reasons
 * are model-agnostic: each group of features is moved to a typical repeat buyer's value and the
 * change in log-odds is that group's contribution; the groups that raise the risk most are the
 * reasons, in zh and en, with the same codes as the hand-set score.
 */
import { type ChurnReason, churnReason } from '#shared/ai/churn.ts';
import type { Rfm } from './history.ts';

export const FEATURE_NAMES = ['recency', 'frequency', 'tenure', 'rate', 'monetary', 'rhythm', 'lastGap', 'repeat'] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

/** What feature rows are relative to (from the training customers). */
export interface FeatureContext {
  medianAov: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Feature row of one customer; `neutralRhythm` puts them exactly on their own rhythm. */
export function featureRow(c: Rfm, ctx: FeatureContext, neutralRhythm = false): number[] {
  const meanGap = c.x > 0 ? c.tx / c.x : 0;
  const rhythm = c.x > 0 && !neutralRhythm ? clamp(Math.log((c.recency + 1) / (meanGap + 1)), -4, 4) : 0;
  return [
    Math.log1p(c.recency),
    Math.log1p(c.x),
    Math.log1p(c.T),
    Math.log1p((30 * c.x) / (c.T + 30)),
    c.aov > 0 && ctx.medianAov > 0 ? clamp(Math.log(c.aov / ctx.medianAov), -3, 3) : 0,
    rhythm,
    c.x > 0 ? Math.log1p(neutralRhythm ? meanGap : c.lastGap) : 0,
    c.x > 0 ? 1 : 0,
  ];
}

/** A typical repeat buyer, the point reasons are measured from. */
export interface ReasonReference {
  /** Median days since the last purchase. */
  recency: number;
  /** Median repeat purchases of repeat buyers (≥ 1). */
  repeats: number;
  /** Median of repeat buyers' mean gap between purchase days. */
  gap: number;
  medianAov: number;
}

/** Counterfactual customers, one per reason group that could raise the risk. */
export function counterfactuals(c: Rfm, ref: ReasonReference): { code: string; value: number; rfm: Rfm; neutralRhythm?: boolean }[] {
  const out: { code: string; value: number; rfm: Rfm; neutralRhythm?: boolean }[] = [];
  if (c.recency > ref.recency) {
    const recency = ref.recency;
    out.push({
      code: 'long_since_last_purchase',
      value: c.recency,
      rfm: c.x > 0 ? { ...c, recency, tx: c.T - recency, lastGap: c.lastGap + (c.recency - recency) } : { ...c, recency, T: recency },
    });
  }
  if (c.x < ref.repeats) {
    // As many repeat purchases as a typical repeat buyer, ending on the same last purchase: a
    // one-time buyer gets them at the typical gap before it (a longer tenure), others within theirs.
    const x = Math.max(1, ref.repeats);
    const gap = Math.max(1, ref.gap);
    const cf: Rfm = c.x === 0 ? { ...c, x, tx: gap * x, T: c.T + gap * x, lastGap: gap } : { ...c, x, lastGap: Math.min(c.lastGap, Math.max(1, c.tx / x)) };
    out.push({ code: c.x === 0 ? 'single_purchase' : 'low_frequency', value: c.x, rfm: cf });
  }
  if (c.aov > 0 && c.aov < ref.medianAov * 0.8) out.push({ code: 'low_spend', value: c.aov, rfm: { ...c, aov: ref.medianAov } });
  const meanGap = c.x > 0 ? c.tx / c.x : 0;
  if (c.x >= 2 && meanGap > 0 && c.recency > 2 * meanGap)
    out.push({ code: 'overdue_vs_rhythm', value: Math.round((c.recency / meanGap) * 10) / 10, rfm: c, neutralRhythm: true });
  return out;
}

/** A bilingual reason of the fitted models (codes and texts shared with the hand-set score). */
export const reasonOf = churnReason;

/** Reasons from each group's log-odds contribution (largest first, at most `max`, none below 0.05). */
export function topReasons(contribs: readonly { code: string; value: number; weight: number }[], max = 4): { reasons: ChurnReason[]; weights: number[] } {
  const kept = contribs.filter((c) => c.weight >= 0.05).sort((a, b) => b.weight - a.weight);
  const top = kept.slice(0, max);
  if (top.length === 0) return { reasons: [reasonOf('active_regular')], weights: [0] };
  return { reasons: top.map((c) => reasonOf(c.code, c.value)), weights: top.map((c) => c.weight) };
}
