/**
 * After-sales on the local stack: a signed-in shopper asks to return part of a delivered order with a
 * photo; it becomes an AFTER_SALES ticket; the agent approves (a stale version is a 409), sends the
 * return address, marks it received and refunds; the shop's webhooks are queued in the outbox; the
 * shop reports `refund.completed` → the request completes, points earned on the refunded amount are
 * taken back and RFM drops by the refund (a repeated event changes nothing). Anonymous shoppers are
 * asked to sign in.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { keys } from '#shared/store/keys.ts';
import { apiClient } from '../support/api.ts';
import { until } from '../support/until.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
let client: ReturnType<typeof apiClient>;
let shop: Record<string, unknown>;

const stamp = Date.now().toString(36);
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const zh = { 'accept-language': 'zh-CN' };
const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

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

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  client = apiClient(stack.urls.api);
  shop = (await get(keys.shop('demo')))!;
});
afterAll(async () => stack?.stop());

describe('after-sales: request → approve → return → refund → the shop reports it', () => {
  const customerId = `as-cust-${stamp}`;
  const orderId = `AS-${stamp}`;
  const order = { orderId, customerId, amount: 300, quantity: 2 };

  it('anonymous shoppers are asked to sign in', async () => {
    const anonymous = await client.visitor();
    const body = { orderId, kind: 'return', reason: 'quality', quantity: 1 };
    const res = await client.call('POST', '/widget/aftersales', { token: anonymous.token, body, headers: zh });
    expect(res.status).toBe(403);
    expect(res.json.message).toContain('请先登录');
    expect((await client.call('GET', '/widget/aftersales', { token: anonymous.token })).status).toBe(403);
  });

  it('runs the whole flow, versioned and audited, and reverses points on the refund', async () => {
    const now = Date.now();
    expect((await signed({ eventId: `${stamp}-paid`, type: 'order.paid', occurredAt: iso(now - 3 * DAY), data: order })).status).toBe(202);
    expect((await signed({ eventId: `${stamp}-dlv`, type: 'order.delivered', occurredAt: iso(now - DAY), data: order })).status).toBe(202);
    await stack.quiesce();
    const contactId = (await get(keys.contactByShopUser('demo', customerId)))?.contactId as string;
    const before = (await get(keys.contact(contactId)))!;
    const earned = Number((await get(keys.order(orderId)))?.earnedPoints ?? 0);
    expect(earned).toBeGreaterThan(0);
    expect(before).toMatchObject({ orderCount: 1, totalSpend: 300, pointsBalance: earned });

    const { token } = await client.visitor({ id: customerId, hmac: hmacHex(shop.identitySecret as string, customerId) });
    const listed = await client.call('GET', '/widget/aftersales', { token });
    expect(listed.status).toBe(200);
    expect(listed.json.orders.find((o: { orderId: string }) => o.orderId === orderId)).toMatchObject({ kinds: { return: { ok: true } }, openRequest: false });

    // A photo through the after-sales upload, then the request.
    const upload = await client.call('POST', '/widget/aftersales/uploads', {
      token,
      body: { fileName: 'broken.png', contentType: 'image/png', size: png.length },
    });
    expect(upload.status).toBe(201);
    expect((await fetch(upload.json.uploadUrl, { method: 'PUT', headers: upload.json.headers, body: png })).status).toBe(200);
    const body = { orderId, kind: 'return', reason: 'quality', quantity: 1, note: '壳子裂了', photos: [upload.json.attachment] };
    const tooMany = await client.call('POST', '/widget/aftersales', { token, body: { ...body, quantity: 3 }, headers: zh });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.message).toBe('申请数量超过订单数量（2 件）');
    const made = await client.call('POST', '/widget/aftersales', { token, body });
    expect(made.status).toBe(201);
    expect(made.json.request).toMatchObject({ state: 'requested', stateText: { 'zh-CN': '已申请' }, photos: 1 });
    const requestId = made.json.request.requestId as string;
    const again = await client.call('POST', '/widget/aftersales', { token, body, headers: zh });
    expect(again.status).toBe(409);
    expect(again.json.message).toBe('该订单已有进行中的售后申请');

    // Staff: the request, its photo and its ticket, linked both ways.
    const agent = await client.staff('agent@demo.kefu');
    const read = await client.call('GET', `/aftersales/${requestId}`, { token: agent });
    expect(read.status).toBe(200);
    expect(read.json.request).toMatchObject({ state: 'requested', paid: 300, actions: ['review', 'approve', 'reject'] });
    expect((await fetch(read.json.request.photos[0].url)).status).toBe(200);
    const ticketId = read.json.request.ticketId as string;
    const ticket = await client.call('GET', `/tickets/${ticketId}`, { token: agent });
    expect(ticket.json.ticket).toMatchObject({ category: 'AFTER_SALES', customFields: { aftersales_request: requestId, order_id: orderId } });
    expect((await client.call('GET', `/aftersales/${requestId}`, { token })).status).toBe(401);

    const act = (b: Record<string, unknown>) => client.call('POST', `/aftersales/${requestId}/actions`, { token: agent, body: b, headers: zh });
    const approved = await act({ action: 'approve', version: 1 });
    expect(approved.status).toBe(200);
    expect(approved.json.request).toMatchObject({ state: 'awaiting_return', version: 2 });
    const stale = await act({ action: 'reject', version: 1, reason: '太晚了' });
    expect(stale.status).toBe(409);
    expect(stale.json.details).toEqual({ version: 2 });
    expect((await act({ action: 'refund', version: 2, amount: 10 })).status).toBe(409);
    expect((await act({ action: 'send_return_address', version: 2, address: '上海市浦东新区张江路 1 号 售后组' })).status).toBe(200);
    expect((await act({ action: 'mark_received', version: 3 })).status).toBe(200);
    const over = await act({ action: 'refund', version: 4, amount: 300.01 });
    expect(over.status).toBe(400);
    expect(over.json.message).toContain('不超过实付 ¥300.00');
    const refunding = await act({ action: 'refund', version: 4, amount: 150 });
    expect(refunding.status).toBe(200);
    expect(refunding.json.request).toMatchObject({ state: 'refunding', refundAmount: 150 });

    // The bot tells the shopper where the request is, in words, when they ask in the chat.
    const chat = await client.call('POST', '/widget/conversations', { token, body: { clientMessageId: `as-bot-${requestId}`, text: '退款到哪了？' } });
    expect(chat.status).toBe(201);
    const chatId = chat.json.conversation.conversationId as string;
    const botSays = await until(async () => {
      const thread = await client.call('GET', `/widget/conversations/${chatId}/messages`, { token });
      return (thread.json.items as { author: { kind: string }; text: string }[]).find((m) => m.author.kind === 'bot')?.text;
    });
    expect(botSays).toContain('售后申请进度');
    expect(botSays).toContain(`订单 ${orderId}：退款 ¥150.00 处理中`);

    // The shop is told through the webhook outbox; the ticket's audit says what happened in words.
    const events = refunding.json.request.events as { type: string; eventId: string }[];
    expect(events.map((e) => e.type)).toEqual(['aftersales.approved', 'aftersales.refund_requested']);
    expect(await get(keys.outboxEvent(events[1]!.eventId))).toMatchObject({ type: 'aftersales.refund_requested', requestId, orderId, customerId, amount: 150 });
    const audit = (await client.call('GET', `/tickets/${ticketId}`, { token: agent })).json.audit as { text: { 'zh-CN': string } }[];
    expect(audit.map((a) => a.text['zh-CN'])).toEqual(expect.arrayContaining(['售后：同意（已申请 → 待寄回）', '售后：退款（已收货 → 退款中），金额 ¥150.00']));

    // The shop reports the refund (twice: the repeat changes nothing).
    const refund = { eventId: `${stamp}-rf`, type: 'refund.completed', occurredAt: iso(Date.now()), data: { orderId, customerId, amount: 150 } };
    expect((await signed(refund)).status).toBe(202);
    expect((await signed({ ...refund, data: { ...refund.data, extra: 1 } })).status).toBe(400);
    await stack.quiesce();
    expect((await signed(refund)).status).toBe(202);
    await stack.quiesce();
    const done = await until(
      async () => {
        const r = await client.call('GET', '/widget/aftersales', { token });
        const mine = r.json.requests.find((x: { requestId: string }) => x.requestId === requestId);
        return mine?.state === 'completed' ? mine : undefined;
      },
      { what: 'the request completed' },
    );
    expect(done.sentence['zh-CN']).toContain('售后已完成');
    const after = (await get(keys.contact(contactId)))!;
    const reversed = Math.round(earned / 2);
    expect(after).toMatchObject({ orderCount: 1, totalSpend: 150, pointsBalance: earned - reversed });
    expect(await get(keys.order(orderId))).toMatchObject({ countedAmount: 150, earnedPoints: earned - reversed });
    expect(await get(keys.aftersalesOpen(orderId))).toBeUndefined();

    // The rest refunded later: the order stops counting and every earned point is gone, never below zero.
    const rest = { eventId: `${stamp}-rf2`, type: 'refund.completed', occurredAt: iso(Date.now()), data: { orderId, customerId, amount: 200 } };
    expect((await signed(rest)).status).toBe(202);
    await stack.quiesce();
    expect(await get(keys.contact(contactId))).toMatchObject({ orderCount: 0, totalSpend: 0, pointsBalance: 0 });

    // Erasure takes the shopper's note and photos with them; the request's numbers stay.
    const photoUrl = (await client.call('GET', `/aftersales/${requestId}`, { token: agent })).json.request.photos[0].url as string;
    const admin = await client.staff('admin@demo.kefu');
    const erase = await client.call('POST', `/contacts/${contactId}/erase`, { token: admin });
    expect(erase.status).toBe(202);
    await until(async () => ((await client.call('GET', `/privacy-tasks/${erase.json.taskId}`, { token: admin })).json?.state === 'done' ? true : undefined));
    const erased = (await get(keys.aftersalesRequest(requestId)))!;
    expect(erased).toMatchObject({ erased: true, photos: [], refundAmount: 150 });
    expect(erased.note).toBeUndefined();
    expect((await fetch(photoUrl)).status).toBe(404);
  });
});
