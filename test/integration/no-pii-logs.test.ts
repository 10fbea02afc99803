import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { startLocalStack } from '#infra/local/stack.ts';
import { table } from '#infra/manifest.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { keys } from '#shared/store/keys.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
const captured: string[] = [];
const originalStdout = process.stdout.write.bind(process.stdout);
const originalStderr = process.stderr.write.bind(process.stderr);

beforeAll(async () => {
  // Before any handler module (and so the shared logger) is loaded: log everything.
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  const { startLocalStack: start } = await import('#infra/local/stack.ts');
  stack = await start({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  const tap = (original: typeof process.stdout.write) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      captured.push(String(chunk));
      return (original as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
  process.stdout.write = tap(originalStdout);
  process.stderr.write = tap(originalStderr);
});
afterAll(async () => {
  process.stdout.write = originalStdout;
  process.stderr.write = originalStderr;
  await stack?.stop();
});

describe('logs carry ids, never personal data', () => {
  it('a shopper’s name, email, phone and message text never reach the logs', async () => {
    const api = stack.urls.api.replace(/\/$/, '');
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${api}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      return { status: res.status, json: (await res.json().catch(() => undefined)) as Record<string, unknown> };
    };
    const shop = (await stack.db.send(new GetCommand({ TableName: table.name, Key: keys.shop('demo') }))).Item!;
    const secrets = {
      name: 'Zhang Sanfeng',
      email: 'zhang.sanfeng@example.com',
      phone: '+86 138 0013 8000',
      text: 'my card 4111 1111 1111 1111 was charged twice',
    };
    const session = await post('/widget/session', {
      shopId: 'demo',
      user: { id: 'pii-user-1', hmac: hmacHex(shop.identitySecret as string, 'pii-user-1'), name: secrets.name, email: secrets.email },
    });
    const token = session.json.token as string;
    const started = await post('/widget/conversations', { clientMessageId: 'pii-check-01', text: secrets.text }, { authorization: `Bearer ${token}` });
    expect(started.status).toBe(201);
    await post('/widget/offline-message', { email: secrets.email, name: secrets.name, text: secrets.text }, { authorization: `Bearer ${token}` });
    const body = JSON.stringify({
      eventId: 'pii-evt-1',
      type: 'member.upserted',
      occurredAt: new Date().toISOString(),
      data: { customerId: 'pii-user-1', name: secrets.name, email: secrets.email, phone: secrets.phone },
    });
    const ts = String(Math.floor(Date.now() / 1000));
    const ingest = await fetch(`${api}/shop/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-kefu-shop': 'demo',
        'x-kefu-timestamp': ts,
        'x-kefu-signature': hmacHex(shop.webhookSecret as string, `${ts}.${body}`),
      },
      body,
    });
    expect(ingest.status).toBe(202);
    await stack.quiesce(); // the bot turn and the shop event have run and logged
    const logs = captured.join('');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toMatch(/bot turn|shop event/);
    for (const value of Object.values(secrets)) expect(logs).not.toContain(value);
    expect(logs).not.toContain(token);
  });
});
