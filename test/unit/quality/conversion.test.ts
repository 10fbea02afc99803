import { describe, expect, it } from 'vitest';
import { conversionByAgent, convertingOrders } from '#shared/quality/conversion.ts';

const at = '2026-03-02T02:00:00.000Z';
const hoursLater = (h: number) => new Date(Date.parse(at) + h * 3_600_000).toISOString();

describe('询单转化率', () => {
  it('counts orders placed within N hours after the enquiry, refunds excluded', () => {
    const orders = [
      { orderId: 'o1', placedAt: hoursLater(-1), amount: 10, currency: 'CNY' },
      { orderId: 'o2', placedAt: hoursLater(2), amount: 20, currency: 'CNY' },
      { orderId: 'o3', placedAt: hoursLater(30), amount: 40, currency: 'CNY' },
      { orderId: 'o4', placedAt: hoursLater(3), amount: 80, currency: 'CNY', refunded: true },
    ];
    expect(convertingOrders({ at }, orders, 24).map((o) => o.orderId)).toEqual(['o2']);
    expect(convertingOrders({ at }, orders, 48).map((o) => o.orderId)).toEqual(['o2', 'o3']);
  });

  it('gives each agent enquiries, converted, the rate and the revenue per currency', () => {
    const enquiries = [
      { conversationId: 'c1', contactId: 'a', agent: 'li', at },
      { conversationId: 'c2', contactId: 'b', agent: 'li', at },
      { conversationId: 'c3', contactId: 'c', agent: 'chen', at },
      { conversationId: 'c4', contactId: 'a', at },
    ];
    const ordersOf = new Map([
      ['a', [{ orderId: 'o1', placedAt: hoursLater(1), amount: 99.9, currency: 'CNY' }]],
      ['c', [{ orderId: 'o2', placedAt: hoursLater(50), amount: 10, currency: 'CNY' }]],
    ]);
    const rows = conversionByAgent(enquiries, ordersOf, 24);
    expect(rows).toEqual([
      { sub: 'li', enquiries: 2, converted: 1, rate: 0.5, revenue: { CNY: 99.9 } },
      { sub: 'chen', enquiries: 1, converted: 0, rate: 0, revenue: {} },
    ]);
  });
});
