import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { MESSAGE_TOMBSTONE } from '#shared/privacy/erase.ts';
import { RETENTION_MARKER } from '#shared/privacy/retention.ts';
import { keys } from '#shared/store/keys.ts';
import { forgetShops } from '#shared/store/shops.ts';
import { apiClient } from '../support/api.ts';
import { until } from '../support/until.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
let api: ReturnType<typeof apiClient>;
let shop: Record<string, unknown>;
let admin: string;
let agent: string;
let hookServer: Server;
let hookHits = 0;

const get = async (key: { pk: string; sk: string }) => (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: key, ConsistentRead: true }))).Item;

function signed(path: string, body: unknown) {
  const raw = JSON.stringify(body);
  const ts = String(Math.floor(Date.now() / 1000));
  return api.call('POST', path, {
    body: raw,
    headers: { 'x-kefu-shop': 'demo', 'x-kefu-timestamp': ts, 'x-kefu-signature': hmacHex(shop.webhookSecret as string, `${ts}.${raw}`) },
  });
}

async function shopper(id: string) {
  return api.visitor({ id, hmac: hmacHex(shop.identitySecret as string, id) });
}

beforeAll(async () => {
  hookServer = createServer((_req, res) => {
    hookHits++;
    res.writeHead(204).end();
  });
  await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  api = apiClient(stack.urls.api);
  // Shop settings (then the per-container shop cache is dropped): 30-day transcript retention,
  // and a webhook URL on loopback that the production policy must refuse.
  const port = (hookServer.address() as AddressInfo).port;
  await stack.db.send(
    new UpdateCommand({
      TableName: 'Kefu',
      Key: keys.shop('demo'),
      UpdateExpression: 'SET transcriptRetentionDays = :d, webhookUrl = :u',
      ExpressionAttributeValues: { ':d': 30, ':u': `https://127.0.0.1:${port}/hook` },
    }),
  );
  forgetShops();
  shop = (await get(keys.shop('demo')))!;
  admin = await api.staff('admin@demo.kefu');
  agent = await api.staff('agent@demo.kefu');
}, 30_000);
afterAll(async () => {
  await stack?.stop();
  await new Promise<void>((r) => hookServer.close(() => r()));
});

async function taskDone(path: string, token: string) {
  return until(async () => {
    const res = await api.call('GET', path, { token });
    return res.json?.state === 'done' || res.json?.state === 'failed' ? res.json : undefined;
  });
}

describe('privacy over the local stack', () => {
  let contactId: string;
  let conversationId: string;
  let firstDownload: string;

  it('a verified shopper exports their data (no internal notes); an anonymous visitor may not', async () => {
    const me = await shopper('pv-shopper-1');
    contactId = me.contactId;
    const started = await api.call('POST', '/widget/conversations', {
      token: me.token,
      body: { clientMessageId: 'pv-first-0001', text: 'my address is 1 Privacy Road' },
    });
    expect(started.status).toBe(201);
    conversationId = started.json.conversation.conversationId;
    const note = await api.call('POST', `/conversations/${conversationId}/messages`, { token: agent, body: { text: 'staff-only remark', internal: true } });
    expect(note.status).toBeLessThan(300);

    const anon = await api.visitor();
    expect((await api.call('POST', '/widget/privacy/export', { token: anon.token })).status).toBe(403);

    const requested = await api.call('POST', '/widget/privacy/export', { token: me.token });
    expect(requested.status).toBe(202);
    expect(requested.json).toMatchObject({ kind: 'export', state: 'queued' });
    const done = await taskDone(`/widget/privacy/export/${requested.json.taskId}`, me.token);
    expect(done.state).toBe('done');
    expect(done.stateText).toEqual({ 'zh-CN': '已完成', en: 'Done' });
    expect(Date.parse(done.download.expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);
    firstDownload = done.download.url;
    const bundle = await (await fetch(firstDownload)).json();
    expect(bundle).toMatchObject({ format: 'kefu.contact-export/1', contactId, includesInternalNotes: false });
    const texts = bundle.conversations.flatMap((c: { messages: { text: string }[] }) => c.messages.map((m) => m.text));
    expect(texts).toContain('my address is 1 Privacy Road');
    expect(texts).not.toContain('staff-only remark');

    const other = await shopper('pv-shopper-2');
    expect((await api.call('GET', `/widget/privacy/export/${requested.json.taskId}`, { token: other.token })).status).toBe(404);
  });

  it('an admin export may include internal notes; agents cannot start one', async () => {
    expect((await api.call('POST', `/contacts/${contactId}/export`, { token: agent })).status).toBe(403);
    const requested = await api.call('POST', `/contacts/${contactId}/export?internalNotes=true`, { token: admin });
    expect(requested.status).toBe(202);
    const done = await taskDone(`/privacy-tasks/${requested.json.taskId}`, admin);
    const bundle = await (await fetch(done.download.url)).json();
    expect(bundle.includesInternalNotes).toBe(true);
    expect(JSON.stringify(bundle)).toContain('staff-only remark');
  });

  it('new messages carry the retention TTL; a message past retention reads as a marker', async () => {
    const items =
      (
        await stack.db.send(
          new QueryCommand({
            TableName: 'Kefu',
            KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
            ExpressionAttributeValues: { ':p': `CONV#${conversationId}`, ':s': 'MSG#' },
          }),
        )
      ).Items ?? [];
    const first = items.find((m) => m.text === 'my address is 1 Privacy Road')!;
    expect(first.ttl).toBe(Math.floor(Date.parse(first.createdAt) / 1000) + 30 * 86_400);
    const old = {
      ...keys.message(conversationId, 'msg_00000000000000000000000000'),
      messageId: 'msg_00000000000000000000000000',
      conversationId,
      author: { kind: 'visitor' },
      text: 'very old text',
      internal: false,
      createdAt: '2020-01-01T00:00:00.000Z',
      ttl: 1_600_000_000,
    };
    await stack.db.send(new PutCommand({ TableName: 'Kefu', Item: old }));
    const thread = await api.call('GET', `/conversations/${conversationId}/messages`, { token: agent });
    const marked = thread.json.items.find((m: { messageId: string }) => m.messageId === old.messageId);
    expect(marked).toMatchObject({ text: RETENTION_MARKER, removedByRetention: true });
    expect(JSON.stringify(thread.json)).not.toContain('very old text');
  });

  it('an admin erases a contact: PII, uniqueness items, texts and bundles go; ledger numbers stay', async () => {
    await signed('/shop/events', {
      eventId: 'pv-ev-m1',
      type: 'member.upserted',
      occurredAt: '2026-03-01T00:00:00Z',
      data: { customerId: 'pv-shopper-1', email: 'pv@example.com', name: '隐私 测试' },
    });
    await signed('/shop/events', {
      eventId: 'pv-ev-o1',
      type: 'order.paid',
      occurredAt: '2026-03-02T00:00:00Z',
      data: { orderId: 'pv-order-1', customerId: 'pv-shopper-1', amount: 50 },
    });
    await until(async () => ((await get(keys.contact(contactId)))?.email && (await get(keys.order('pv-order-1')))?.counted ? true : undefined));
    expect(await get(keys.contactByEmail('pv@example.com'))).toBeDefined();
    // A parcel and a trace step that names who signed for it: they go with the person.
    await signed('/shop/events', {
      eventId: 'pv-ev-s1',
      type: 'shipment.created',
      occurredAt: '2026-03-03T00:00:00Z',
      data: { orderId: 'pv-order-1', customerId: 'pv-shopper-1', trackingNumber: 'SF1234567890', carrier: '顺丰速运' },
    });
    await signed('/shop/events', {
      eventId: 'pv-ev-s2',
      type: 'shipment.updated',
      occurredAt: '2026-03-04T00:00:00Z',
      data: {
        orderId: 'pv-order-1',
        customerId: 'pv-shopper-1',
        trackingNumber: 'SF1234567890',
        status: 'out_for_delivery',
        location: '上海浦东',
        description: '快递员隐私先生正在派件',
      },
    });
    const parcelItems = async () =>
      (
        await stack.db.send(
          new QueryCommand({
            TableName: 'Kefu',
            KeyConditionExpression: 'pk = :p',
            ExpressionAttributeValues: { ':p': keys.order('pv-order-1').pk },
            ConsistentRead: true,
          }),
        )
      ).Items?.filter((i) => String(i.sk).startsWith('SHIPMENT#') || String(i.sk).startsWith('TRACE#')) ?? [];
    await until(async () => ((await parcelItems()).length >= 3 ? true : undefined));

    expect((await api.call('POST', `/contacts/${contactId}/erase`, { token: agent })).status).toBe(403);
    const requested = await api.call('POST', `/contacts/${contactId}/erase`, { token: admin });
    expect(requested.status).toBe(202);
    const done = await taskDone(`/privacy-tasks/${requested.json.taskId}`, admin);
    expect(done).toMatchObject({ state: 'done', steps: expect.arrayContaining(['conversations', 'profile']) });
    expect(done.stub).toMatch(/^erased contact #[0-9a-f]{12}$/);

    const profile = (await get(keys.contact(contactId)))!;
    expect(profile).toMatchObject({ erased: true, name: done.stub, pointsBalance: 50, orderCount: 1 });
    expect(profile.email).toBeUndefined();
    expect(profile.shopUserId).toBeUndefined();
    expect(await get(keys.contactByEmail('pv@example.com'))).toBeUndefined();
    expect(await get(keys.contactByShopUser('demo', 'pv-shopper-1'))).toBeUndefined();
    expect((await get(keys.order('pv-order-1')))?.customerId).toBe(done.stub);
    expect(await parcelItems()).toEqual([]);

    const items =
      (
        await stack.db.send(
          new QueryCommand({
            TableName: 'Kefu',
            KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
            ExpressionAttributeValues: { ':p': `CONV#${conversationId}`, ':s': 'MSG#' },
          }),
        )
      ).Items ?? [];
    expect(items.filter((m) => m.author.kind === 'visitor').every((m) => m.text === MESSAGE_TOMBSTONE)).toBe(true);
    expect(JSON.stringify(items)).not.toContain('Privacy Road');
    expect((await get(keys.conversation(conversationId)))?.contactName).toBe(done.stub);

    const ledger =
      (
        await stack.db.send(
          new QueryCommand({
            TableName: 'Kefu',
            KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
            ExpressionAttributeValues: { ':p': `CONTACT#${contactId}`, ':s': 'POINTS#' },
          }),
        )
      ).Items ?? [];
    expect(ledger.length).toBeGreaterThan(0);
    expect(ledger[0]).toMatchObject({ points: 50, kind: 'earn' });

    expect((await fetch(firstDownload)).status).toBe(404);

    // Re-running is safe and finds nothing left to do; the same shopper signing in again starts afresh.
    const again = await api.call('POST', `/contacts/${contactId}/erase`, { token: admin });
    expect((await taskDone(`/privacy-tasks/${again.json.taskId}`, admin)).state).toBe('done');
    const fresh = await shopper('pv-shopper-1');
    expect(fresh.contactId).not.toBe(contactId);
  });

  it('outbound webhooks: the strict production policy refuses a loopback target and logs it for admins', async () => {
    const eventId = 'evt_pv_webhook_0001';
    const at = new Date().toISOString();
    await stack.db.send(
      new PutCommand({
        TableName: 'Kefu',
        Item: {
          ...keys.outboxEvent(eventId),
          ...keys.outboxPending(at, eventId),
          eventId,
          type: 'member.tier_changed',
          shopId: 'demo',
          contactId: 'c-x',
          from: 'bronze',
          to: 'silver',
          at,
        },
      }),
    );
    await stack.scheduler.runNow('webhooks-dispatch');
    const delivery = await until(async () => {
      const d = await get(keys.webhookDelivery(eventId));
      return d?.state === 'failed' ? d : undefined;
    });
    expect(delivery).toMatchObject({ state: 'failed', lastError: 'blocked_address', attempts: 1 });
    expect((await get(keys.outboxEvent(eventId)))?.gsi1pk).toBeUndefined();
    expect(hookHits).toBe(0);
    expect((await api.call('GET', '/webhooks/deliveries', { token: agent })).status).toBe(403);
    const log = await api.call('GET', '/webhooks/deliveries', { token: admin });
    expect(log.status).toBe(200);
    expect(log.json.items.find((d: { eventId: string }) => d.eventId === eventId)).toMatchObject({ state: 'failed', stateText: { en: 'Failed' } });
  });
});

describe('contact merge over the local stack', () => {
  it('a visitor who verifies keeps their conversation: it moves to the shopper’s contact', async () => {
    const visitor = await api.visitor();
    const started = await api.call('POST', '/widget/conversations', {
      token: visitor.token,
      body: { clientMessageId: 'mg-first-0001', text: 'asked before signing in' },
    });
    expect(started.status).toBe(201);
    const conversationId = started.json.conversation.conversationId as string;
    const verified = await api.call('POST', '/widget/session', {
      body: { shopId: 'demo', resumeToken: visitor.token, user: { id: 'mg-shopper-1', hmac: hmacHex(shop.identitySecret as string, 'mg-shopper-1') } },
    });
    expect(verified.json.verified).toBe(true);
    expect(verified.json.contactId).not.toBe(visitor.contactId);
    const mine = await api.call('GET', '/widget/conversations', { token: verified.json.token });
    expect(JSON.stringify(mine.json)).toContain(conversationId);
    expect(await get(keys.mergedRedirect(visitor.contactId))).toMatchObject({ intoContactId: verified.json.contactId });
    expect((await get(keys.conversation(conversationId)))?.contactId).toBe(verified.json.contactId);
  });

  it('agents merge a duplicate through the API; merging a verified shopper away is refused', async () => {
    const a = await api.visitor();
    await api.call('POST', '/widget/conversations', { token: a.token, body: { clientMessageId: 'mg-dup-00001', text: 'duplicate contact' } });
    const target = await shopper('mg-shopper-2');
    const merged = await api.call('POST', `/contacts/${a.contactId}/merge`, { token: agent, body: { intoContactId: target.contactId } });
    expect(merged).toMatchObject({ status: 200, json: { mergedInto: target.contactId, moved: { conversations: 1 } } });
    const back = await api.call('POST', `/contacts/${target.contactId}/merge`, { token: agent, body: { intoContactId: a.contactId } });
    expect(back.status).toBe(409);
  });
});

describe('care messages over the local stack', () => {
  it('a birthday greeting reaches a consenting member once; no consent, no message', async () => {
    const { resetConfig } = await import('#shared/config.ts');
    const today = new Date();
    // Tomorrow 11:00 in Shanghai: outside quiet hours, and the message is still unexpired at the real time the widget reads it.
    const target = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1, 3, 0, 0));
    const birthday = `2000-${target.toISOString().slice(5, 10)}`;
    process.env.KEFU_CLOCK_OFFSET_MS = String(target.getTime() - Date.now());
    resetConfig();
    try {
      const yes = await shopper('care-yes-1');
      const no = await shopper('care-no-1');
      expect((await api.call('PUT', '/widget/marketing-consent', { token: yes.token, body: { channel: 'widget', granted: true } })).status).toBe(200);
      for (const [id, eventId] of [
        ['care-yes-1', 'care-ev-1'],
        ['care-no-1', 'care-ev-2'],
      ]) {
        await signed('/shop/events', {
          eventId,
          type: 'member.upserted',
          occurredAt: '2026-01-01T00:00:00Z',
          data: { customerId: id, name: '小明', birthday },
        });
      }
      await until(async () =>
        (await get(keys.careDate(no.contactId, 'birthday', 'member'))) && (await get(keys.careDate(yes.contactId, 'birthday', 'member'))) ? true : undefined,
      );
      await stack.scheduler.runNow('care-daily');
      await stack.scheduler.runNow('care-daily');
      const mine = await api.call('GET', '/widget/campaign-messages', { token: yes.token });
      const care = mine.json.items.filter((m: { kind?: string }) => m.kind === 'care');
      expect(care).toHaveLength(1);
      expect(care[0]).toMatchObject({ rule: 'birthday', lang: 'zh', title: '生日快乐！' });
      expect(care[0].body).toContain('小明');
      const theirs = await api.call('GET', '/widget/campaign-messages', { token: no.token });
      expect(theirs.json.items.filter((m: { kind?: string }) => m.kind === 'care')).toHaveLength(0);
    } finally {
      delete process.env.KEFU_CLOCK_OFFSET_MS;
      resetConfig();
    }
  });
});
