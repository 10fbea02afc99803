import { describe, expect, it } from 'vitest';
import { mulberry32 } from '#shared/ai/softmax.ts';
import { bgnbdLogLik, expectedPurchases, fitBgnbd, pAlive, pNoPurchase, simulateBgnbd } from '#shared/churn/bgnbd.ts';
import { calibrate, selectBest, shouldPromote } from '#shared/churn/calibrate.ts';
import { decodeHistory, encodeHistory, type History, historiesFromOrders, historyText, rfmAt } from '#shared/churn/history.ts';
import { fitLogistic, predict } from '#shared/churn/logistic.ts';
import { calibrationDeciles, rocAuc } from '#shared/churn/metrics.ts';
import { scoreHistories } from '#shared/churn/model.ts';
import { lnGamma, nelderMead } from '#shared/churn/numeric.ts';

const rng = mulberry32;

/** Shop histories simulated from BG/NBD: first purchase spread over `spread` days before day 0 + `length`. */
function simulateShop(n: number, seed: number, length = 540, spread = 180): History[] {
  const rand = rng(seed);
  const out: History[] = [];
  for (let i = 0; i < n; i++) {
    const start = Math.floor(rand() * spread);
    // Simulate purchase days directly so the histories carry day numbers.
    const days = [start];
    const rate = -Math.log(1 - rand()) * 0.02 * rand() + 0.002;
    const drop = 0.15 + 0.5 * rand();
    let t = start;
    for (;;) {
      t += Math.ceil(-Math.log(1 - rand()) / rate);
      if (t > length) break;
      days.push(t);
      if (rand() < drop) break;
    }
    out.push({ id: `c${i}`, days, amounts: days.map(() => 10 + Math.round(rand() * 90)) });
  }
  return out;
}

describe('numeric tools', () => {
  it('lnGamma matches known values', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 10);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 10);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 10);
  });
  it('Nelder–Mead finds the minimum of a shifted quadratic', () => {
    const r = nelderMead((x) => ((x[0] as number) - 3) ** 2 + 2 * ((x[1] as number) + 1) ** 2, [0, 0]);
    expect(r.x[0]).toBeCloseTo(3, 3);
    expect(r.x[1]).toBeCloseTo(-1, 3);
  });
});

describe('BG/NBD', () => {
  it('recovers the parameters it was simulated from (roughly)', () => {
    const truth = { r: 0.6, alpha: 20, a: 0.9, b: 3 };
    const data = simulateBgnbd(truth, 8000, 365, rng(7));
    const fit = fitBgnbd(data);
    expect(fit.r).toBeGreaterThan(truth.r * 0.75);
    expect(fit.r).toBeLessThan(truth.r * 1.33);
    expect(fit.alpha).toBeGreaterThan(truth.alpha * 0.7);
    expect(fit.alpha).toBeLessThan(truth.alpha * 1.43);
    // Mean dropout probability a / (a + b) is what the data pins down best.
    expect(fit.a / (fit.a + fit.b)).toBeGreaterThan(0.7 * (truth.a / (truth.a + truth.b)));
    expect(fit.a / (fit.a + fit.b)).toBeLessThan(1.43 * (truth.a / (truth.a + truth.b)));
    expect(fit.logLik).toBeGreaterThanOrEqual(bgnbdLogLik(truth, data));
  });
  it('P(alive) falls with silence, P(no purchase) is a probability that falls with the horizon', () => {
    const p = { r: 0.5, alpha: 10, a: 0.8, b: 2.5 };
    expect(pAlive(p, { x: 3, tx: 100, T: 110 })).toBeGreaterThan(pAlive(p, { x: 3, tx: 20, T: 110 }));
    expect(pAlive(p, { x: 0, tx: 0, T: 300 })).toBe(1);
    const c = { x: 2, tx: 40, T: 90 };
    const short = pNoPurchase(p, c, 30);
    const long = pNoPurchase(p, c, 300);
    expect(short).toBeLessThanOrEqual(1);
    expect(long).toBeGreaterThan(0);
    expect(long).toBeLessThan(short);
  });
  it('expected purchases grow with the horizon and with past frequency', () => {
    const p = { r: 0.5, alpha: 10, a: 1.5, b: 2.5 };
    expect(expectedPurchases(p, { x: 2, tx: 80, T: 90 }, 180)).toBeGreaterThan(expectedPurchases(p, { x: 2, tx: 80, T: 90 }, 30));
    expect(expectedPurchases(p, { x: 6, tx: 80, T: 90 }, 90)).toBeGreaterThan(expectedPurchases(p, { x: 1, tx: 80, T: 90 }, 90));
  });
});

describe('logistic regression', () => {
  it('recovers known slopes from simulated data', () => {
    const rand = rng(3);
    const rows: number[][] = [];
    const labels: boolean[] = [];
    for (let i = 0; i < 20000; i++) {
      const x1 = rand() * 4 - 2;
      const x2 = rand() * 4 - 2;
      const p = 1 / (1 + Math.exp(-(0.5 + 1.5 * x1 - 1 * x2)));
      rows.push([x1, x2]);
      labels.push(rand() < p);
    }
    const m = fitLogistic(rows, labels, { lambda: 0 });
    // Slopes are on standardised features: divide by sd to compare with the raw ones.
    expect((m.coef[0] as number) / (m.sd[0] as number)).toBeCloseTo(1.5, 0);
    expect((m.coef[1] as number) / (m.sd[1] as number)).toBeCloseTo(-1, 0);
    expect(predict(m, [2, -2])).toBeGreaterThan(predict(m, [-2, 2]));
  });
  it('the penalty shrinks the slopes', () => {
    const rows = [
      [0, 1],
      [1, 0],
      [2, 1],
      [3, 0],
    ];
    const labels = [false, false, true, true];
    const loose = fitLogistic(rows, labels, { lambda: 1e-3 });
    const tight = fitLogistic(rows, labels, { lambda: 1 });
    expect(Math.abs(tight.coef[0] as number)).toBeLessThan(Math.abs(loose.coef[0] as number));
  });
});

describe('metrics and selection', () => {
  it('a perfect ranking has AUC 1, a reversed one 0, a constant 0.5', () => {
    const labels = [false, false, true, true, true];
    expect(rocAuc([1, 2, 3, 4, 5], labels)).toBe(1);
    expect(rocAuc([5, 4, 3, 2, 1], labels)).toBe(0);
    expect(rocAuc([1, 1, 1, 1, 1], labels)).toBe(0.5);
  });
  it('deciles cover everyone and are ordered by predicted risk', () => {
    const predicted = Array.from({ length: 95 }, (_, i) => i / 95);
    const d = calibrationDeciles(
      predicted,
      predicted.map((p) => p > 0.5),
    );
    expect(d).toHaveLength(10);
    expect(d.reduce((s, x) => s + x.customers, 0)).toBe(95);
    expect(d[9]?.observed).toBe(1);
    expect(d[0]?.observed).toBe(0);
    for (let i = 1; i < d.length; i++) expect(d[i]?.predicted).toBeGreaterThan(d[i - 1]?.predicted as number);
  });
  it('selection refuses a worse model and keeps a better incumbent', () => {
    expect(
      selectBest([
        { kind: 'handset', auc: 0.75, fitMs: 0 },
        { kind: 'logistic', auc: 0.74, fitMs: 0 },
      ])?.kind,
    ).toBe('handset');
    expect(
      selectBest([
        { kind: 'handset', auc: 0.75, fitMs: 0 },
        { kind: 'logistic', auc: 0.75, fitMs: 0 },
      ])?.kind,
    ).toBe('handset');
    expect(
      selectBest([
        { kind: 'handset', auc: 0.75, fitMs: 0 },
        { kind: 'bgnbd', auc: 0.8, fitMs: 0 },
      ])?.kind,
    ).toBe('bgnbd');
    expect(shouldPromote(0.7, 0.72)).toBe(false);
    expect(shouldPromote(0.73, 0.72)).toBe(true);
    expect(shouldPromote(0.6, null)).toBe(true);
  });
});

describe('histories', () => {
  it('same-day orders count once and later orders are not seen', () => {
    const h = historiesFromOrders(
      [
        { customerId: 'a', date: '2026-01-01', amount: 10 },
        { customerId: 'a', date: '2026-01-01', amount: 5 },
        { customerId: 'a', date: '2026-02-01', amount: 20 },
        { customerId: 'a', date: '2026-03-01', amount: 20 },
      ],
      '2026-02-15',
    );
    expect(h[0]?.days).toHaveLength(2);
    expect(h[0]?.amounts[0]).toBe(15);
    const c = rfmAt(h[0] as History, h[0]?.days[1] as number);
    expect(c).toMatchObject({ x: 1, tx: 31, T: 31, recency: 0 });
  });
  it('the compact text round-trips', () => {
    const text = encodeHistory([100, 130], [12.5, 3]);
    expect(decodeHistory('x', text)).toEqual({ id: 'x', days: [100, 130], amounts: [12.5, 3] });
    expect(historyText([{ placedAt: '2026-01-02T10:00:00Z', amount: 9.99 }])).toBe(`${Date.UTC(2026, 0, 2) / 86_400_000}:9.99`);
  });
});

describe('calibrate', () => {
  it('keeps the hand-set score without enough repeat buyers', () => {
    const shop = simulateShop(300, 1);
    const { card } = calibrate(shop, 540, { minRepeaters: 500 });
    expect(card.active).toBe('handset');
    expect(card.coldStart).toBe('not_enough_history');
  });
  it('backtests every candidate on the later window and scores with the chosen one', () => {
    const shop = simulateShop(4000, 2);
    const { card } = calibrate(shop, 540, { minRepeaters: 100 });
    expect(card.coldStart).toBeUndefined();
    expect(card.candidates.map((c) => c.kind)).toEqual(['handset', 'bgnbd', 'logistic', 'logistic_bgnbd']);
    expect(card.backtest?.featuresAt).toBe(new Date((540 - (card.horizonDays as number)) * 86_400_000).toISOString().slice(0, 10));
    const best = Math.max(...card.candidates.map((c) => c.auc ?? 0));
    expect(card.backtest?.auc).toBe(best);
    expect(card.deciles).toHaveLength(10);
    const scored = scoreHistories(card.spec, shop, 540);
    expect(scored).toHaveLength(4000);
    for (const s of scored.slice(0, 50)) {
      expect(s.risk).toBeGreaterThanOrEqual(0);
      expect(s.risk).toBeLessThanOrEqual(1);
      expect(s.reasons.length).toBeGreaterThan(0);
      for (const r of s.reasons) expect(r.zh).toMatch(/[\u4e00-\u9fff]/);
    }
  });
  it('an incumbent that backtests better is not replaced', () => {
    const shop = simulateShop(3000, 4);
    const first = calibrate(shop, 540, { minRepeaters: 100, candidates: ['handset', 'logistic', 'bgnbd'] }).card;
    // A useless challenger set (the hand-set score only) against the fitted incumbent.
    const second = calibrate(shop, 540, { minRepeaters: 100, candidates: ['handset'], incumbent: first.spec }).card;
    expect(second.incumbentAuc).not.toBeNull();
    expect(second.promoted).toBe((second.candidates[0]?.auc as number) > (second.incumbentAuc as number));
    expect(second.active).toBe(second.promoted ? 'handset' : first.active);
    expect(second.backtest?.auc).toBe(second.promoted ? second.candidates[0]?.auc : second.incumbentAuc);
  });
  it('a fitted model ranks a silent one-time buyer above a recent regular', () => {
    const shop = simulateShop(4000, 5);
    const { card } = calibrate(shop, 540, { minRepeaters: 100, candidates: ['logistic'] });
    const risks = scoreHistories(
      card.spec,
      [
        { id: 'silent', days: [300], amounts: [20] },
        { id: 'regular', days: [400, 440, 480, 520, 535], amounts: [20, 20, 20, 20, 20] },
      ],
      540,
    );
    expect(risks[0]?.customerId).toBe('regular');
    expect(risks[1]?.risk).toBeGreaterThan(risks[0]?.risk as number);
    expect(risks[1]?.reasons.map((r) => r.code)).toContain('long_since_last_purchase');
    expect(risks[0]?.reasons.map((r) => r.code)).not.toContain('long_since_last_purchase');
  });
});
