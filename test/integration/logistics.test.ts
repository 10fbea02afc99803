/**
 * Logistics on the local stack: signed shipment events (out of order, repeated) become a shipment
 * whose state is its newest step; the bot answers a signed-in shopper's "我的快递到哪了" with the
 * carrier, tracking number and latest step (no phone numbers), asks anonymous shoppers to sign in;
 * agents read the redacted trace; the 催单 run sends one care message per stall and one ticket
 * past the second threshold, however often it runs; admins change the thresholds (versioned).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { runLogisticsNudges } from '#shared/logistics/nudge.ts';
import { keys } from '#shared/store/keys.ts';
import { openStallTicket } from '../../functions/schedule/logistics-nudge.ts';
import { apiClient } from '../support/api.ts';
import { until } from '../support/until.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
let client: ReturnType<typeof apiClient>;
let shop: Record<string, unknown>;

const HOUR = 3_600_000;
const stamp = Date.now().toString(36);
const iso = (ms: number) => new Date(ms).toISOString();

function signed(body: unknown) {
  const raw = JSON.stringify(body);
  const ts = String(Math.floor(Date.now() / 1000));
  return client.call('POST', '/shop/events', {
    body: raw,
    headers: { 'x-kefu-shop': 'demo', 'x-kefu-timestamp': ts, 'x-kefu-signature': hmacHex(shop.webhookSecret as string, `${ts}.${raw}`) },
  });
}

async function get(key: { pk: string; sk: string }) {
  return (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: key, ConsistentRead: true }))).Item;
}

async function shopper(customerId: string) {
  return client.visitor({ id: customerId, hmac: hmacHex(shop.identitySecret as string, customerId) });
}

async function botAnswer(token: string, text: string): Promise<string> {
  const started = await client.call('POST', '/widget/conversations', {
    token,
    body: { clientMessageId: `lg-${Math.random().toString(36).slice(2, 12)}`, text },
  });
  expect(started.status).toBe(201);
  const id = started.json.conversation.conversationId as string;
  return until(
    async () => {
      const thread = await client.call('GET', `/widget/conversations/${id}/messages`, { token });
      return (thread.json.items as { author: { kind: string }; text: string }[]).find((m) => m.author.kind === 'bot')?.text;
    },
    { what: 'the bot’s answer' },
  );
}

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  client = apiClient(stack.urls.api);
  shop = (await get(keys.shop('demo')))!;
});
afterAll(async () => stack?.stop());

describe('shipments, the bot and the 360', () => {
  const customerId = `lg-cust-${stamp}`;
  const orderId = `LG-${stamp}`;
  const tracking = `SF${Date.now()}`;
  const parcel = { orderId, customerId, trackingNumber: tracking };
  const t0 = Date.now() - 10 * HOUR;

  it('applies shipment events in any order, once each, and answers the shopper from the newest step', async () => {
    const events = [
      {
        eventId: `${stamp}-u2`,
        type: 'shipment.updated',
        occurredAt: iso(t0 + 3 * HOUR),
        data: { ...parcel, status: 'out_for_delivery', location: '上海浦东', description: '派件员：赵六 电话：13812345678 正在为您派件' },
      },
      { eventId: `${stamp}-c`, type: 'shipment.created', occurredAt: iso(t0), data: { ...parcel, carrier: '顺丰速运' } },
      {
        eventId: `${stamp}-u1`,
        type: 'shipment.updated',
        occurredAt: iso(t0 + 1 * HOUR),
        data: { ...parcel, status: 'in_transit', location: '上海', description: '快件已到达上海转运中心' },
      },
      {
        eventId: `${stamp}-u1`,
        type: 'shipment.updated',
        occurredAt: iso(t0 + 1 * HOUR),
        data: { ...parcel, status: 'in_transit', location: '上海', description: '快件已到达上海转运中心' },
      },
    ];
    for (const e of events) expect((await signed(e)).status).toBe(202);
    expect((await signed({ ...events[0], eventId: `${stamp}-bad`, data: { ...parcel, status: 'lost-in-space', description: 'x' } })).status).toBe(400);
    expect((await signed({ ...events[1], eventId: `${stamp}-bad2`, data: { ...parcel, carrier: '顺丰', extra: true } })).status).toBe(400);
    await stack.quiesce();
    const head = await get(keys.shipment(orderId, tracking));
    expect(head).toMatchObject({ carrier: '顺丰速运', status: 'out_for_delivery', latest: { eventId: `${stamp}-u2` }, shippedAt: iso(t0) });

    const { token } = await shopper(customerId);
    const answer = await botAnswer(token, '我的快递到哪了');
    expect(answer).toContain('顺丰速运');
    expect(answer).toContain(tracking);
    expect(answer).toMatch(/【上海浦东】派件员：\*\*\* 电话：\*\*\* 正在为您派件/);
    expect(answer).not.toMatch(/13812345678|赵六/);
    const en = await botAnswer(token, 'Where is my parcel?');
    expect(en).toContain(`tracking number ${tracking}`);

    const anonymous = await client.visitor();
    expect(await botAnswer(anonymous.token, '我的快递到哪了')).toMatch(/登录/);
    const empty = await shopper(`lg-none-${stamp}`);
    expect(await botAnswer(empty.token, 'where is my parcel')).toMatch(/couldn't find any tracking/);
  });

  it('agents read the redacted trace, newest first; visitors and unknown contacts get nothing', async () => {
    const agent = await client.staff('agent@demo.kefu');
    const contactId = (await get(keys.contactByShopUser('demo', customerId)))?.contactId as string;
    const res = await client.call('GET', `/contacts/${contactId}/shipments`, { token: agent });
    expect(res.status).toBe(200);
    const [s] = res.json.shipments;
    expect(s).toMatchObject({ orderId, trackingNumber: tracking, carrier: '顺丰速运', status: 'out_for_delivery', statusText: { 'zh-CN': '派送中' } });
    expect(s.trace.map((l: { status: string }) => l.status)).toEqual(['out_for_delivery', 'in_transit', 'created']);
    expect(JSON.stringify(s.trace)).not.toContain('13812345678');
    expect((await client.call('GET', '/contacts/con_nobody/shipments', { token: agent })).status).toBe(404);
    const visitor = await client.visitor();
    expect((await client.call('GET', `/contacts/${contactId}/shipments`, { token: visitor.token })).status).toBe(401);
  });

  it('a macro with {{shipment.latest}} sends the requester’s newest parcel, redacted, in their language', async () => {
    const agent = await client.staff('agent@demo.kefu');
    const contactId = (await get(keys.contactByShopUser('demo', customerId)))?.contactId as string;
    const macro = await client.call('POST', '/macros', {
      token: agent,
      body: {
        scope: 'personal',
        name: { 'zh-CN': `物流进度 ${stamp}`, en: `Parcel ${stamp}` },
        text: { 'zh-CN': '您好，您的包裹：{{shipment.latest}}', en: 'Hi, your parcel: {{shipment.latest}}' },
      },
    });
    expect(macro.status).toBe(201);
    const ticket = await client.call('POST', '/tickets', {
      token: agent,
      body: { channel: 'phone', subject: '包裹到哪了', text: '顾客来电询问包裹', requester: { contactId } },
    });
    expect(ticket.status).toBe(201);
    const { ticketId, version } = ticket.json.ticket;
    const applied = await client.call('POST', `/tickets/${ticketId}/macros/${macro.json.macro.macroId}/apply`, { token: agent, body: { version } });
    expect(applied.status).toBe(200);
    expect(applied.json.message.text).toMatch(
      new RegExp(`^您好，您的包裹：顺丰速运 ${tracking}（派送中）：\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} 【上海浦东】派件员：\\*\\*\\*`),
    );
    expect(applied.json.message.text).not.toContain('13812345678');
    expect(applied.json.missing).toEqual([]);
  });
});

describe('催单', () => {
  const now = Date.now();
  const run = (at: number) => runLogisticsNudges({ openTicket: openStallTicket }, new Date(at), () => 60_000, null);

  it('a quiet shipment gets one care message, then one ticket for the logistics team, however often the job runs', async () => {
    const customerId = `lg-stall-${stamp}`;
    const orderId = `LGS-${stamp}`;
    const parcel = { orderId, customerId, trackingNumber: `YT${Date.now()}` };
    const last = now - 50 * HOUR;
    expect(
      (await signed({ eventId: `${stamp}-s1`, type: 'shipment.created', occurredAt: iso(last - HOUR), data: { ...parcel, carrier: '圆通速递' } })).status,
    ).toBe(202);
    expect(
      (
        await signed({
          eventId: `${stamp}-s2`,
          type: 'shipment.updated',
          occurredAt: iso(last),
          data: { ...parcel, status: 'in_transit', location: '杭州', description: '运输中' },
        })
      ).status,
    ).toBe(202);
    await stack.quiesce();
    const { token } = await shopper(customerId);
    expect((await client.call('PUT', '/widget/marketing-consent', { token, body: { channel: 'widget', granted: true } })).status).toBe(200);

    expect(await run(now)).toMatchObject({ stall_care_sent: 1 });
    const again = await run(now);
    expect(Object.keys(again).filter((k) => k.startsWith('stall_'))).toEqual([]);
    const messages = await client.call('GET', '/widget/campaign-messages', { token });
    const care = (messages.json.items as { title: string; body: string }[]).filter((m) => m.title === '您的包裹我们在跟进');
    expect(care).toHaveLength(1);
    expect(care[0]!.body).toContain(orderId);

    const later = now + 30 * HOUR;
    expect(await run(later)).toMatchObject({ stall_ticket_opened: 1 });
    const repeat = await run(later);
    expect(Object.keys(repeat).filter((k) => k.startsWith('stall_'))).toEqual([]);
    const claim = await get(keys.stallTicket(`${orderId}#${parcel.trackingNumber}#${iso(last)}`));
    expect(claim?.ticketId).toBeTruthy();
    const supervisor = await client.staff('admin@demo.kefu');
    const ticket = await client.call('GET', `/tickets/${claim!.ticketId}`, { token: supervisor });
    expect(ticket.json.ticket).toMatchObject({ team: 'logistics', priority: 'high', tags: expect.arrayContaining(['logistics-chase']) });
    expect(ticket.json.ticket.subject).toContain(orderId);

    // delivered: no longer watched
    expect(
      (await signed({ eventId: `${stamp}-s3`, type: 'shipment.delivered', occurredAt: iso(later - HOUR), data: { ...parcel, description: '已签收' } })).status,
    ).toBe(202);
    await stack.quiesce();
    const delivered = await get(keys.shipment(orderId, parcel.trackingNumber));
    expect(delivered).toMatchObject({ status: 'delivered' });
    expect(delivered?.gsi2pk).toBeUndefined();
  });

  it('a paid order past its promised dispatch gets one message; a shipment ends the watch', async () => {
    const customerId = `lg-late-${stamp}`;
    const paid = (orderId: string, at: number, extra: Record<string, unknown> = {}) =>
      signed({ eventId: `${stamp}-${orderId}`, type: 'order.paid', occurredAt: iso(at), data: { orderId, customerId, amount: 99, ...extra } });
    expect((await paid(`LGD-${stamp}`, now - 60 * HOUR)).status).toBe(202);
    expect((await paid(`LGD2-${stamp}`, now - 60 * HOUR, { dispatchBy: iso(now + 24 * HOUR) })).status).toBe(202);
    expect((await paid(`LGD3-${stamp}`, now - 60 * HOUR)).status).toBe(202);
    await stack.quiesce();
    expect(
      (
        await signed({
          eventId: `${stamp}-d3`,
          type: 'shipment.created',
          occurredAt: iso(now - HOUR),
          data: { orderId: `LGD3-${stamp}`, customerId, trackingNumber: 'ZTO123456', carrier: '中通快递' },
        })
      ).status,
    ).toBe(202);
    await stack.quiesce();
    expect(await get(keys.dispatchWatch(`LGD3-${stamp}`))).toBeUndefined();
    const { token } = await shopper(customerId);
    await client.call('PUT', '/widget/marketing-consent', { token, body: { channel: 'widget', granted: true } });
    const counts = await run(now);
    expect(counts).toMatchObject({ dispatch_care_sent: 1 });
    expect(counts.dispatch_care_already ?? 0).toBe(0);
    expect((await run(now)).dispatch_care_sent ?? 0).toBe(0);
    const messages = await client.call('GET', '/widget/campaign-messages', { token });
    expect((messages.json.items as { body: string }[]).filter((m) => m.body.includes(`LGD-${stamp}`))).toHaveLength(1);
    expect((messages.json.items as { body: string }[]).some((m) => m.body.includes(`LGD2-${stamp}`))).toBe(false);
  });

  it('admins save the thresholds (versioned, checked); agents may not', async () => {
    const admin = await client.staff('admin@demo.kefu');
    const read = await client.call('GET', '/logistics/settings', { token: admin });
    expect(read.json).toMatchObject({ enabled: true, stallHours: 48, ticketHours: 72, version: 0 });
    const body = {
      version: 0,
      enabled: true,
      stallHours: 24,
      ticketHours: 36,
      dispatchHours: 24,
      dispatchTicketHours: 12,
      carriers: [{ carrier: 'EMS', stallHours: 72, ticketHours: 96 }],
    };
    const bad = await client.call('PUT', '/logistics/settings', { token: admin, body: { ...body, ticketHours: 12 }, headers: { 'accept-language': 'zh-CN' } });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/工单/);
    expect((await client.call('PUT', '/logistics/settings', { token: admin, body: { ...body, extra: 1 } })).status).toBe(400);
    expect((await client.call('PUT', '/logistics/settings', { token: admin, body })).json).toMatchObject({ version: 1, stallHours: 24 });
    expect((await client.call('PUT', '/logistics/settings', { token: admin, body })).status).toBe(409);
    expect((await client.call('GET', '/logistics/settings', { token: await client.staff('agent@demo.kefu') })).status).toBe(403);
  });

  it('with an apology pool set, the quiet-parcel message carries one coupon code, the same on every run', async () => {
    const marketing = await client.staff('marketing@demo.kefu');
    const admin = await client.staff('admin@demo.kefu');
    const created = await client.call('POST', '/coupons/pools', {
      token: marketing,
      body: {
        name: { zh: '物流补偿券', en: 'Delay apology' },
        value: 10,
        threshold: 99,
        expiresAt: iso(now + 30 * 24 * HOUR),
        generate: { count: 3, length: 8 },
      },
    });
    expect(created.status).toBe(201);
    const poolId = created.json.pool.poolId as string;
    expect(created.json.codes).toMatchObject({ added: 3 });
    const current = (await client.call('GET', '/logistics/settings', { token: admin })).json;
    const { bounds: _b, ...settings } = current;
    expect((await client.call('PUT', '/logistics/settings', { token: admin, body: { ...settings, apologyPoolId: poolId } })).status).toBe(200);

    const customerId = `lg-sorry-${stamp}`;
    const parcel = { orderId: `LGA-${stamp}`, customerId, trackingNumber: `JD${Date.now()}` };
    expect(
      (await signed({ eventId: `${stamp}-a1`, type: 'shipment.created', occurredAt: iso(now - 30 * HOUR), data: { ...parcel, carrier: '京东物流' } })).status,
    ).toBe(202);
    await stack.quiesce();
    const { token } = await shopper(customerId);
    await client.call('PUT', '/widget/marketing-consent', { token, body: { channel: 'widget', granted: true } });
    await run(now);
    await run(now);
    const items = (await client.call('GET', '/widget/campaign-messages', { token })).json.items as { body: string; offer: { kind: string; code?: string } }[];
    const sorry = items.filter((m) => m.body.includes(parcel.orderId));
    expect(sorry).toHaveLength(1);
    expect(sorry[0]!.offer).toMatchObject({ kind: 'coupon', code: expect.any(String) });
    expect(sorry[0]!.body).toContain(`为表歉意，送您一张满99减10优惠券，券码 ${sorry[0]!.offer.code}`);
    const pools = (await client.call('GET', '/coupons/pools', { token: marketing })).json.pools as { poolId: string; claimed: number; available: number }[];
    expect(pools.find((p) => p.poolId === poolId)).toMatchObject({ claimed: 1, available: 2 });
    expect((await client.call('POST', '/coupons/pools', { token: await client.staff('agent@demo.kefu'), body: {} })).status).toBe(403);
  });
});
