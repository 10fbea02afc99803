/**
 * Churn part of `npm run eval`: the self-calibrating model on the CDNOW sample. Features and every
 * fit use only orders on or before 1997-09-30; the label is "no purchase 1997-10-01..1998-06-30".
 * Prints each candidate's backtest AUC (the later window inside the history, what selection uses)
 * and its AUC on the eval label, the chosen model, recency alone and the hand-set score, all
 * measured in this run.
 */
import { readFileSync } from 'node:fs';
import { dayNumber, parseOrdersCsv, rocAuc } from '../shared/ai/churn.ts';
import { calibrate } from '../shared/churn/calibrate.ts';
import { historiesFromOrders, rfmAt } from '../shared/churn/history.ts';
import { type MODEL_KINDS, scoreHistories } from '../shared/churn/model.ts';
import { EVAL, record } from './eval-common.ts';

export function evalChurnModel(): void {
  const S = 'churn model (cdnow, as of 1997-09-30)';
  const orders = parseOrdersCsv(readFileSync(`${EVAL}/cdnow/orders-sample.csv`, 'utf8'));
  const asOf = dayNumber('1997-09-30');
  const from = dayNumber('1997-10-01');
  const to = dayNumber('1998-06-30');
  const active = new Set(orders.filter((o) => dayNumber(o.date) >= from && dayNumber(o.date) <= to).map((o) => o.customerId));
  // Only what was known on the as-of date goes into calibration and scoring.
  const known = historiesFromOrders(orders, '1997-09-30');
  const t0 = performance.now();
  const { card, finals } = calibrate(known, asOf, { keepAll: true });
  const calibrateMs = performance.now() - t0;
  const churnedOf = (ids: readonly string[]) => ids.map((id) => !active.has(id));
  const recency = known.map((h) => rfmAt(h, asOf)?.recency ?? 0);
  const recencyAuc = rocAuc(recency, churnedOf(known.map((h) => h.id)));
  const aucOf = (kind: (typeof MODEL_KINDS)[number]) => {
    const spec = finals?.[kind];
    if (!spec) return null;
    const scored = scoreHistories(spec, known, asOf);
    return rocAuc(
      scored.map((s) => s.risk),
      churnedOf(scored.map((s) => s.customerId)),
    );
  };
  const handset = aucOf('handset') as number;
  for (const c of card.candidates) {
    record(S, `${c.kind}: backtest AUC (${card.backtest?.featuresAt} → ${card.backtest?.labelTo})`, c.auc ?? Number.NaN, null);
    record(S, `${c.kind}: AUC on the eval label (baseline: recency alone)`, aucOf(c.kind) ?? Number.NaN, recencyAuc);
  }
  record(S, `chosen (${card.active}): AUC on the eval label (baseline: recency alone)`, aucOf(card.active) ?? Number.NaN, recencyAuc, { atLeast: 0.78 });
  record(S, 'chosen minus hand-set (AUC points)', ((aucOf(card.active) ?? 0) - handset) * 100, null);
  record(S, 'hand-set score: AUC on the eval label (baseline: recency alone)', handset, recencyAuc);
  record(S, 'horizon days (a third of the history)', card.horizonDays ?? 0, null);
  record(S, 'customers / repeat buyers by the as-of date', card.customers, card.repeaters);
  record(S, 'calibrate ms (all candidates)', calibrateMs, null);
}
