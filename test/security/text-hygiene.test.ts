/**
 * Text hygiene at the edge: bodies that are not valid UTF-8 or repeat a JSON key are refused by
 * the HTTP wrapper, and message text, names and file names lose (or are refused for) control and
 * bidirectional-override characters before anything is stored.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#infra/local/stack.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { getShop } from '#shared/store/shops.ts';
import { apiClient } from '../support/api.ts';

let stack: LocalStack;
let client: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  client = apiClient(stack.urls.api);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

let seq = 0;
const clientMessageId = () => `hygiene-${String(++seq).padStart(4, '0')}`;

/** Raw bytes to a route, as a browser or shop backend with a broken encoder would send them. */
async function rawPost(path: string, bytes: Buffer, token?: string): Promise<{ status: number; json: { error?: string; message?: string } }> {
  const res = await fetch(`${stack.urls.api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, json: (await res.json()) as { error?: string; message?: string } };
}

async function conversation(token: string): Promise<string> {
  const res = await client.call('POST', '/widget/conversations', { token, body: { clientMessageId: clientMessageId(), text: 'hello' } });
  expect(res.status).toBe(201);
  return res.json.conversation.conversationId as string;
}

describe('request bodies (the HTTP wrapper)', () => {
  it('a body that is not valid UTF-8 is refused with 400 saying so, and nothing is stored', async () => {
    const { token } = await client.visitor();
    const bytes = Buffer.concat([Buffer.from(`{"clientMessageId":"${clientMessageId()}","text":"refund `), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
    const res = await rawPost('/widget/conversations', bytes, token);
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(/UTF-8/);
    expect((await client.call('GET', '/widget/conversations', { token })).json.items).toEqual([]);
  });

  it('a base64 body (how API Gateway passes bytes it does not take for text) that is not UTF-8 is refused too', async () => {
    const { handler } = await import('#functions/http/widget-session.ts');
    const event = {
      version: '2.0',
      routeKey: 'POST /widget/session',
      rawPath: '/widget/session',
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      body: Buffer.concat([Buffer.from('{"shopId":"demo'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]).toString('base64'),
      isBase64Encoded: true,
      requestContext: {
        requestId: 'r-1',
        routeKey: 'POST /widget/session',
        http: { method: 'POST', path: '/widget/session', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 't' },
      },
    } as unknown as APIGatewayProxyEventV2;
    const res = await handler(event, { functionName: 't', awsRequestId: 'r', getRemainingTimeInMillis: () => 1000 } as unknown as Context);
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body!).message).toMatch(/UTF-8/);
  });

  it('a JSON body that repeats a key (at any depth) is refused with 400 naming the key', async () => {
    const { token } = await client.visitor();
    const top = await client.call('POST', '/widget/conversations', {
      token,
      body: `{"clientMessageId":"${clientMessageId()}","text":"I paid","text":"refund me"}`,
    });
    expect(top.status).toBe(400);
    expect(top.json.message).toMatch(/duplicate.*"text"/i);
    const nested = await client.call('POST', '/widget/conversations', {
      token,
      body: `{"clientMessageId":"${clientMessageId()}","text":"hi","page":{"url":"https://shop.example/a","\\u0075rl":"https://evil.example/"}}`,
    });
    expect(nested.status).toBe(400);
    expect(nested.json.message).toMatch(/duplicate.*"url"/i);
    expect((await client.call('GET', '/widget/conversations', { token })).json.items).toEqual([]);
    const sameKeyInSiblings = await client.call('POST', '/widget/conversations', {
      token,
      body: `{"clientMessageId":"${clientMessageId()}","text":"hi","page":{"url":"https://shop.example/a","title":"text"}}`,
    });
    expect(sameKeyInSiblings.status).toBe(201);
  });
});

describe('message text', () => {
  it('only invisible characters (zero-width space/joiner, BOM, word joiner, blanks) is an empty message: 400 like ""', async () => {
    const { token } = await client.visitor();
    const empty = await client.call('POST', '/widget/conversations', { token, body: { clientMessageId: clientMessageId(), text: '   ' } });
    expect(empty.status).toBe(400);
    for (const text of ['\u200B', '\u200B\u200D\uFEFF', ' \u2060\u200C\u00A0\n\t', '\u202E\u200B']) {
      const res = await client.call('POST', '/widget/conversations', { token, body: { clientMessageId: clientMessageId(), text } });
      expect(res.status, JSON.stringify(text)).toBe(400);
      expect(res.json.message, JSON.stringify(text)).toBe(empty.json.message);
    }
  });

  it('C0 controls and bidi overrides are stripped; newlines, tabs, emoji joiners and CJK stay', async () => {
    const { token } = await client.visitor();
    const id = await conversation(token);
    const sent = await client.call('POST', `/widget/conversations/${id}/messages`, {
      token,
      body: { text: '\u200Brefund \u202Egnp.exe\u202C\u0007\u0000 ok\r\nline 2\t👩‍💻 订单\u2066x\u2069\u001b[31m' },
    });
    expect(sent.status).toBe(201);
    const stored = (await client.call('GET', `/widget/conversations/${id}/messages`, { token })).json.items.map((m: { text: string }) => m.text);
    expect(stored).toContain('refund gnp.exe ok\nline 2\t👩‍💻 订单x[31m');
  });
});

describe('names and file names', () => {
  it('a shopper name from the shop loses control and bidi-override characters before it is stored', async () => {
    const shop = await getShop('demo');
    const id = `hygiene-user-${Date.now()}`;
    const session = await client.call('POST', '/widget/session', {
      body: { shopId: 'demo', user: { id, hmac: hmacHex(shop!.identitySecret, id), name: 'Ann\u202E nimda\u0000\u0008 Lee\u200B' } },
    });
    expect(session.status).toBe(200);
    const agent = await client.staff('agent@demo.kefu');
    const contact = await client.call('GET', `/contacts/${session.json.contactId}`, { token: agent });
    expect(contact.status).toBe(200);
    expect(JSON.stringify(contact.json)).not.toMatch(/[\u0000-\u001f\u202a-\u202e\u2066-\u2069]/);
    expect(JSON.stringify(contact.json)).toContain('"Ann nimda Lee"');
  });

  it('an offline-message name loses its bidi override and control characters', async () => {
    const { token } = await client.visitor();
    const res = await client.call('POST', '/widget/offline-message', {
      token,
      body: { email: 'shopper@example.com', name: 'Bo\u202Eb\u0001', text: 'call me back' },
    });
    expect(res.status).toBe(201);
    const agent = await client.staff('agent@demo.kefu');
    const seen = await client.call('GET', `/conversations/${res.json.conversation.conversationId}`, { token: agent });
    expect(seen.status).toBe(200);
    expect(JSON.stringify(seen.json)).not.toMatch(/[\u0000-\u001f\u202a-\u202e]/);
    expect(JSON.stringify(seen.json)).toContain('"Bob"');
  });

  it('a file name with a right-to-left override or a control character is refused with 400', async () => {
    const { token } = await client.visitor();
    const id = await conversation(token);
    for (const fileName of ['refund \u202Egnp.exe', 'invoice\u0000.png', 'a\u2066b.png', '\u200B\uFEFF']) {
      const res = await client.call('POST', `/widget/conversations/${id}/uploads`, { token, body: { fileName, contentType: 'image/png', size: 100 } });
      expect(res.status, JSON.stringify(fileName)).toBe(400);
      expect(res.json.message, JSON.stringify(fileName)).toMatch(/fileName/);
    }
    const fine = await client.call('POST', `/widget/conversations/${id}/uploads`, {
      token,
      body: { fileName: '发票 2024.png', contentType: 'image/png', size: 100 },
    });
    expect(fine.status).toBe(201);
  });

  it('a ticket requester name is cleaned the same way (one helper for every name)', async () => {
    const agent = await client.staff('agent@demo.kefu');
    const res = await client.call('POST', '/tickets', {
      token: agent,
      body: { channel: 'phone', subject: 'Refund\u202E', text: 'called about\u0007 a refund', requester: { name: '\u200BZhang\u202E San\u0000' } },
    });
    expect(res.status).toBe(201);
    const body = JSON.stringify(res.json);
    expect(body).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u202a-\u202e\u200b]/);
    expect(body).toContain('Zhang San');
  });
});
