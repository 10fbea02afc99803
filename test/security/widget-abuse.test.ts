/**
 * Anonymous widget traffic cannot be turned into stored data or noise: sessions are limited per
 * address and write no contact until the visitor does something that needs one; one verdict per
 * bot answer; typing frames are forwarded at most once a second per sender.
 */

import { request } from 'node:http';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type LocalStack, startLocalStack } from '#infra/local/stack.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { dayOf } from '#shared/quality/metrics.ts';
import { keys } from '#shared/store/keys.ts';
import { apiClient } from '../support/api.ts';
import { until } from '../support/until.ts';

type Frame = { type: string; [field: string]: unknown };

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;
let agent: string;
let markers = 0;
const opened: WebSocket[] = [];

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  api = apiClient(stack.urls.api);
  agent = await api.staff('agent@demo.kefu');
}, 120_000);
afterEach(async () => {
  for (const ws of opened.splice(0)) ws.close();
  await stack.quiesce();
});
afterAll(async () => {
  await stack?.stop();
});

const get = async (key: { pk: string; sk: string }) => (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: key }))).Item;

async function socket(query: string) {
  const frames: Frame[] = [];
  const ws = new WebSocket(`${stack.urls.ws}?${query}`);
  opened.push(ws);
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    frames,
    send: (frame: unknown) => ws.send(JSON.stringify(frame)),
    /** Everything pushed so far has arrived: the stack is idle, then a ping's pong comes back after it. */
    async settle() {
      await stack.quiesce();
      const id = `marker-${++markers}`;
      ws.send(JSON.stringify({ type: 'ping', id }));
      await until(() => frames.some((f) => f.type === 'pong' && f.id === id), { what: `the pong of ${id}` });
    },
  };
}

/** POST from another loopback address, so this flood has its own per-address budget. */
function postFrom(
  localAddress: string,
  path: string,
  body: unknown,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: any }> {
  const url = new URL(path, stack.urls.api);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('widget sessions', () => {
  it('100 sessions from one address: the excess gets 429 with Retry-After and a message saying what to do; no session writes a contact', async () => {
    const results = await Promise.all(Array.from({ length: 100 }, () => postFrom('127.0.0.2', '/widget/session', { shopId: 'demo', locale: 'en' })));
    const granted = results.filter((r) => r.status === 200);
    const limited = results.filter((r) => r.status === 429);
    expect(granted.length + limited.length).toBe(100);
    expect(granted.length).toBeGreaterThan(0);
    expect(limited.length).toBeGreaterThan(0);
    for (const r of limited) {
      const retryAfter = Number(r.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      // A sliding window: the burst weighs on the next minute too, so the wait can pass one window, never two.
      expect(retryAfter).toBeLessThanOrEqual(120);
      expect(r.json).toMatchObject({ error: 'rate_limited' });
      expect(r.json.message).toMatch(/resumeToken/);
      expect(r.json.message).toContain(`retry after ${retryAfter} s`);
    }
    for (const r of granted) expect(await get(keys.contact(r.json.contactId))).toBeUndefined();
    // Another address is not affected.
    expect((await api.call('POST', '/widget/session', { body: { shopId: 'demo' } })).status).toBe(200);
  });

  it('the contact is written by the first message, with the session’s locale; me, resume and sign-in work before it exists', async () => {
    const session = await api.call('POST', '/widget/session', { body: { shopId: 'demo', locale: 'en' } });
    expect(session.status).toBe(200);
    const { token, contactId } = session.json as { token: string; contactId: string };
    expect(await get(keys.contact(contactId))).toBeUndefined();
    expect((await api.call('GET', '/widget/me', { token })).json).toMatchObject({ contactId, verified: false, locale: 'en' });
    expect((await api.call('GET', '/widget/conversations', { token })).json.items).toEqual([]);
    const resumed = await api.call('POST', '/widget/session', { body: { shopId: 'demo', resumeToken: token, locale: 'en' } });
    expect(resumed.json.contactId).toBe(contactId);
    expect(await get(keys.contact(contactId))).toBeUndefined();

    const started = await api.call('POST', '/widget/conversations', {
      token: resumed.json.token,
      body: { clientMessageId: 'abuse-first-01', text: 'Hello, is anyone there?' },
    });
    expect(started.status).toBe(201);
    expect(await get(keys.contact(contactId))).toMatchObject({ contactId, shopId: 'demo', verified: false, locale: 'en' });
    expect((await api.call('GET', `/contacts/${contactId}`, { token: agent })).status).toBe(200);
    expect((await api.call('GET', '/widget/me', { token })).json).toMatchObject({ contactId, verified: false, locale: 'en' });

    // A web-form ticket also needs the contact; a visitor who signs in before writing anything merges nothing.
    const other = await api.visitor();
    const ticket = await api.call('POST', '/widget/tickets', { token: other.token, body: { subject: 'Wrong size', text: 'I received size M instead of L' } });
    expect(ticket.status).toBe(201);
    expect(await get(keys.contact(other.contactId))).toMatchObject({ contactId: other.contactId, verified: false });
    const quiet = await api.visitor();
    const shop = (await get(keys.shop('demo')))!;
    const signedIn = await api.call('POST', '/widget/session', {
      body: { shopId: 'demo', resumeToken: quiet.token, user: { id: 'abuse-shopper-1', hmac: hmacHex(shop.identitySecret as string, 'abuse-shopper-1') } },
    });
    expect(signedIn.json.verified).toBe(true);
    expect(await get(keys.contact(quiet.contactId))).toBeUndefined();
    expect(await get(keys.mergedRedirect(quiet.contactId))).toBeUndefined();
  });
});

describe('bot verdicts', () => {
  // the bot's daily counters are cut on the demo shop's day (Asia/Shanghai)
  const today = () => dayOf(new Date().toISOString(), 'Asia/Shanghai');
  const metric = async (name: string) => Number((await get(keys.metric('bot', today())))?.[name] ?? 0);
  const botAnswers = async (token: string, id: string) =>
    ((await api.call('GET', `/widget/conversations/${id}/messages`, { token })).json.items as { messageId: string; author: { kind: string } }[]).filter(
      (m) => m.author.kind === 'bot',
    );
  const verdict = (token: string, id: string, body: Record<string, unknown>) => api.call('POST', `/widget/conversations/${id}/bot-feedback`, { token, body });

  it('one verdict per answer: 50 “not helpful” move the daily metric and the fallbacks by one; a second verdict on it changes nothing', async () => {
    const v = await api.visitor();
    const started = await api.call('POST', '/widget/conversations', {
      token: v.token,
      body: { clientMessageId: 'abuse-bot-0001', text: 'How long does delivery take?' },
    });
    const id = started.json.conversation.conversationId as string;
    const [answer] = await until(async () => ((await botAnswers(v.token, id)).length > 0 ? botAnswers(v.token, id) : undefined), { what: 'the bot answer' });
    const notHelpful = await metric('not_helpful');
    const resolved = await metric('resolved_by_bot');

    const statuses: number[] = [];
    for (let round = 0; round < 5; round++) {
      const batch = await Promise.all(Array.from({ length: 10 }, () => verdict(v.token, id, { helpful: false })));
      statuses.push(...batch.map((r) => r.status));
    }
    expect(await metric('not_helpful')).toBe(notHelpful + 1);
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect((await api.call('GET', `/conversations/${id}`, { token: agent })).json.conversation.bot).toMatchObject({ active: true, fallbacks: 1 });

    const named = await verdict(v.token, id, { helpful: false, messageId: answer!.messageId });
    expect(named.status).toBe(200);
    const changedMind = await verdict(v.token, id, { helpful: true, messageId: answer!.messageId });
    expect(changedMind.status).toBe(200);
    expect(changedMind.json.conversation).toMatchObject({ status: 'open', bot: { active: true } });
    expect([await metric('not_helpful'), await metric('resolved_by_bot')]).toEqual([notHelpful + 1, resolved]);
  });

  it('a newer answer takes its own verdict once; an older answer can no longer be rated', async () => {
    const v = await api.visitor();
    const started = await api.call('POST', '/widget/conversations', {
      token: v.token,
      body: { clientMessageId: 'abuse-bot-0002', text: 'How long does delivery take?' },
    });
    const id = started.json.conversation.conversationId as string;
    const [first] = await until(async () => ((await botAnswers(v.token, id)).length > 0 ? botAnswers(v.token, id) : undefined), {
      what: 'the first bot answer',
    });
    const before = await metric('not_helpful');
    const firstVerdict = await verdict(v.token, id, { helpful: false, messageId: first!.messageId });
    expect(firstVerdict.status).toBe(200);
    expect(firstVerdict.json.recorded).toBe(true);

    await api.call('POST', `/widget/conversations/${id}/messages`, {
      token: v.token,
      body: { clientMessageId: 'abuse-bot-0003', text: 'What is your return policy?' },
    });
    const answers = await until(async () => ((await botAnswers(v.token, id)).length > 1 ? botAnswers(v.token, id) : undefined), {
      what: 'the second bot answer',
    });
    const second = answers[1]!;
    // Whether the second answer can still be rated depends on what the bot did (a second fallback
    // hands off); either way it counts at most once however often it is sent.
    let recorded = 0;
    for (let i = 0; i < 3; i++) {
      const res = await verdict(v.token, id, { helpful: false, messageId: second.messageId });
      expect(res.status).toBe(200);
      if (res.json.recorded) recorded++;
    }
    expect(recorded).toBeLessThanOrEqual(1);
    const stale = await verdict(v.token, id, { helpful: false, messageId: first!.messageId });
    expect(stale.status).toBe(409);
    expect(stale.json.message).toMatch(/newest/);
    expect(await metric('not_helpful')).toBe(before + 1 + recorded);
  });
});

describe('typing frames', () => {
  it('300 typing frames from one sender: at most one a second reaches the other side', async () => {
    const v = await api.visitor();
    const started = await api.call('POST', '/widget/conversations', {
      token: v.token,
      body: { clientMessageId: 'abuse-typing-01', text: 'I have a question' },
    });
    const id = started.json.conversation.conversationId as string;
    const shopper = await socket(`token=${v.token}`);
    const staff = await socket(`staffToken=${agent}`);

    for (const [sender, receiver] of [
      [shopper, staff],
      [staff, shopper],
    ] as const) {
      const from = receiver.frames.length;
      const startedAt = Date.now();
      for (let i = 0; i < 300; i++) sender.send({ type: 'typing', conversationId: id });
      await receiver.settle();
      const elapsedMs = Date.now() - startedAt;
      const forwarded = receiver.frames.slice(from).filter((f) => f.type === 'typing' && f.conversationId === id).length;
      expect(forwarded).toBeGreaterThanOrEqual(1);
      // One per one-second window of the clock: a burst spanning n seconds touches at most n + 2 windows.
      expect(forwarded).toBeLessThanOrEqual(2 + Math.floor(elapsedMs / 1000));
      expect(forwarded).toBeLessThan(300);
      expect(sender.frames.filter((f) => f.type === 'error')).toEqual([]);
    }
  });
});
