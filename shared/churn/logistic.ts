/**
 * L2-regularised logistic regression on standardised features, fitted by Newton–Raphson (IRLS):
 * few features, many rows, so each step is one pass over the rows and a small linear solve. The
 * penalty is λ·n·|β|²/2 on the slopes (not the intercept), so its strength does not depend on n.
 */
import { sigmoid } from './numeric.ts';

export interface LogisticModel {
  /** Per-feature mean and standard deviation used to standardise. */
  mean: number[];
  sd: number[];
  intercept: number;
  /** Slopes on the standardised features. */
  coef: number[];
}

/** Solves A·x = b (A symmetric positive definite, small) by Gaussian elimination with pivoting. */
export function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const m = A.map((row, i) => [...row, b[i] as number]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs((m[r] as number[])[col] as number) > Math.abs((m[pivot] as number[])[col] as number)) pivot = r;
    [m[col], m[pivot]] = [m[pivot] as number[], m[col] as number[]];
    const p = (m[col] as number[])[col] as number;
    if (Math.abs(p) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const row = m[r] as number[];
      const f = (row[col] as number) / p;
      if (f === 0) continue;
      const pr = m[col] as number[];
      for (let c = col; c <= n; c++) row[c] = (row[c] as number) - f * (pr[c] as number);
    }
  }
  return m.map((row, i) => {
    const p = row[i] as number;
    return Math.abs(p) < 1e-12 ? 0 : (row[n] as number) / p;
  });
}

/** Column means and standard deviations (sd 1 for constant columns). */
export function standardiser(rows: readonly Float64Array[] | readonly number[][]): { mean: number[]; sd: number[] } {
  const p = rows[0]?.length ?? 0;
  const mean = new Array<number>(p).fill(0);
  const sq = new Array<number>(p).fill(0);
  for (const row of rows) for (let j = 0; j < p; j++) mean[j] = (mean[j] as number) + (row[j] as number);
  for (let j = 0; j < p; j++) mean[j] = (mean[j] as number) / Math.max(1, rows.length);
  for (const row of rows)
    for (let j = 0; j < p; j++) {
      const d = (row[j] as number) - (mean[j] as number);
      sq[j] = (sq[j] as number) + d * d;
    }
  const sd = sq.map((s) => {
    const v = Math.sqrt(s / Math.max(1, rows.length));
    return v > 1e-9 ? v : 1;
  });
  return { mean, sd };
}

/** Fits the model; labels true = 1. */
export function fitLogistic(
  rows: readonly Float64Array[] | readonly number[][],
  labels: readonly boolean[],
  opts: { lambda?: number; maxIterations?: number } = {},
): LogisticModel {
  const n = rows.length;
  if (n === 0) throw new Error('logistic fit needs rows');
  const lambda = opts.lambda ?? 1e-3;
  const { mean, sd } = standardiser(rows);
  const p = mean.length;
  const k = p + 1;
  const z = rows.map((row) => {
    const v = new Float64Array(k);
    v[0] = 1;
    for (let j = 0; j < p; j++) v[j + 1] = ((row[j] as number) - (mean[j] as number)) / (sd[j] as number);
    return v;
  });
  const y = labels.map((l) => (l ? 1 : 0));
  const positives = y.reduce((s: number, v) => s + v, 0);
  const beta = new Array<number>(k).fill(0);
  beta[0] = Math.log((positives + 0.5) / (n - positives + 0.5));
  for (let it = 0; it < (opts.maxIterations ?? 50); it++) {
    const g = new Array<number>(k).fill(0);
    const H: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let i = 0; i < n; i++) {
      const zi = z[i] as Float64Array;
      let eta = 0;
      for (let j = 0; j < k; j++) eta += (beta[j] as number) * (zi[j] as number);
      const mu = sigmoid(eta);
      const w = Math.max(1e-10, mu * (1 - mu));
      const resid = (y[i] as number) - mu;
      for (let j = 0; j < k; j++) {
        const zj = zi[j] as number;
        g[j] = (g[j] as number) + resid * zj;
        const Hj = H[j] as number[];
        for (let l = j; l < k; l++) Hj[l] = (Hj[l] as number) + w * zj * (zi[l] as number);
      }
    }
    for (let j = 0; j < k; j++) for (let l = 0; l < j; l++) (H[j] as number[])[l] = (H[l] as number[])[j] as number;
    for (let j = 1; j < k; j++) {
      g[j] = (g[j] as number) - lambda * n * (beta[j] as number);
      (H[j] as number[])[j] = ((H[j] as number[])[j] as number) + lambda * n;
    }
    const step = solve(H, g);
    let change = 0;
    for (let j = 0; j < k; j++) {
      beta[j] = (beta[j] as number) + (step[j] as number);
      change = Math.max(change, Math.abs(step[j] as number));
    }
    if (change < 1e-8) break;
  }
  return { mean, sd, intercept: beta[0] as number, coef: beta.slice(1) };
}

/** Per-feature contributions to the log-odds (standardised value × slope). */
export function contributions(m: LogisticModel, row: ArrayLike<number>): number[] {
  return m.coef.map((b, j) => (b * ((row[j] as number) - (m.mean[j] as number))) / (m.sd[j] as number));
}

/** Log-odds of the positive class. */
export function logOdds(m: LogisticModel, row: ArrayLike<number>): number {
  let z = m.intercept;
  for (let j = 0; j < m.coef.length; j++) z += ((m.coef[j] as number) * ((row[j] as number) - (m.mean[j] as number))) / (m.sd[j] as number);
  return z;
}

export function predict(m: LogisticModel, row: ArrayLike<number>): number {
  return sigmoid(logOdds(m, row));
}
