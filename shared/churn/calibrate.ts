/**
 * Self-calibration by time split (pure). With as-of date T and horizon H:
 *
 *   training   features as of T − 2H, label "no purchase in (T − 2H, T − H]"
 *   backtest   features as of T − H,  label "no purchase in (T − H, T]"
 *
 * Every candidate is fitted on the training window only and ranked by its ROC AUC on the later
 * backtest window; the hand-set score is a candidate too, and a fitted model is chosen only when
 * it ranks strictly better. An incumbent (the shop's current model) is scored on the same
 * backtest window and stays when the new choice is not better. The chosen kind is then refitted
 * one window later (features as of T − H, label up to T) and scores as of T — the window being
 * scored is never used to choose. Too little history (fewer repeat buyers than configured, or a
 * window without both outcomes) keeps the hand-set score.
 */

import { dayNumber, type Order } from '#shared/ai/churn.ts';
import { type History, historiesFromOrders } from './history.ts';
import { calibrationDeciles, type Decile, rocAuc, round4 } from './metrics.ts';
import { fitKind, MODEL_KINDS, type ModelKind, type ModelSpec, risksAt, type ScoredCustomer, sampleAt, scoreHistories } from './model.ts';

export interface CalibrateOptions {
  /** Label horizon in days; default a third of the history, clamped to 28–182. */
  horizonDays?: number;
  /** Enough history: at least this many customers with ≥ 2 purchase days by T (default 500). */
  minRepeaters?: number;
  /** Each window needs at least this many churned and this many active customers (default 20). */
  minPerClass?: number;
  /** Candidates to try (default all). */
  candidates?: readonly ModelKind[];
  /** The shop's current model: not replaced by one that backtests worse. */
  incumbent?: ModelSpec;
  /** Also return every candidate refitted for scoring (the eval compares them). */
  keepAll?: boolean;
  lambda?: number;
}

export const DEFAULT_MIN_REPEATERS = 500;

export interface CandidateResult {
  kind: ModelKind;
  /** Backtest ROC AUC (null when the fit failed). */
  auc: number | null;
  fitMs: number;
}

/** What the console shows about the active model (stored as the model card). */
export interface ModelCard {
  active: ModelKind;
  spec: ModelSpec;
  /** Why the hand-set score is active without a comparison (not enough history), if so. */
  coldStart?: 'not_enough_history';
  /** Whether a newly chosen model replaced the incumbent (false: the incumbent backtested better). */
  promoted: boolean;
  horizonDays: number | null;
  /** ISO dates of the backtest window. */
  backtest: { featuresAt: string; labelTo: string; customers: number; churnRate: number; auc: number } | null;
  candidates: CandidateResult[];
  /** The incumbent's AUC on the same backtest window. */
  incumbentAuc: number | null;
  /** Predicted vs observed churn by decile on the backtest window (the active model). */
  deciles: Decile[];
  asOf: string;
  customers: number;
  repeaters: number;
}

const DAY = 86_400_000;
const iso = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/** The default horizon for histories whose first purchase is `firstDay`, as of `asOf`. */
export function defaultHorizon(firstDay: number, asOf: number): number {
  return Math.max(28, Math.min(182, Math.floor((asOf - firstDay) / 3)));
}

/** A candidate that ranks better than every other wins; ties go to the earlier (simpler) kind. */
export function selectBest(results: readonly CandidateResult[]): CandidateResult | undefined {
  let best: CandidateResult | undefined;
  for (const r of results) if (r.auc !== null && (best === undefined || (r.auc as number) > (best.auc as number))) best = r;
  return best;
}

/** Whether a challenger replaces the incumbent: only when it backtests strictly better. */
export function shouldPromote(challengerAuc: number, incumbentAuc: number | null): boolean {
  return incumbentAuc === null || challengerAuc > incumbentAuc;
}

/** Calibrates on histories as of day `asOf` (only purchases on or before it are read). */
export function calibrate(
  histories: readonly History[],
  asOf: number,
  opts: CalibrateOptions = {},
): { card: ModelCard; finals?: Partial<Record<ModelKind, ModelSpec>> } {
  let firstDay = Number.POSITIVE_INFINITY;
  let customers = 0;
  let repeaters = 0;
  for (const h of histories) {
    const d0 = h.days[0];
    if (d0 === undefined || d0 > asOf) continue;
    customers++;
    if (d0 < firstDay) firstDay = d0;
    if (h.days.length >= 2 && (h.days[1] as number) <= asOf) repeaters++;
  }
  // Without enough history the incumbent (if any) stays; a new shop starts with the hand-set score.
  const cold = (horizonDays: number | null): { card: ModelCard } => ({
    card: {
      active: opts.incumbent?.kind ?? 'handset',
      spec: opts.incumbent ?? { kind: 'handset' },
      coldStart: 'not_enough_history',
      promoted: false,
      horizonDays,
      backtest: null,
      candidates: [],
      incumbentAuc: null,
      deciles: [],
      asOf: iso(asOf),
      customers,
      repeaters,
    },
  });
  if (customers === 0 || repeaters < (opts.minRepeaters ?? DEFAULT_MIN_REPEATERS)) return cold(null);
  const H = opts.horizonDays ?? defaultHorizon(firstDay, asOf);
  const c1 = asOf - 2 * H;
  const c2 = asOf - H;
  const minPerClass = opts.minPerClass ?? 20;
  const train = sampleAt(histories, c1, H);
  const test = sampleAt(histories, c2, H);
  const classesOk = (churned: boolean[]) => {
    const pos = churned.filter(Boolean).length;
    return pos >= minPerClass && churned.length - pos >= minPerClass;
  };
  if (!classesOk(train.churned) || !classesOk(test.churned)) return cold(H);

  const kinds = opts.candidates ?? MODEL_KINDS;
  const candidates: CandidateResult[] = [];
  const backtestRisks = new Map<ModelKind, number[]>();
  for (const kind of kinds) {
    const t0 = performance.now();
    try {
      const spec = kind === 'handset' ? ({ kind } as const) : fitKind(kind, histories, c1, H, opts.lambda);
      const risks = risksAt(spec, histories, c2);
      backtestRisks.set(kind, risks);
      candidates.push({ kind, auc: round4(rocAuc(risks, test.churned)), fitMs: Math.round(performance.now() - t0) });
    } catch {
      candidates.push({ kind, auc: null, fitMs: Math.round(performance.now() - t0) });
    }
  }
  let best = selectBest(candidates) ?? { kind: 'handset' as const, auc: null, fitMs: 0 };
  // A fitted model must beat the hand-set score it would replace.
  const handsetAuc = candidates.find((c) => c.kind === 'handset')?.auc ?? null;
  if (best.kind !== 'handset' && handsetAuc !== null && !shouldPromote(best.auc as number, handsetAuc))
    best = candidates.find((c) => c.kind === 'handset') as CandidateResult;

  let incumbentAuc: number | null = null;
  let promoted = true;
  let spec: ModelSpec | undefined;
  let risks = backtestRisks.get(best.kind) ?? [];
  if (opts.incumbent) {
    const incumbentRisks = risksAt(opts.incumbent, histories, c2);
    incumbentAuc = round4(rocAuc(incumbentRisks, test.churned));
    if (!shouldPromote(best.auc ?? 0, incumbentAuc)) {
      promoted = false;
      spec = opts.incumbent;
      risks = incumbentRisks;
    }
  }
  const finals: Partial<Record<ModelKind, ModelSpec>> = {};
  const final = (kind: ModelKind): ModelSpec => {
    const cached = finals[kind];
    if (cached) return cached;
    const s: ModelSpec = kind === 'handset' ? { kind } : fitKind(kind, histories, c2, H, opts.lambda);
    finals[kind] = s;
    return s;
  };
  spec ??= final(best.kind);
  if (opts.keepAll) for (const c of candidates) if (c.auc !== null) final(c.kind);
  const active = spec.kind;
  const card: ModelCard = {
    active,
    spec,
    promoted,
    horizonDays: H,
    backtest: {
      featuresAt: iso(c2),
      labelTo: iso(asOf),
      customers: test.churned.length,
      churnRate: round4(test.churned.filter(Boolean).length / test.churned.length),
      auc: promoted ? (best.auc ?? 0) : (incumbentAuc ?? 0),
    },
    candidates,
    incumbentAuc,
    deciles: calibrationDeciles(risks, test.churned),
    asOf: iso(asOf),
    customers,
    repeaters,
  };
  return opts.keepAll ? { card, finals } : { card };
}

/**
 * What `kefu churn score` runs: calibrate on the orders on or before `asOf` (YYYY-MM-DD) and score
 * every customer who had bought by then with the chosen model (the hand-set score without enough
 * history).
 */
export function calibrateAndScore(orders: readonly Order[], asOf: string, opts: CalibrateOptions = {}): { card: ModelCard; scores: ScoredCustomer[] } {
  const day = dayNumber(asOf);
  const histories = historiesFromOrders(orders, asOf);
  const { card } = calibrate(histories, day, opts);
  return { card, scores: scoreHistories(card.spec, histories, day) };
}
