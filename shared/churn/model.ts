/**
 * The churn model a shop runs (pure): the hand-set score as the cold-start default, or a model
 * fitted on the shop's own orders — BG/NBD (P(no purchase in the horizon)), a regularised logistic
 * model on RFM and rhythm features, or that logistic model with the BG/NBD churn odds as one more
 * feature. `ModelSpec` is what is stored and scored with; risk = P(no purchase in the next
 * `horizonDays`) for fitted models.
 */
import { type ChurnReason, type Order, scoreChurn } from '#shared/ai/churn.ts';
import { type BgnbdParams, fitBgnbd, pNoPurchase } from './bgnbd.ts';
import { counterfactuals, type FeatureContext, featureRow, type ReasonReference, topReasons } from './features.ts';
import { type History, isoDay, median, type Rfm, rfmAt, silentIn } from './history.ts';
import { fitLogistic, type LogisticModel, logOdds } from './logistic.ts';
import { logit, sigmoid } from './numeric.ts';

export const MODEL_KINDS = ['handset', 'bgnbd', 'logistic', 'logistic_bgnbd'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export type ModelSpec =
  | { kind: 'handset' }
  | { kind: 'bgnbd'; horizonDays: number; params: BgnbdParams; reference: ReasonReference }
  | {
      kind: 'logistic' | 'logistic_bgnbd';
      horizonDays: number;
      logistic: LogisticModel;
      context: FeatureContext;
      reference: ReasonReference;
      /** BG/NBD parameters whose churn log-odds is the last feature (logistic_bgnbd). */
      bgnbd?: BgnbdParams;
    };

export type FittedSpec = Exclude<ModelSpec, { kind: 'handset' }>;

/** Training customers: RFM as of a cutoff and, when known, whether they bought nothing in the horizon after it. */
export interface Sample {
  rfm: Rfm[];
  churned: boolean[];
}

/** Customers who had bought by `cutoff`, their RFM then and whether they were silent in (cutoff, cutoff + horizon]. */
export function sampleAt(histories: readonly History[], cutoff: number, horizon: number): Sample {
  const rfm: Rfm[] = [];
  const churned: boolean[] = [];
  for (const h of histories) {
    const c = rfmAt(h, cutoff);
    if (!c) continue;
    rfm.push(c);
    churned.push(silentIn(h, cutoff, cutoff + horizon));
  }
  return { rfm, churned };
}

/** Training origins per fit: the latest cutoff and up to this many earlier ones, a third of a horizon apart. */
export const EXTRA_ORIGINS = 3;

/**
 * Training customers from several cutoffs (the latest `featuresAt`, then earlier ones a third of a
 * horizon apart, each with its whole horizon of outcome on or before `featuresAt + horizon`): more
 * rows, and tenures like the ones scored later. Earlier cutoffs need ≥ 30 days of history.
 */
export function stackedSample(histories: readonly History[], featuresAt: number, horizon: number): Sample {
  const out = sampleAt(histories, featuresAt, horizon);
  let first = Number.POSITIVE_INFINITY;
  for (const h of histories) if ((h.days[0] as number) < first) first = h.days[0] as number;
  const step = Math.max(7, Math.round(horizon / 3));
  for (let k = 1; k <= EXTRA_ORIGINS; k++) {
    const origin = featuresAt - k * step;
    if (origin - first < 30) break;
    const s = sampleAt(histories, origin, horizon);
    out.rfm.push(...s.rfm);
    out.churned.push(...s.churned);
  }
  return out;
}

/** The typical repeat buyer reasons are measured from (medians of the customers given). */
export function reasonReference(rfm: readonly Rfm[]): ReasonReference {
  const repeaters = rfm.filter((c) => c.x > 0);
  return {
    recency: median(rfm.map((c) => c.recency)),
    repeats: Math.max(1, Math.round(median(repeaters.map((c) => c.x)))),
    gap: Math.round(median(repeaters.map((c) => c.tx / c.x))),
    medianAov: median(rfm.map((c) => c.aov).filter((v) => v > 0)),
  };
}

/** Log-odds of churn under a fitted model. */
export function fittedLogOdds(spec: FittedSpec, c: Rfm, neutralRhythm = false): number {
  if (spec.kind === 'bgnbd') return logit(pNoPurchase(spec.params, c, spec.horizonDays));
  const row = featureRow(c, spec.context, neutralRhythm);
  if (spec.bgnbd) row.push(logit(pNoPurchase(spec.bgnbd, c, spec.horizonDays)));
  return logOdds(spec.logistic, row);
}

/** Risk and reasons of one customer under a fitted model. */
export function scoreFitted(spec: FittedSpec, c: Rfm): { risk: number; reasons: ChurnReason[]; logOdds: number } {
  const z = fittedLogOdds(spec, c);
  const contribs = counterfactuals(c, spec.reference).map((cf) => ({
    code: cf.code,
    value: cf.code === 'low_spend' ? Math.round(cf.value * 100) / 100 : cf.value,
    weight: z - fittedLogOdds(spec, cf.rfm, cf.neutralRhythm),
  }));
  return { risk: sigmoid(z), reasons: topReasons(contribs).reasons, logOdds: z };
}

/** Orders of the histories up to a cutoff (what the hand-set score reads). */
export function ordersThrough(histories: readonly History[], cutoff: number): Order[] {
  const orders: Order[] = [];
  for (const h of histories)
    for (let i = 0; i < h.days.length && (h.days[i] as number) <= cutoff; i++)
      orders.push({ customerId: h.id, date: isoDay(h.days[i] as number), amount: h.amounts[i] as number });
  return orders;
}

/** One scored customer. */
export interface ScoredCustomer {
  customerId: string;
  risk: number;
  reasons: ChurnReason[];
}

/** Scores every customer who had bought by `asOf` (a day number) under a model; sorted by id. */
export function scoreHistories(spec: ModelSpec, histories: readonly History[], asOf: number): ScoredCustomer[] {
  if (spec.kind === 'handset')
    return scoreChurn(ordersThrough(histories, asOf), isoDay(asOf)).map((s) => ({ customerId: s.customerId, risk: s.risk, reasons: s.reasons }));
  const out: ScoredCustomer[] = [];
  for (const h of histories) {
    const c = rfmAt(h, asOf);
    if (!c) continue;
    const s = scoreFitted(spec, c);
    out.push({ customerId: h.id, risk: Math.round(s.risk * 1e4) / 1e4, reasons: s.reasons });
  }
  return out.sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
}

/** Risks of the customers who had bought by `cutoff`, in `sampleAt` order (no reasons: the fast path for backtests). */
export function risksAt(spec: ModelSpec, histories: readonly History[], cutoff: number): number[] {
  if (spec.kind === 'handset') {
    const byId = new Map(scoreChurn(ordersThrough(histories, cutoff), isoDay(cutoff)).map((s) => [s.customerId, s.risk]));
    const out: number[] = [];
    for (const h of histories) if ((h.days[0] as number) <= cutoff) out.push(byId.get(h.id) as number);
    return out;
  }
  const out: number[] = [];
  for (const h of histories) {
    const c = rfmAt(h, cutoff);
    if (c) out.push(sigmoid(fittedLogOdds(spec, c)));
  }
  return out;
}

/**
 * Fits a model of `kind` whose features are as of `featuresAt`, learning from what happened in
 * (featuresAt, featuresAt + horizon] — every order used is on or before `featuresAt + horizon`.
 * BG/NBD needs no labels: it is fitted on the purchases up to `featuresAt + horizon`.
 */
export function fitKind(kind: Exclude<ModelKind, 'handset'>, histories: readonly History[], featuresAt: number, horizon: number, lambda = 1e-2): FittedSpec {
  const end = featuresAt + horizon;
  if (kind === 'bgnbd') {
    const all: Rfm[] = [];
    for (const h of histories) {
      const c = rfmAt(h, end);
      if (c) all.push(c);
    }
    const { r, alpha, a, b } = fitBgnbd(all);
    return { kind, horizonDays: horizon, params: { r, alpha, a, b }, reference: reasonReference(all) };
  }
  const sample = stackedSample(histories, featuresAt, horizon);
  const context: FeatureContext = { medianAov: median(sample.rfm.map((c) => c.aov).filter((v) => v > 0)) };
  let bgnbd: BgnbdParams | undefined;
  if (kind === 'logistic_bgnbd') {
    const { r, alpha, a, b } = fitBgnbd(sample.rfm);
    bgnbd = { r, alpha, a, b };
  }
  const rows = sample.rfm.map((c) => {
    const row = featureRow(c, context);
    if (bgnbd) row.push(logit(pNoPurchase(bgnbd, c, horizon)));
    return row;
  });
  const logistic = fitLogistic(rows, sample.churned, { lambda });
  return { kind, horizonDays: horizon, logistic, context, reference: reasonReference(sample.rfm), ...(bgnbd ? { bgnbd } : {}) };
}
