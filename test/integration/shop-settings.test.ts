/**
 * Shop settings, webhooks and the email outbox over the local stack: who may call the routes,
 * strict bodies with actionable messages, masked secrets, optimistic concurrency (409), the
 * webhook URL policy, a test event and a retry through the real outbox → queue → consumer path
 * to a local receiver, and one ticket's emails.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { keys } from '#shared/store/keys.ts';
import { localTestReceivers, policyFor, strictPolicy } from '#shared/webhooks/address-policy.ts';
import { type ApiResponse, apiClient } from '../support/api.ts';
import { until } from '../support/until.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
let client: ReturnType<typeof apiClient>;
let admin: string;
let lead: string;
let agent: string;

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}
let receiver: Server;
let origin: string;
const received: Received[] = [];
/** What the receiver answers on /flaky (400 until a test switches it). */
let flakyStatus = 400;

const shopItem = async () => (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: keys.shop('demo'), ConsistentRead: true }))).Item!;
const get = (token: string, path: string, headers?: Record<string, string>) => client.call('GET', path, { token, ...(headers ? { headers } : {}) });
const put = (token: string, body: unknown, headers?: Record<string, string>) =>
  client.call('PUT', '/shop-settings', { token, body, ...(headers ? { headers } : {}) });
const post = (token: string, path: string, body?: unknown) => client.call('POST', path, { token, ...(body === undefined ? {} : { body }) });
const version = async () => (await get(admin, '/shop-settings')).json.version as number;

async function delivery(eventId: string, done: (d: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return until(
    async () => {
      const log = await get(admin, '/webhooks/deliveries?limit=100');
      const d = (log.json.items as Record<string, unknown>[]).find((x) => x.eventId === eventId);
      return d && done(d) ? d : undefined;
    },
    { what: `delivery ${eventId}` },
  );
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(req.url === '/flaky' ? flakyStatus : 204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  client = apiClient(stack.urls.api);
  expect(stack.failedToLoad.filter((name) => /shop|webhook|email/.test(name))).toEqual([]);
  [admin, lead, agent] = await Promise.all([client.staff('admin@demo.kefu'), client.staff('lead@demo.kefu'), client.staff('agent@demo.kefu')]);
}, 60_000);
afterAll(async () => {
  delete process.env.KEFU_WEBHOOK_TEST_RECEIVERS;
  await stack?.stop();
  await new Promise<void>((r) => receiver.close(() => r()));
});

describe('shop settings', () => {
  it('only admins read and change them; agents and supervisors get 403', async () => {
    for (const token of [agent, lead]) {
      expect((await get(token, '/shop-settings')).status).toBe(403);
      expect((await put(token, { version: 0, name: 'x' })).status).toBe(403);
      expect((await post(token, '/webhooks/test')).status).toBe(403);
      expect((await post(token, '/webhooks/secret/rotate')).status).toBe(403);
      expect((await post(token, '/webhooks/deliveries/evt_x/retry')).status).toBe(403);
    }
    expect((await get(agent, '/email/outbox')).status).toBe(403);
    expect((await get(lead, '/email/outbox')).status).toBe(200);
  });

  it('GET shows every editable field and never a secret in full', async () => {
    const stored = await shopItem();
    const res = await get(admin, '/shop-settings');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      shopId: 'demo',
      name: 'Demo Shop',
      botEnabled: true,
      assignOnReply: true,
      transcriptRetentionDays: null,
      webhookUrl: null,
      version: 0,
    });
    const text = JSON.stringify(res.json);
    expect(text).not.toContain(stored.webhookSecret);
    expect(text).not.toContain(stored.identitySecret);
    expect(res.json.webhookSecretHint).toBe(`••••••••${String(stored.webhookSecret).slice(-4)}`);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses bad input with 400 and a message naming the field; nothing is written', async () => {
    const before = await shopItem();
    const cases: [unknown, RegExp][] = [
      [{ version: 0, transcriptRetentionDays: 0 }, /transcriptRetentionDays/],
      [{ version: 0, transcriptRetentionDays: 3651 }, /transcriptRetentionDays/],
      [{ version: 0, transcriptRetentionDays: 1.5 }, /transcriptRetentionDays/],
      [{ version: 0, name: '   ' }, /name/],
      [{ version: 0, botEnabled: 'yes' }, /botEnabled/],
      [{ version: 0, name: 'x', webhookSecret: 'mine' }, /webhookSecret/],
      [{ name: 'no version' }, /version/],
      [{ version: 0 }, /at least one of name/],
    ];
    for (const [body, message] of cases) {
      const res = await put(admin, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.message, JSON.stringify(body)).toMatch(message);
    }
    const zh = await put(admin, { version: 0, transcriptRetentionDays: 0 }, { 'accept-language': 'zh-CN' });
    expect(zh.json.message).toMatch(/^请求内容有误：transcriptRetentionDays：/);
    expect(await shopItem()).toEqual(before);
  });

  it('saves a change, bumps the version, applies at once and clears the retention with null', async () => {
    const res = await put(admin, { version: 0, name: '  Demo Shop 2  ', botEnabled: false, assignOnReply: false, transcriptRetentionDays: 90 });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ name: 'Demo Shop 2', botEnabled: false, assignOnReply: false, transcriptRetentionDays: 90, version: 1 });
    expect(res.json.updatedAt).toEqual(expect.any(String));
    expect(await shopItem()).toMatchObject({ name: 'Demo Shop 2', botEnabled: false, assignOnReply: false, transcriptRetentionDays: 90, settingsVersion: 1 });
    // the per-container shop cache was dropped: the widget sees the bot switched off at once
    const visitor = await client.visitor();
    expect((await client.call('GET', '/widget/status', { token: visitor.token })).json.botEnabled).toBe(false);

    const cleared = await put(admin, { version: 1, transcriptRetentionDays: null, botEnabled: true });
    expect(cleared.status).toBe(200);
    expect(cleared.json).toMatchObject({ transcriptRetentionDays: null, botEnabled: true, name: 'Demo Shop 2', version: 2 });
    expect((await shopItem()).transcriptRetentionDays).toBeUndefined();
  });

  it('two admins saving from the same version: one wins, the other gets 409 and nothing of theirs is written', async () => {
    const v = await version();
    const [a, b] = await Promise.all([put(admin, { version: v, name: 'From A' }), put(admin, { version: v, name: 'From B' })]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? 'From A' : 'From B';
    const loser = a.status === 409 ? a : b;
    expect(loser.json).toMatchObject({ error: 'conflict', details: { version: v + 1 } });
    expect(loser.json.message).toMatch(/another admin saved meanwhile/);
    expect((await shopItem()).name).toBe(winner);
    expect((await put(admin, { version: v, assignOnReply: true })).status).toBe(409);
    expect((await shopItem()).assignOnReply).toBe(false);
  });
});

describe('webhooks', () => {
  it('test receivers are honoured on the local stage only, outside Lambda, for exact loopback origins', () => {
    const listed = { KEFU_STAGE: 'local', KEFU_WEBHOOK_TEST_RECEIVERS: `${origin}, https://93.184.216.34, http://10.0.0.8:80` };
    expect(localTestReceivers(listed)).toEqual([origin]);
    expect(policyFor(`${origin}/hook`, listed)).not.toBe(strictPolicy);
    expect(policyFor(`${origin.replace(/\d+$/, '1')}/hook`, listed)).toBe(strictPolicy); // another port
    expect(policyFor(`${origin}/hook`, { ...listed, AWS_LAMBDA_FUNCTION_NAME: 'kefu-prod-webhook-consumer' })).toBe(strictPolicy);
    expect(policyFor(`${origin}/hook`, { ...listed, KEFU_STAGE: 'prod' })).toBe(strictPolicy);
    expect(policyFor(`${origin}/hook`, { KEFU_STAGE: 'local' })).toBe(strictPolicy);
  });

  it('refuses URLs the production policy refuses, with the reason in the caller’s language', async () => {
    const v = await version();
    const cases: [string, string][] = [
      ['not a url', 'invalid_url'],
      ['http://93.184.216.34/hook', 'scheme_not_allowed'],
      ['https://user:pw@93.184.216.34/hook', 'credentials_in_url'],
      ['https://127.0.0.1/hook', 'blocked_address'],
      ['https://169.254.169.254/latest', 'blocked_address'],
      [`${origin}/hook`, 'scheme_not_allowed'], // a local receiver not on the test list is refused like any other
    ];
    for (const [url, reason] of cases) {
      const res = await put(admin, { version: v, webhookUrl: url });
      expect(res.status, url).toBe(400);
      expect(res.json.details.fields[0], url).toMatchObject({ path: 'webhookUrl', reason });
    }
    const zh = await put(admin, { version: v, webhookUrl: 'https://10.0.0.8/hook' }, { 'accept-language': 'zh-CN,zh;q=0.9' });
    expect(zh.json.message).toMatch(/内网/);
    expect((await shopItem()).webhookUrl).toBeUndefined();
    expect((await post(admin, '/webhooks/test')).status).toBe(409); // no URL yet
  });

  it('a test event reaches a local receiver, signed with the rotated secret shown once', async () => {
    process.env.KEFU_WEBHOOK_TEST_RECEIVERS = origin;
    const saved = await put(admin, { version: await version(), webhookUrl: `${origin}/hook` });
    expect(saved.status).toBe(200);
    expect(saved.json.webhookUrl).toBe(`${origin}/hook`);

    const rotated = await post(admin, '/webhooks/secret/rotate');
    expect(rotated.status).toBe(200);
    const secret = rotated.json.secret as string;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect((await shopItem()).webhookSecret).toBe(secret);
    const view = await get(admin, '/shop-settings');
    expect(JSON.stringify(view.json)).not.toContain(secret);
    expect(view.json.webhookSecretHint).toBe(`••••••••${secret.slice(-4)}`);
    expect((await post(admin, '/webhooks/secret/rotate', { extra: 1 })).status).toBe(400);

    const sent = await post(admin, '/webhooks/test');
    expect(sent.status).toBe(202);
    const d = await delivery(sent.json.eventId, (x) => x.state === 'delivered');
    expect(d).toMatchObject({ type: 'webhook.test', attempts: 1, lastStatus: 204, targetHost: new URL(origin).host, stateText: { 'zh-CN': '已送达' } });
    const got = received.find((r) => r.path === '/hook' && JSON.parse(r.body).id === sent.json.eventId)!;
    expect(got.headers['x-kefu-event']).toBe('webhook.test');
    expect(got.headers['x-kefu-signature']).toBe(hmacHex(secret, `${got.headers['x-kefu-timestamp']}.${got.body}`));
  });

  it('a failed delivery is retried by an admin, once per click, and then succeeds', async () => {
    expect((await put(admin, { version: await version(), webhookUrl: `${origin}/flaky` })).status).toBe(200);
    const sent = await post(admin, '/webhooks/test');
    const failed = await delivery(sent.json.eventId, (x) => x.state === 'failed');
    expect(failed).toMatchObject({ attempts: 1, lastStatus: 400, lastError: 'http_400' });

    flakyStatus = 200;
    const [one, two] = await Promise.all([
      post(admin, `/webhooks/deliveries/${failed.deliveryId}/retry`),
      post(admin, `/webhooks/deliveries/${failed.deliveryId}/retry`),
    ]);
    const statuses = [one, two].map((r: ApiResponse) => r.status).sort();
    expect(statuses).toEqual([202, 409]);
    const done = await delivery(sent.json.eventId, (x) => x.state === 'delivered');
    expect(done).toMatchObject({ attempts: 2, lastStatus: 200 });
    expect(received.filter((r) => r.path === '/flaky' && JSON.parse(r.body).id === sent.json.eventId)).toHaveLength(2);

    const again = await post(admin, `/webhooks/deliveries/${failed.deliveryId}/retry`);
    expect(again.status).toBe(409);
    expect(again.json.details).toMatchObject({ reason: 'not_finished', state: 'delivered' });
    expect((await post(admin, '/webhooks/deliveries/evt_nope/retry')).status).toBe(404);
    expect((await post(admin, '/webhooks/deliveries/bad id!/retry')).status).toBe(400);
  });
});

describe('email outbox', () => {
  /** An email ticket from an inbound email (signed by the shop), answered by the agent. */
  async function answeredEmailTicket(subject: string): Promise<string> {
    const secret = (await shopItem()).webhookSecret as string;
    const slug = subject.toLowerCase().replace(/\W/g, '');
    const raw = [
      `From: buyer.${slug}@example.com`,
      'To: support@demo.example',
      `Subject: ${subject}`,
      `Message-ID: <${slug}@mail.example>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Where is my parcel?',
      '',
    ].join('\r\n');
    const body = JSON.stringify({ raw: Buffer.from(raw).toString('base64') });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await client.call('POST', '/email/inbound', {
      body,
      headers: { 'x-kefu-shop': 'demo', 'x-kefu-timestamp': ts, 'x-kefu-signature': hmacHex(secret, `${ts}.${body}`) },
    });
    expect(res.status).toBe(201);
    const ticket = (await get(agent, `/tickets/${res.json.ticketId}`)).json.ticket;
    const reply = await client.call('POST', `/conversations/${ticket.conversationId}/messages`, { token: agent, body: { text: `About ${subject}` } });
    expect(reply.status).toBeLessThan(300);
    return ticket.ticketId as string;
  }

  it('lists one ticket’s emails through its thread, and filters by state', async () => {
    const first = await answeredEmailTicket('Parcel one');
    const second = await answeredEmailTicket('Parcel two');
    const mine = await get(lead, `/email/outbox?ticketId=${first}`);
    expect(mine.status).toBe(200);
    expect(mine.json.items).toHaveLength(1);
    expect(mine.json.items[0]).toMatchObject({ ticketId: first, kind: 'ticket_reply', status: 'pending', subject: 'Re: Parcel one', text: 'About Parcel one' });
    expect(mine.json.items[0].html).toBeUndefined();
    expect((await get(lead, `/email/outbox?ticketId=${second}`)).json.items.map((e: { ticketId: string }) => e.ticketId)).toEqual([second]);
    expect((await get(lead, `/email/outbox?ticketId=${first}&status=sent`)).json.items).toEqual([]);

    const pending = await get(lead, '/email/outbox?status=pending&kind=ticket_reply');
    expect(pending.json.items.map((e: { ticketId: string }) => e.ticketId)).toEqual(expect.arrayContaining([first, second]));
    expect((await get(lead, '/email/outbox?status=failed')).json.items).toEqual([]);

    expect((await get(lead, '/email/outbox?ticketId=nope')).status).toBe(400);
    expect((await get(lead, '/email/outbox?status=bounced')).status).toBe(400);
    expect((await get(lead, `/email/outbox?ticketId=${first}&cursor=abc`)).status).toBe(400);
  });
});
