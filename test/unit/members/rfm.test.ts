import { describe, expect, it } from 'vitest';
import { avgSpend, decideOrder, EMPTY_RFM, type OrderEventType, type OrderRecord, type Rfm } from '#shared/members/orders.ts';

const data = { orderId: 'o1', customerId: 'c1', amount: 120.5, currency: 'CNY' };
const ev = (type: OrderEventType, occurredAt: string, amount = data.amount) => ({ type, occurredAt, data: { ...data, amount } });

/** Applies events in the given order like the store does (read, decide, write). */
function run(events: ReturnType<typeof ev>[], rfm: Rfm = EMPTY_RFM) {
  let order: OrderRecord | undefined;
  const countings: string[] = [];
  for (const e of events) {
    const d = decideOrder(order, e, 'con_1', rfm);
    if (d.noop) {
      countings.push('noop');
      continue;
    }
    countings.push(d.counting);
    rfm = d.rfm;
    order = { ...d.order, version: (order?.version ?? 0) + 1 };
  }
  return { order: order!, rfm, countings };
}

describe('orders and RFM', () => {
  it('a paid order counts once, however often payment-implying events arrive', () => {
    const out = run([
      ev('order.created', '2026-01-01T09:00:00Z'),
      ev('order.paid', '2026-01-01T10:00:00Z'),
      ev('order.paid', '2026-01-01T10:00:00Z'),
      ev('order.shipped', '2026-01-02T10:00:00Z'),
    ]);
    expect(out.rfm).toEqual({ orderCount: 1, totalSpend: 120.5, firstOrderAt: '2026-01-01T09:00:00Z', lastOrderAt: '2026-01-01T09:00:00Z' });
    expect(out.countings).toEqual(['none', 'count', 'noop', 'none']);
    expect(out.order.status).toBe('shipped');
  });
  it('a refund subtracts what was counted; a second refund does nothing', () => {
    const start: Rfm = { orderCount: 2, totalSpend: 300, lastOrderAt: '2025-12-01T00:00:00Z', firstOrderAt: '2025-01-01T00:00:00Z' };
    const out = run(
      [ev('order.paid', '2026-01-01T10:00:00Z'), ev('order.refunded', '2026-01-03T10:00:00Z'), ev('order.refunded', '2026-01-03T10:00:00Z')],
      start,
    );
    expect(out.rfm.orderCount).toBe(2);
    expect(out.rfm.totalSpend).toBe(300);
    expect(out.countings).toEqual(['count', 'uncount', 'noop']);
    expect(out.order).toMatchObject({ status: 'refunded', refunded: true, counted: true });
  });
  it('out of order: refund first, then the late payment never counts, and status stays refunded', () => {
    const out = run([ev('order.refunded', '2026-01-03T10:00:00Z'), ev('order.paid', '2026-01-01T10:00:00Z'), ev('order.created', '2026-01-01T09:00:00Z')]);
    expect(out.rfm.orderCount).toBe(0);
    expect(out.order.status).toBe('refunded');
    expect(out.order.placedAt).toBe('2026-01-01T09:00:00Z');
    expect(out.order.times).toMatchObject({ paidAt: '2026-01-01T10:00:00Z', refundedAt: '2026-01-03T10:00:00Z' });
    expect(out.countings).toEqual(['none', 'none', 'none']);
  });
  it('an older status never overwrites a newer one, but a late payment still counts', () => {
    const out = run([ev('order.delivered', '2026-01-05T10:00:00Z', 80), ev('order.paid', '2026-01-01T10:00:00Z', 80)]);
    expect(out.order.status).toBe('delivered');
    expect(out.rfm.orderCount).toBe(1);
    expect(out.countings).toEqual(['count', 'none']);
  });
  it('keeps money in cents and derives the average order value', () => {
    let rfm: Rfm = EMPTY_RFM;
    for (const [i, amount] of [0.1, 0.2, 29.33, 14.96].entries()) {
      rfm = decideOrder(
        undefined,
        { type: 'order.paid', occurredAt: `2026-01-0${i + 1}T00:00:00Z`, data: { ...data, orderId: `o${i}`, amount } },
        'c',
        rfm,
      ).rfm;
    }
    expect(rfm.totalSpend).toBe(44.59);
    expect(avgSpend(rfm)).toBe(11.15);
    expect(rfm.lastOrderAt).toBe('2026-01-04T00:00:00Z');
    expect(avgSpend(EMPTY_RFM)).toBe(0);
  });
});

describe('events with the same time', () => {
  it('a same-day refund wins over the payment whatever the arrival order (imports have dates only)', () => {
    const a = run([ev('order.paid', '2026-01-01T00:00:00Z'), ev('order.refunded', '2026-01-01T00:00:00Z')]);
    const b = run([ev('order.refunded', '2026-01-01T00:00:00Z'), ev('order.paid', '2026-01-01T00:00:00Z')]);
    for (const out of [a, b]) {
      expect(out.order.status).toBe('refunded');
      expect(out.rfm.orderCount).toBe(0);
    }
  });
});
