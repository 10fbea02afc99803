import { describe, expect, it } from 'vitest';
import { IncomingShopEvent, ShipmentEvent, ShopQueueMessage } from '#shared/api/shop-events.ts';
import { decideShipment, lineText, redactTrace, type ShipmentRecord, shipmentText, sortTrace } from '#shared/logistics/trace.ts';

const base = { orderId: 'O-1', customerId: 'cust-1', trackingNumber: 'SF1234567890' };
const created = { eventId: 'e1', type: 'shipment.created', occurredAt: '2026-12-01T02:00:00Z', data: { ...base, carrier: '顺丰速运' } } as const;
const step = (eventId: string, at: string, description: string, status = 'in_transit' as const) =>
  ({ eventId, type: 'shipment.updated', occurredAt: '2026-12-05T00:00:00Z', data: { ...base, status, location: '深圳', description, at } }) as const;

/** Applies events in the given order, as the store does (each on the state the previous left). */
function replay(events: readonly ShipmentEvent[]): ShipmentRecord {
  let s: ShipmentRecord | undefined;
  for (const e of events) s = { ...decideShipment(s, e, 'con-1').shipment, version: (s?.version ?? 0) + 1 };
  return s!;
}

describe('shipment events schema', () => {
  it('accepts the four shipment events and rejects unknown fields, statuses and malformed tracking numbers', () => {
    expect(IncomingShopEvent.safeParse(created).success).toBe(true);
    expect(IncomingShopEvent.safeParse(step('e2', '2026-12-01T05:00:00Z', '到达深圳转运中心')).success).toBe(true);
    expect(IncomingShopEvent.safeParse({ eventId: 'e3', type: 'shipment.delivered', occurredAt: '2026-12-02T00:00:00Z', data: base }).success).toBe(true);
    expect(
      IncomingShopEvent.safeParse({ eventId: 'e4', type: 'shipment.exception', occurredAt: '2026-12-02T00:00:00Z', data: { ...base, description: '地址不详' } })
        .success,
    ).toBe(true);
    // created needs the carrier, updated a status and a description
    expect(IncomingShopEvent.safeParse({ ...created, data: base }).success).toBe(false);
    expect(IncomingShopEvent.safeParse({ ...step('e5', '2026-12-01T05:00:00Z', 'x'), data: { ...base, status: 'teleported', description: 'x' } }).success).toBe(
      false,
    );
    expect(IncomingShopEvent.safeParse({ ...created, data: { ...created.data, extra: 1 } }).success).toBe(false);
    expect(IncomingShopEvent.safeParse({ ...created, data: { ...created.data, trackingNumber: 'SF 12<script>' } }).success).toBe(false);
    expect(IncomingShopEvent.safeParse({ ...created, occurredAt: 'yesterday' }).success).toBe(false);
    // order and member events still parse, and travel on the same queue
    const paid = { eventId: 'p1', type: 'order.paid', occurredAt: '2026-12-01T00:00:00Z', data: { orderId: 'O-1', customerId: 'cust-1', amount: 10 } };
    expect(ShopQueueMessage.safeParse({ shopId: 'demo', event: paid }).success).toBe(true);
    expect(ShopQueueMessage.safeParse({ shopId: 'demo', event: created }).success).toBe(true);
  });
});

describe('trace ordering', () => {
  const events: ShipmentEvent[] = [
    ShipmentEvent.parse(created),
    ShipmentEvent.parse(step('e2', '2026-12-01T05:00:00Z', '已到达深圳转运中心')),
    ShipmentEvent.parse(step('e3', '2026-12-01T12:00:00Z', '已从深圳发出，下一站上海')),
    ShipmentEvent.parse({ eventId: 'e4', type: 'shipment.delivered', occurredAt: '2026-12-02T09:00:00Z', data: { ...base, description: '已签收' } }),
  ];

  it('the newest step by the carrier’s time is the state, whatever order the events arrive in', () => {
    const inOrder = replay(events);
    expect(inOrder.status).toBe('delivered');
    expect(inOrder.latest.eventId).toBe('e4');
    expect(inOrder.carrier).toBe('顺丰速运');
    expect(inOrder.shippedAt).toBe('2026-12-01T02:00:00.000Z');
    for (const order of [
      [3, 2, 1, 0],
      [1, 3, 0, 2],
      [2, 0, 3, 1],
    ]) {
      const shuffled = replay(order.map((i) => events[i]!));
      expect(shuffled.latest.eventId).toBe('e4');
      expect(shuffled.status).toBe('delivered');
      expect(shuffled.carrier).toBe('顺丰速运');
      expect(shuffled.shippedAt).toBe('2026-12-01T02:00:00.000Z');
    }
  });

  it('an older step arriving late joins the trace but does not become the state', () => {
    const s = replay([events[0]!, events[2]!]);
    const late = decideShipment(s, events[1]!, 'con-1');
    expect(late.newest).toBe(false);
    expect(late.shipment.latest.eventId).toBe('e3');
    expect(late.line.eventId).toBe('e2');
  });

  it('equal times are broken by the lifecycle (delivery wins) and the trace sorts newest first', () => {
    const at = '2026-12-02T09:00:00Z';
    const out = ShipmentEvent.parse(step('z9', at, '派送中', 'out_for_delivery' as never));
    const done = ShipmentEvent.parse({ eventId: 'a1', type: 'shipment.delivered', occurredAt: at, data: base });
    expect(replay([done, out]).status).toBe('delivered');
    expect(replay([out, done]).status).toBe('delivered');
    const lines = events.map((e) => decideShipment(undefined, e, 'c').line);
    expect(sortTrace(lines).map((l) => l.eventId)).toEqual(['e4', 'e3', 'e2', 'e1']);
  });
});

describe('redaction', () => {
  it('removes phone numbers, names after a role, pickup codes and e-mail from trace text', () => {
    const text = '【深圳南山】派件员：张三 电话：138-1234-5678，座机 0755-86001234，取件码 8-3-2201，客服 400-811-1111，邮件 a.b@example.com';
    const out = redactTrace(text);
    for (const gone of ['张三', '138', '5678', '86001234', '8-3-2201', '811', 'a.b@example.com']) expect(out).not.toContain(gone);
    expect(out).toContain('派件员：***');
    expect(redactTrace('Courier: Tom Smith +86 13912345678 will deliver today')).toBe('Courier: *** *** will deliver today');
    expect(redactTrace('快件已到达深圳转运中心')).toBe('快件已到达深圳转运中心');
  });

  it('puts a step in words in either language, in China time, redacted', () => {
    const line = {
      eventId: 'e',
      at: '2026-12-01T02:05:00.000Z',
      status: 'out_for_delivery' as const,
      location: '深圳',
      description: '快递员李四（13800138000）正在派送',
    };
    expect(lineText(line, 'zh')).toBe('2026-12-01 10:05 【深圳】快递员***（***）正在派送');
    expect(lineText({ ...line, description: undefined }, 'en')).toBe('2026-12-01 10:05 [深圳] Out for delivery');
    const s = { carrier: '顺丰速运', trackingNumber: 'SF1', status: 'out_for_delivery' as const, latest: line };
    expect(shipmentText(s, 'zh')).toMatch(/^顺丰速运 SF1（派送中）：2026-12-01 10:05/);
    expect(shipmentText(s, 'en')).toMatch(/^顺丰速运 SF1 \(Out for delivery\): /);
  });
});
