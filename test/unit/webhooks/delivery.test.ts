import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacHex } from '#shared/auth/hmac.ts';
import { strictPolicy, type TargetPolicy } from '#shared/webhooks/address-policy.ts';
import { postPinned, signedHeaders } from '#shared/webhooks/deliver.ts';
import { backoffSeconds, type Delivery, type DispatchPorts, deliverEvent, judge, MAX_ATTEMPTS, type OutboxEvent } from '#shared/webhooks/dispatch.ts';

/** Test-only policy: plain http to loopback, and one made-up name that resolves there. Production keeps strictPolicy. */
const loopbackPolicy: TargetPolicy = {
  schemes: ['http:'],
  resolve: async (host) => [{ address: host === 'shop.test' ? '127.0.0.1' : host, family: 4 }],
  allowAddress: (a) => a === '127.0.0.1',
};

let server: Server;
let base: string;
const seen: { headers: IncomingMessage['headers']; body: string; url: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ headers: req.headers, body, url: req.url ?? '' });
      if (req.url === '/redirect') return void res.writeHead(302, { location: '/ok' }).end();
      if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end(), 1000);
      if (req.url === '/down') return void res.writeHead(503).end();
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('postPinned', () => {
  it('sends a body the shop can verify: HMAC-SHA256 over `${timestamp}.${body}`', async () => {
    const body = JSON.stringify({ id: 'evt_1', type: 'member.tier_changed' });
    const headers = signedHeaders('s3cret', 'member.tier_changed', body, new Date('2026-03-01T00:00:00Z'));
    const outcome = await postPinned(`${base}/ok`, body, headers, loopbackPolicy);
    expect(outcome).toMatchObject({ kind: 'response', status: 204 });
    const got = seen.at(-1)!;
    expect(got.body).toBe(body);
    expect(got.headers['x-kefu-event']).toBe('member.tier_changed');
    expect(got.headers['x-kefu-timestamp']).toBe(String(Date.parse('2026-03-01T00:00:00Z') / 1000));
    expect(got.headers['x-kefu-signature']).toBe(hmacHex('s3cret', `${got.headers['x-kefu-timestamp']}.${got.body}`));
  });

  it('connects to the checked address, not to a second resolution', async () => {
    const port = new URL(base).port;
    const outcome = await postPinned(`http://shop.test:${port}/ok`, '{}', {}, loopbackPolicy);
    expect(outcome).toMatchObject({ kind: 'response', status: 204 });
    expect(seen.at(-1)!.headers.host).toBe(`shop.test:${port}`);
  });

  it('does not follow redirects', async () => {
    const before = seen.length;
    const outcome = await postPinned(`${base}/redirect`, '{}', {}, loopbackPolicy);
    expect(outcome).toMatchObject({ kind: 'response', status: 302 });
    expect(seen.length).toBe(before + 1);
    expect(judge(outcome)).toMatchObject({ result: 'final', reason: 'redirect_not_followed' });
  });

  it('gives up at the timeout', async () => {
    const outcome = await postPinned(`${base}/slow`, '{}', {}, loopbackPolicy, 200);
    expect(outcome).toMatchObject({ kind: 'error', reason: 'timeout' });
  });

  it('the production policy never reaches this local server', async () => {
    const before = seen.length;
    expect(await postPinned(`${base}/ok`, '{}', {}, strictPolicy)).toEqual({ kind: 'refused', reason: 'scheme_not_allowed' });
    expect(await postPinned(base.replace('http:', 'https:') + '/ok', '{}', {}, strictPolicy)).toEqual({ kind: 'refused', reason: 'blocked_address' });
    expect(seen.length).toBe(before);
  });
});

describe('delivery rules', () => {
  it('backs off exponentially, capped at the SQS maximum delay', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(backoffSeconds)).toEqual([30, 60, 120, 240, 480, 900, 900]);
  });

  it('judges outcomes', () => {
    expect(judge({ kind: 'response', status: 200, ms: 1 }).result).toBe('delivered');
    expect(judge({ kind: 'response', status: 500, ms: 1 }).result).toBe('retry');
    expect(judge({ kind: 'response', status: 429, ms: 1 }).result).toBe('retry');
    expect(judge({ kind: 'response', status: 404, ms: 1 }).result).toBe('final');
    expect(judge({ kind: 'error', reason: 'network', ms: 1 }).result).toBe('retry');
    expect(judge({ kind: 'refused', reason: 'blocked_address' })).toEqual({ result: 'final', reason: 'blocked_address' });
  });

  function ports(post: DispatchPorts['post'], opts: { target?: boolean } = {}) {
    const saved: Delivery[] = [];
    const requeued: [string, number, number][] = [];
    const event: OutboxEvent = { eventId: 'evt_1', type: 'member.tier_changed', shopId: 'demo', at: '2026-03-01T00:00:00Z', contactId: 'c1' };
    const p: DispatchPorts = {
      readDelivery: async () => saved.at(-1),
      readEvent: async () => event,
      target: async () => (opts.target === false ? undefined : { url: `${base}/down`, secret: 'k' }),
      post,
      save: async (d) => void saved.push(d),
      requeue: async (id, attempt, delay) => void requeued.push([id, attempt, delay]),
      now: () => new Date('2026-03-01T00:00:00Z'),
    };
    return { p, saved, requeued };
  }

  it('retries a failing shop with growing delays, then gives up after MAX_ATTEMPTS', async () => {
    const { p, saved, requeued } = ports((url, body, event, secret) =>
      postPinned(url, body, signedHeaders(secret, event.type, body, new Date()), loopbackPolicy),
    );
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) await deliverEvent('evt_1', attempt, p);
    expect(requeued.map((r) => r[2])).toEqual([30, 60, 120, 240, 480, 900, 900]);
    const last = saved.at(-1)!;
    expect(last).toMatchObject({ state: 'failed', attempts: MAX_ATTEMPTS, lastStatus: 503, lastError: 'http_503' });
    expect(last.history).toHaveLength(MAX_ATTEMPTS);
    expect(JSON.stringify(last)).not.toContain('c1');
    await deliverEvent('evt_1', MAX_ATTEMPTS, p);
    expect(saved).toHaveLength(MAX_ATTEMPTS);
  });

  it('a delivered event is not sent again; a shop without a URL is logged as no_target', async () => {
    let posts = 0;
    const ok = ports(async () => (posts++, { kind: 'response', status: 200, ms: 1 }));
    expect((await deliverEvent('evt_1', 0, ok.p)).state).toBe('delivered');
    await deliverEvent('evt_1', 0, ok.p);
    expect(posts).toBe(1);
    const none = ports(async () => ({ kind: 'response', status: 200, ms: 1 }), { target: false });
    expect((await deliverEvent('evt_1', 0, none.p)).state).toBe('no_target');
  });
});
