/**
 * Fixed-bucket histograms of durations. Counters are added per day and scope as they happen, so a
 * period's distribution is the bucket-wise sum of its days, and the median and p90 come from the
 * stored buckets (linear interpolation inside the bucket that holds the rank), never from averages.
 */

/** Upper edges (seconds, exclusive) of the duration buckets; a last bucket holds everything longer. */
export const DURATION_EDGES: readonly number[] = [60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800, 43_200, 86_400, 172_800, 259_200, 604_800];

/** Number of buckets (the edges plus the overflow bucket). */
export const BUCKETS = DURATION_EDGES.length + 1;

/** Index of the bucket a duration falls into. */
export function bucketOf(seconds: number): number {
  const s = Math.max(0, seconds);
  const i = DURATION_EDGES.findIndex((edge) => s < edge);
  return i === -1 ? DURATION_EDGES.length : i;
}

/** Attribute name of one bucket counter of a histogram metric (flat, so `ADD` creates it). */
export function bucketAttr(metric: string, i: number): string {
  return `${metric}_b${String(i).padStart(2, '0')}`;
}

/** Counter increments that record one observation of a duration metric. */
export function observe(metric: string, seconds: number): Record<string, number> {
  const s = Math.max(0, Math.round(seconds));
  return { [`${metric}_n`]: 1, [`${metric}_sum`]: s, [bucketAttr(metric, bucketOf(s))]: 1 };
}

/** The bucket counts of a metric read back from summed counters. */
export function bucketsOf(counters: Readonly<Record<string, number>>, metric: string): number[] {
  return Array.from({ length: BUCKETS }, (_, i) => counters[bucketAttr(metric, i)] ?? 0);
}

export interface Percentile {
  /** Estimated value (seconds), interpolated inside its bucket; the overflow bucket reports its lower edge. */
  value: number;
  /** Bounds of the bucket that holds the rank: the true value lies in [lower, upper). */
  lower: number;
  upper: number | null;
}

/** The p-quantile (0 < p ≤ 1) of a bucketed distribution; undefined when it is empty. */
export function percentile(buckets: readonly number[], p: number): Percentile | undefined {
  const total = buckets.reduce((a, b) => a + b, 0);
  if (total <= 0) return undefined;
  const rank = Math.min(total, Math.max(1, Math.ceil(p * total)));
  let before = 0;
  for (let i = 0; i < buckets.length; i++) {
    const count = buckets[i] ?? 0;
    if (count > 0 && before + count >= rank) {
      const lower = i === 0 ? 0 : (DURATION_EDGES[i - 1] as number);
      const upper = i < DURATION_EDGES.length ? (DURATION_EDGES[i] as number) : null;
      if (upper === null) return { value: lower, lower, upper };
      const fraction = (rank - before - 0.5) / count;
      return { value: Math.round(lower + (upper - lower) * fraction), lower, upper };
    }
    before += count;
  }
  return undefined;
}
