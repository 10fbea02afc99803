import { describe, expect, it } from 'vitest';
import { cohortCsv, cohortRetention } from '#shared/churn/cohorts.ts';
import { scoreContactFitted } from '#shared/churn/fitted-score.ts';
import type { History } from '#shared/churn/history.ts';
import type { FittedSpec } from '#shared/churn/model.ts';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const h = (id: string, dates: string[], tier?: string): History => ({ id, days: dates.map(day), amounts: dates.map(() => 10), ...(tier ? { tier } : {}) });

describe('cohort retention', () => {
  const histories = [
    h('a', ['2026-01-05', '2026-02-10', '2026-02-20', '2026-04-01'], 'gold'),
    h('b', ['2026-01-20'], 'bronze'),
    h('c', ['2026-01-31', '2026-03-01'], 'bronze'),
    h('d', ['2026-02-14', '2026-03-15'], 'bronze'),
    h('late', ['2026-05-02']),
  ];
  const report = cohortRetention(histories, day('2026-04-15'));

  it('groups by first-order month and counts each customer once per later month', () => {
    expect(report.customers).toBe(4);
    expect(report.cohorts.map((c) => c.month)).toEqual(['2026-01', '2026-02']);
    const jan = report.cohorts[0];
    expect(jan).toMatchObject({ customers: 3, repeated: 2 });
    // Month 1 (Feb): a; month 2 (Mar): c; month 3 (Apr, begun): a.
    expect(jan?.retention).toEqual([0.3333, 0.3333, 0.3333]);
    expect(report.cohorts[1]).toMatchObject({ customers: 1, repeated: 1, retention: [1, 0] });
    expect(report.repurchaseRate).toBe(0.75);
    expect(report.byTier).toEqual([
      { tier: 'bronze', customers: 3, repurchaseRate: 0.6667 },
      { tier: 'gold', customers: 1, repurchaseRate: 1 },
    ]);
  });

  it('exports the table as CSV with one line per cohort', () => {
    const csv = cohortCsv(report).trim().split('\n');
    expect(csv[0]).toBe('cohort,customers,repurchase_rate,month_1,month_2,month_3');
    expect(csv[1]).toBe('2026-01,3,0.6667,0.3333,0.3333,0.3333');
    expect(csv[2]).toBe('2026-02,1,1,1,0');
  });
});

describe('a contact scored with a fitted model', () => {
  const spec: FittedSpec = {
    kind: 'bgnbd',
    horizonDays: 90,
    params: { r: 0.5, alpha: 20, a: 0.8, b: 2.5 },
    reference: { recency: 30, repeats: 2, gap: 30, medianAov: 50 },
  };
  const orders = [
    { placedAt: '2026-01-01T10:00:00Z', amount: 40 },
    { placedAt: '2026-02-01T10:00:00Z', amount: 40 },
  ];
  const asOf = new Date('2026-09-01T00:00:00Z');
  const settings = { mediumAt: 0.45, highAt: 0.7 };

  it('adds the service-signal priors and their reasons on top of the model', () => {
    const plain = scoreContactFitted(spec, orders, asOf, {}, settings);
    const complaining = scoreContactFitted(spec, orders, asOf, { openComplaints: 2 }, settings);
    expect(complaining?.risk).toBeGreaterThan(plain?.risk as number);
    expect(complaining?.reasons.map((r) => r.code)).toContain('open_complaints');
    expect(plain?.reasons[0]?.code).toBe('long_since_last_purchase');
    expect(plain?.reasons[0]?.zh).toMatch(/距上次购买已 \d+ 天/);
    expect(plain?.features).toMatchObject({ purchases: 2, avgOrderValue: 40 });
  });

  it('orders nothing: no score', () => {
    expect(scoreContactFitted(spec, [], asOf, {}, settings)).toBeUndefined();
  });
});
