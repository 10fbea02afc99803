import { describe, expect, it } from 'vitest';
import { BUCKETS, bucketOf, bucketsOf, DURATION_EDGES, observe, percentile } from '#shared/quality/histogram.ts';
import { sumCounters } from '#shared/quality/metrics.ts';

function histogramOf(values: number[]): number[] {
  return bucketsOf(sumCounters(values.map((v) => observe('frt', v))), 'frt');
}

function exactQuantile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

describe('duration histogram', () => {
  it('puts a value in the bucket whose upper edge is above it (edges are exclusive)', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(59)).toBe(0);
    expect(bucketOf(60)).toBe(1);
    expect(bucketOf(604_799)).toBe(DURATION_EDGES.length - 1);
    expect(bucketOf(604_800)).toBe(DURATION_EDGES.length);
    expect(bucketOf(-5)).toBe(0);
    expect(BUCKETS).toBe(DURATION_EDGES.length + 1);
  });

  it('the median and p90 from buckets lie in the bucket of the exact value', () => {
    const values = [10, 45, 70, 100, 130, 200, 250, 290, 400, 650, 900, 1000, 2000, 3000, 5000, 9000, 20_000, 50_000, 90_000, 200_000];
    const buckets = histogramOf(values);
    for (const p of [0.5, 0.9]) {
      const est = percentile(buckets, p)!;
      const exact = exactQuantile(values, p);
      expect(exact).toBeGreaterThanOrEqual(est.lower);
      expect(exact).toBeLessThan(est.upper!);
      expect(est.value).toBeGreaterThanOrEqual(est.lower);
      expect(est.value).toBeLessThan(est.upper!);
    }
  });

  it('interpolates inside a bucket: 4 values in [60,120) give a median near the middle', () => {
    const est = percentile(histogramOf([61, 75, 100, 119]), 0.5)!;
    expect(est).toEqual({ value: 83, lower: 60, upper: 120 });
  });

  it('a single observation is its bucket’s midpoint; the overflow bucket reports its lower edge', () => {
    expect(percentile(histogramOf([30]), 0.5)).toEqual({ value: 30, lower: 0, upper: 60 });
    expect(percentile(histogramOf([10, 1_000_000]), 0.9)).toEqual({ value: 604_800, lower: 604_800, upper: null });
  });

  it('an empty distribution has no percentile', () => {
    expect(percentile(new Array(BUCKETS).fill(0), 0.5)).toBeUndefined();
  });

  it('summing day histograms equals the histogram of all values (what a period query does)', () => {
    const a = [5, 80, 4000];
    const b = [90, 100_000];
    const byDay = sumCounters([sumCounters(a.map((v) => observe('rt', v))), sumCounters(b.map((v) => observe('rt', v)))]);
    expect(bucketsOf(byDay, 'rt')).toEqual(bucketsOf(sumCounters([...a, ...b].map((v) => observe('rt', v))), 'rt'));
    expect(byDay.rt_n).toBe(5);
    expect(byDay.rt_sum).toBe(5 + 80 + 4000 + 90 + 100_000);
  });
});
