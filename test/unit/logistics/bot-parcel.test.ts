import { describe, expect, it } from 'vitest';
import { classify } from '#shared/ai/classifier.ts';
import { ordersTool } from '#shared/bot/llm.ts';
import { type ResponderInput, respond, type ShipmentSummary } from '#shared/bot/responder.ts';

function input(text: string, over: Partial<ResponderInput> = {}): ResponderInput {
  return {
    text,
    classification: classify(text),
    retrieval: { hits: [], confidence: 0, margin: 0, coverage: 0, decision: 'handoff' },
    articles: {},
    state: { turns: 0, fallbacks: 0 },
    verified: false,
    orders: [],
    history: [],
    ...over,
  };
}

const parcel: ShipmentSummary = {
  orderId: 'A-1',
  trackingNumber: 'SF1234567890',
  carrier: '顺丰速运',
  status: 'out_for_delivery',
  latest: {
    eventId: 'e9',
    at: '2026-12-01T02:05:00.000Z',
    status: 'out_for_delivery',
    location: '深圳南山',
    description: '派件员：王五 电话 13912345678 正在为您派件',
  },
};
const order = { orderId: 'A-2', status: 'paid', amount: 88, currency: 'CNY', placedAt: '2026-11-20T00:00:00Z', statusAt: '2026-11-21T00:00:00Z' };

describe('bot: where is my parcel', () => {
  it('a signed-in shopper gets the latest trace step, carrier and tracking number, in Chinese and English, without phone numbers or names', () => {
    for (const q of ['我的快递到哪了', '到哪了？', '什么时候到啊']) {
      const a = respond(input(q, { verified: true, shipments: [parcel] }));
      expect(a.kind).toBe('order_status');
      const text = a.kind === 'order_status' ? a.text : '';
      expect(text).toContain('顺丰速运');
      expect(text).toContain('SF1234567890');
      expect(text).toContain('2026-12-01 10:05 【深圳南山】派件员：***');
      expect(text).not.toMatch(/13912345678|王五/);
    }
    const en = respond(input('Where is my parcel?', { verified: true, shipments: [parcel] }));
    expect(en.kind === 'order_status' && en.text).toMatch(/tracking number SF1234567890 \(order A-1\), status: Out for delivery/);
    expect(en.kind === 'order_status' && en.text).not.toContain('13912345678');
  });

  it('anonymous shoppers are asked to sign in; no shipment says so and offers a person', () => {
    const anon = respond(input('我的快递到哪了', { shipments: [parcel] }));
    expect(anon.kind === 'order_status' && anon.text).toMatch(/登录/);
    expect(anon.kind === 'order_status' && anon.text).not.toContain('SF1234567890');
    const none = respond(input('where is my parcel', { verified: true }));
    expect(none.kind === 'order_status' && none.text).toMatch(/couldn't find any tracking.*Talk to a human/);
    const unshipped = respond(input('我的快递到哪了', { verified: true, orders: [order] }));
    expect(unshipped.kind === 'order_status' && unshipped.text).toMatch(/订单 A-2：已付款[\s\S]*暂时还没有查到您的包裹物流信息[\s\S]*转人工/);
  });

  it('a refund question is not a parcel question', () => {
    const a = respond(input('退款到哪了', { verified: true, shipments: [parcel] }));
    expect(a.kind === 'order_status' && a.text.includes('SF1234567890')).toBe(false);
  });
});

describe('LLM mode: the orders tool carries the shopper’s own parcels, redacted', () => {
  it('returns parcels as words without the courier’s phone or name; never for anonymous shoppers or other orders', () => {
    const all = JSON.parse(ordersTool({}, { verified: true, orders: [order], shipments: [parcel] }));
    expect(all.parcels).toEqual([
      { orderId: 'A-1', carrier: '顺丰速运', trackingNumber: 'SF1234567890', status: 'out_for_delivery', latest: expect.stringContaining('[深圳南山]') },
    ]);
    expect(JSON.stringify(all)).not.toMatch(/13912345678|王五/);
    expect(JSON.parse(ordersTool({ orderId: 'A-1' }, { verified: true, orders: [order], shipments: [parcel] })).parcels).toHaveLength(1);
    expect(JSON.parse(ordersTool({ orderId: 'B-9' }, { verified: true, orders: [order], shipments: [parcel] }))).toHaveProperty('error');
    expect(JSON.parse(ordersTool({}, { verified: false, orders: [order], shipments: [parcel] }))).toHaveProperty('error');
  });
});
