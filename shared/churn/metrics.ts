/** How well a churn score ranks and how well its level matches what happened (pure). */
import { rocAuc } from '#shared/ai/churn.ts';

export { rocAuc };

/** One tenth of the customers by predicted risk: mean predicted vs observed churn. */
export interface Decile {
  /** 1 = lowest predicted risk. */
  decile: number;
  customers: number;
  predicted: number;
  observed: number;
}

/** Calibration by decile of predicted risk (ties may straddle a boundary; deciles are by rank). */
export function calibrationDeciles(predicted: readonly number[], churned: readonly boolean[], bins = 10): Decile[] {
  const n = predicted.length;
  const order = predicted.map((_, i) => i).sort((a, b) => (predicted[a] as number) - (predicted[b] as number));
  const out: Decile[] = [];
  for (let d = 0; d < bins; d++) {
    const from = Math.floor((d * n) / bins);
    const to = Math.floor(((d + 1) * n) / bins);
    if (to <= from) continue;
    let p = 0;
    let o = 0;
    for (let k = from; k < to; k++) {
      const i = order[k] as number;
      p += predicted[i] as number;
      if (churned[i]) o++;
    }
    const m = to - from;
    out.push({ decile: d + 1, customers: m, predicted: round4(p / m), observed: round4(o / m) });
  }
  return out;
}

export const round4 = (v: number): number => Math.round(v * 1e4) / 1e4;
