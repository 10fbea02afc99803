import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLocalStack } from '#infra/local/stack.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { keys } from '#shared/store/keys.ts';
import { apiClient } from '../support/api.ts';
import { until } from '../support/until.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;

let call: ReturnType<typeof apiClient>['call'];
let visitor: ReturnType<typeof apiClient>['visitor'];
let staffToken: ReturnType<typeof apiClient>['staff'];

function socket(query: string) {
  const frames: Record<string, unknown>[] = [];
  const ws = new WebSocket(`${stack.urls.ws}?${query}`);
  ws.on('message', (data) => frames.push(JSON.parse(String(data))));
  const open = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused ${res.statusCode}`)));
  });
  return { ws, frames, open };
}

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  ({ call, visitor, staff: staffToken } = apiClient(stack.urls.api));
});
afterAll(async () => {
  await stack?.stop();
});

describe('live chat over the local stack', () => {
  it('visitor A never sees visitor B’s conversation by any route or socket frame', async () => {
    const a = await visitor();
    const b = await visitor();
    const bSocket = socket(`token=${b.token}`);
    await bSocket.open;
    const started = await call('POST', '/widget/conversations', { token: a.token, body: { clientMessageId: 'a-first-0001', text: 'secret of A' } });
    expect(started.status).toBe(201);
    const id = started.json.conversation.conversationId as string;

    expect((await call('GET', `/widget/conversations/${id}/messages`, { token: b.token })).status).toBe(404);
    expect((await call('POST', `/widget/conversations/${id}/messages`, { token: b.token, body: { text: 'hi' } })).status).toBe(404);
    expect((await call('POST', `/widget/conversations/${id}/read`, { token: b.token, body: { messageId: started.json.message.messageId } })).status).toBe(404);
    const listB = await call('GET', '/widget/conversations', { token: b.token });
    expect(listB.json.items).toEqual([]);
    const guessed = id.slice(0, -1) + (id.endsWith('a') ? 'b' : 'a');
    const guess = await call('GET', `/widget/conversations/${guessed}/messages`, { token: a.token });
    expect(guess.status).toBe(404);
    expect(guess.json.message).toBe('conversation not found');

    bSocket.ws.send(JSON.stringify({ type: 'typing', conversationId: id }));
    const error = await until(() => bSocket.frames.find((f) => f.type === 'error'));
    expect(error.message).toBe('conversation not found');
    await stack.quiesce();
    expect(JSON.stringify(bSocket.frames)).not.toContain('secret of A');
    bSocket.ws.close();
  });

  it('a resent client message id is stored once (reconnection without duplicates)', async () => {
    const v = await visitor();
    const first = await call('POST', '/widget/conversations', { token: v.token, body: { clientMessageId: 'dup-start-01', text: 'hello' } });
    const again = await call('POST', '/widget/conversations', { token: v.token, body: { clientMessageId: 'dup-start-01', text: 'hello' } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.json.conversation.conversationId).toBe(first.json.conversation.conversationId);
    const id = first.json.conversation.conversationId;
    const m1 = await call('POST', `/widget/conversations/${id}/messages`, {
      token: v.token,
      body: { clientMessageId: 'dup-msg-0001', text: 'where is my order?' },
    });
    const m2 = await call('POST', `/widget/conversations/${id}/messages`, {
      token: v.token,
      body: { clientMessageId: 'dup-msg-0001', text: 'where is my order?' },
    });
    expect([m1.status, m2.status]).toEqual([201, 200]);
    expect(m2.json.message.messageId).toBe(m1.json.message.messageId);
    const thread = await call('GET', `/widget/conversations/${id}/messages`, { token: v.token });
    const fromVisitor = thread.json.items.filter((m: { author: { kind: string } }) => m.author.kind === 'visitor');
    expect(fromVisitor.map((m: { text: string }) => m.text)).toEqual(['hello', 'where is my order?']);
  });

  it('agent replies reach the widget socket in real time; internal notes never do', async () => {
    const v = await visitor();
    const agent = await staffToken();
    const staffSocket = socket(`staffToken=${agent}`);
    const visitorSocket = socket(`token=${v.token}`);
    await Promise.all([staffSocket.open, visitorSocket.open]);
    const started = await call('POST', '/widget/conversations', { token: v.token, body: { clientMessageId: 'rt-start-001', text: '你好，我的快递到哪了？' } });
    const id = started.json.conversation.conversationId as string;
    const seen = await until(() => staffSocket.frames.find((f) => f.type === 'message' && f.conversationId === id));
    expect((seen.message as { text: string }).text).toBe('你好，我的快递到哪了？');

    const listed = async (view: string) =>
      (await call('GET', `/conversations?view=${view}`, { token: agent })).json.items.map((c: { conversationId: string }) => c.conversationId);
    // The bot serves it: listed under the bot view, not in agents' open or unassigned work.
    expect(await listed('bot')).toContain(id);
    expect(await listed('open')).not.toContain(id);
    expect(await listed('unassigned')).not.toContain(id);

    const note = await call('POST', `/conversations/${id}/messages`, { token: agent, body: { text: 'VIP, check the warehouse', internal: true } });
    expect(note.status).toBe(201);
    expect(await listed('bot')).toContain(id);
    const reply = await call('POST', `/conversations/${id}/messages`, { token: agent, body: { text: '您好，已为您查询' } });
    expect(reply.status).toBe(201);
    // The agent's public reply takes it over from the bot: the bot stops and it is the agent's now.
    await stack.quiesce();
    const taken = await call('GET', `/conversations/${id}`, { token: agent });
    expect(taken.json.conversation.bot).toMatchObject({ active: false, outcome: 'handed_off' });
    expect(await listed('bot')).not.toContain(id);
    expect(await listed('open')).toContain(id);
    expect(await listed('mine')).toContain(id);
    await until(() => visitorSocket.frames.find((f) => f.type === 'message' && (f.message as { text: string }).text === '您好，已为您查询'));
    await stack.quiesce();
    expect(JSON.stringify(visitorSocket.frames)).not.toContain('warehouse');
    const thread = await call('GET', `/widget/conversations/${id}/messages`, { token: v.token });
    expect(JSON.stringify(thread.json)).not.toContain('warehouse');
    const staffThread = await call('GET', `/conversations/${id}/messages`, { token: agent });
    expect(staffThread.json.items.some((m: { internal: boolean }) => m.internal)).toBe(true);

    // The public reply assigned the unassigned conversation to whoever wrote it (the note did not).
    const agentSub = (await call('GET', '/staff/me', { token: agent })).json.sub as string;
    const header = await call('GET', `/conversations/${id}`, { token: agent });
    expect((header.json.conversation ?? header.json).assignee).toMatchObject({ sub: agentSub });
    const mine = await call('GET', '/conversations?view=mine', { token: agent });
    expect(mine.json.items.map((c: { conversationId: string }) => c.conversationId)).toContain(id);

    const assigned = await call('POST', `/conversations/${id}/assign`, { token: agent, body: { assignee: 'nobody-sub' } });
    expect(assigned.status).toBe(400);
    const resolved = await call('POST', `/conversations/${id}/status`, { token: agent, body: { status: 'resolved' } });
    expect(resolved.json.conversation.status).toBe('resolved');
    staffSocket.ws.close();
    visitorSocket.ws.close();
  });

  it('marketing cannot read the inbox; a visitor token is not a staff token', async () => {
    const marketing = await staffToken('marketing@demo.kefu');
    expect((await call('GET', '/conversations', { token: marketing })).status).toBe(403);
    const v = await visitor();
    expect((await call('GET', '/conversations', { token: v.token })).status).toBe(401);
  });

  it('rate limits conversation creation with 429 and Retry-After', async () => {
    const v = await visitor();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const res = await call('POST', '/widget/conversations', { token: v.token, body: { clientMessageId: `rate-limit-${i}-x`, text: `n${i}` } });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('a verified shopper keeps one contact across devices; a wrong HMAC stays anonymous', async () => {
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const shop = (await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: keys.shop('demo') }))).Item!;
    const hmac = hmacHex(shop.identitySecret as string, 'shopper-7');
    const d1 = await visitor({ id: 'shopper-7', hmac });
    const d2 = await visitor({ id: 'shopper-7', hmac });
    expect(d1.verified).toBe(true);
    expect(d2.contactId).toBe(d1.contactId);
    const forged = await visitor({ id: 'shopper-7', hmac: '0'.repeat(64) });
    expect(forged.verified).toBe(false);
    expect(forged.contactId).not.toBe(d1.contactId);
  });

  it('signed shop events travel through SQS and are applied once', async () => {
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const shop = (await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: keys.shop('demo') }))).Item!;
    const send = async (event: unknown) => {
      const body = JSON.stringify(event);
      const ts = String(Math.floor(Date.now() / 1000));
      return call('POST', '/shop/events', {
        body,
        headers: { 'x-kefu-shop': 'demo', 'x-kefu-timestamp': ts, 'x-kefu-signature': hmacHex(shop.webhookSecret as string, `${ts}.${body}`) },
      });
    };
    const paid = {
      eventId: 'evt-paid-1',
      type: 'order.paid',
      occurredAt: '2026-11-20T10:00:00Z',
      data: { orderId: 'ord-1', customerId: 'cust-1', amount: 99 },
    };
    const created = {
      eventId: 'evt-created-1',
      type: 'order.created',
      occurredAt: '2026-11-20T09:00:00Z',
      data: { orderId: 'ord-1', customerId: 'cust-1', amount: 99 },
    };
    expect((await send(paid)).status).toBe(202);
    expect((await send(paid)).status).toBe(202);
    expect((await send(created)).status).toBe(202);
    await stack.quiesce();
    const item = (await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: keys.order('ord-1') }))).Item;
    expect(item?.placedAt).toBeTruthy();
    expect(item?.status).toBe('paid');
    expect(item?.statusAt).toBe('2026-11-20T10:00:00Z');
    const bad = await send({ ...paid, eventId: 'evt-bad', data: { ...paid.data, amount: -5 } });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/data.amount/);
  });
});
