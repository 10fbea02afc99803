import { describe, expect, it } from 'vitest';
import { type Order, parseOrdersCsv, rocAuc, scoreChurn } from '#shared/ai/churn.ts';

const base: Order[] = [
  { customerId: 'steady', date: '2024-01-05', amount: 40 },
  { customerId: 'steady', date: '2024-02-04', amount: 35 },
  { customerId: 'steady', date: '2024-03-06', amount: 50 },
  { customerId: 'steady', date: '2024-04-05', amount: 45 },
  { customerId: 'steady', date: '2024-05-06', amount: 40 },
  { customerId: 'lapsed', date: '2024-01-02', amount: 40 },
  { customerId: 'lapsed', date: '2024-01-12', amount: 30 },
  { customerId: 'lapsed', date: '2024-01-20', amount: 30 },
  { customerId: 'once', date: '2024-01-15', amount: 12 },
];

describe('churn score', () => {
  it('ranks a lapsed customer above a steady one and explains why', () => {
    const s = scoreChurn(base, '2024-05-31');
    const by = new Map(s.map((x) => [x.customerId, x]));
    const steady = by.get('steady')!;
    const lapsed = by.get('lapsed')!;
    expect(lapsed.risk).toBeGreaterThan(steady.risk);
    expect(lapsed.reasons.map((r) => r.code)).toContain('overdue_vs_rhythm');
    expect(by.get('once')!.reasons.map((r) => r.code)).toContain('single_purchase');
    for (const r of lapsed.reasons) {
      expect(r.en.length).toBeGreaterThan(0);
      expect(r.zh).toMatch(/[\u4e00-\u9fff]/);
    }
    for (const x of s) expect(x.risk).toBeGreaterThanOrEqual(0), expect(x.risk).toBeLessThanOrEqual(1);
  });

  it('is monotone: a more recent last purchase gives lower risk', () => {
    let prev = -1;
    for (const last of ['2024-05-30', '2024-04-30', '2024-03-01', '2024-01-20']) {
      const orders: Order[] = [
        { customerId: 'c', date: '2024-01-01', amount: 20 },
        { customerId: 'c', date: '2024-01-10', amount: 20 },
        { customerId: 'c', date: last, amount: 20 },
        ...base,
      ];
      const risk = scoreChurn(orders, '2024-05-31').find((x) => x.customerId === 'c')!.risk;
      expect(risk).toBeGreaterThan(prev);
      prev = risk;
    }
  });

  it('ignores orders after the as-of date', () => {
    const later = [...base, { customerId: 'lapsed', date: '2024-06-15', amount: 99 }, { customerId: 'new', date: '2024-06-20', amount: 5 }];
    expect(scoreChurn(later, '2024-05-31')).toEqual(scoreChurn(base, '2024-05-31'));
  });

  it('raises risk with service signals', () => {
    const plain = scoreChurn(base, '2024-05-31').find((x) => x.customerId === 'steady')!;
    const hurt = scoreChurn(base, '2024-05-31', { signals: { steady: { openComplaints: 1, slaBreaches: 2 } } }).find((x) => x.customerId === 'steady')!;
    expect(hurt.risk).toBeGreaterThan(plain.risk);
    expect(hurt.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['open_complaints', 'sla_breaches']));
  });

  it('parses the order CSV and computes AUC with ties', () => {
    const orders = parseOrdersCsv('customer_id,date,quantity,amount\na,2024-01-01,1,9.5\nb,2024-01-02,2,20\n');
    expect(orders).toHaveLength(2);
    expect(orders[1]).toMatchObject({ customerId: 'b', amount: 20, quantity: 2 });
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBeCloseTo(0.75);
    expect(rocAuc([0.5, 0.5], [true, false])).toBe(0.5);
  });
});
