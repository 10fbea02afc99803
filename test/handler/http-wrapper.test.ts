import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { hmacHex } from '#shared/auth/hmac.ts';
import { zhTypeNames } from '#shared/http/messages.ts';
import { keys } from '#shared/store/keys.ts';

process.env.TABLE_NAME = 'Kefu';
process.env.QUEUE_URL_SHOP_EVENTS = 'https://sqs.local/shop-events';
const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const SESSION_KEY = Buffer.alloc(32, 7).toString('base64');
const shop = { shopId: 'demo', name: 'Demo', identitySecret: 'idsec', webhookSecret: 'whsec', locales: ['en'], businessHours: { timeZone: 'UTC', days: {} } };

const context = { functionName: 't', awsRequestId: 'r', getRemainingTimeInMillis: () => 1000 } as unknown as Context;
function event(
  routeKey: string,
  init: { body?: string; headers?: Record<string, string>; claims?: Record<string, unknown>; path?: Record<string, string> } = {},
) {
  const [method, path] = routeKey.split(' ');
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...init.headers },
    pathParameters: init.path,
    body: init.body,
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-1',
      routeKey,
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      ...(init.claims ? { authorizer: { jwt: { claims: init.claims, scopes: [] } } } : {}),
    },
  } as unknown as APIGatewayProxyEventV2;
}

beforeEach(() => {
  ddb.reset();
  sqs.reset();
  ddb.on(GetCommand, { Key: keys.settings() }).resolves({ Item: { sessionKey: SESSION_KEY } });
  ddb.on(GetCommand, { Key: keys.shop('demo') }).resolves({ Item: shop });
});

describe('withHttp: bad input gets a clear 4xx and writes nothing', async () => {
  const { handler: session } = await import('#functions/http/widget-session.ts');
  const { handler: me } = await import('#functions/http/staff-me.ts');
  const { handler: ingest } = await import('#functions/http/shop-events-ingest.ts');
  const { handler: send } = await import('#functions/http/widget-messages-send.ts');

  it('malformed JSON → 400 naming the parse problem', async () => {
    const res = await session(event('POST /widget/session', { body: '{"shopId":' }), context);
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body!).message).toMatch(/malformed JSON/);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });
  it('unknown fields and wrong types → 400 with field-level messages', async () => {
    const res = await session(event('POST /widget/session', { body: JSON.stringify({ shopId: 5, admin: true }) }), context);
    expect(res.statusCode).toBe(400);
    const fields = JSON.parse(res.body!).details.fields.map((f: { path: string }) => f.path);
    expect(fields).toEqual(expect.arrayContaining(['shopId', '(root)']));
    expect(JSON.parse(res.body!).message).toMatch(/Unrecognized key: "admin"/);
  });
  it('a Chinese reader (Accept-Language zh-CN) gets the field messages in Chinese, the English kept beside them', async () => {
    const res = await session(
      event('POST /widget/session', { body: JSON.stringify({ shopId: 5, admin: true }), headers: { 'accept-language': 'zh-CN,zh;q=0.9' } }),
      context,
    );
    expect(res.statusCode).toBe(400);
    const body = JSON.parse(res.body!);
    const admin = body.details.fields.find((f: { path: string }) => f.path === '(root)');
    expect(admin.message).toBe('出现未知的键(key): "admin"');
    expect(admin.en).toBe('Unrecognized key: "admin"');
    expect(body.message).toMatch(/^请求内容有误：/);
    expect(body.message).not.toMatch(/[A-Z][a-z]+ key/);
  });
  it('custom messages reach a Chinese reader in Chinese, and zod type names are Chinese too (a calendar never open is refused)', async () => {
    const { handler: calendar } = await import('#functions/http/ticket-config-calendar.ts');
    const res = await calendar(
      event('PUT /ticket-config/calendars/{calendarId}', {
        body: JSON.stringify({ timeZone: 'Asia/Shanghai', days: {}, holidays: [] }),
        headers: { 'accept-language': 'zh-CN' },
        path: { calendarId: 'shop' },
        claims: { sub: 'lead-1', 'cognito:groups': ['supervisor'], name: 'Lead' },
      }),
      context,
    );
    expect(res.statusCode).toBe(400);
    const body = JSON.parse(res.body!);
    expect(body.details.fields[0].message).toBe('日历至少需要一个营业日（全天候服务请使用 24x7 日历；个别日期可设为节假日）');
    expect(body.details.fields[0].en).toMatch(/^a calendar needs at least one open day/);
    expect(zhTypeNames('数值过小：期望 string >=1 字符')).toBe('数值过小：期望 文本 >=1 字符');
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });
  it('oversized body → 413', async () => {
    const res = await session(event('POST /widget/session', { body: JSON.stringify({ shopId: 'x'.repeat(300_000) }) }), context);
    expect(res.statusCode).toBe(413);
  });
  it('non-JSON content type → 415', async () => {
    const res = await session(
      event('POST /widget/session', { body: 'shopId=demo', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      context,
    );
    expect(res.statusCode).toBe(415);
  });
  it('staff route without authorizer claims → 401; wrong role → 403', async () => {
    expect((await me(event('GET /staff/me'), context)).statusCode).toBe(401);
    const send403 = await import('#functions/http/conversations-list.ts');
    const res = await send403.handler(event('GET /conversations', { claims: { sub: 's', 'cognito:groups': '[marketing]' } }), context);
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(res.body!).message).toMatch(/agent, supervisor, admin/);
  });
  it('visitor route with a missing or tampered token → 401', async () => {
    const path = { conversationId: 'cnv_0000000000000000000000000a' };
    const body = JSON.stringify({ text: 'hi' });
    expect((await send(event('POST /widget/conversations/{conversationId}/messages', { body, path }), context)).statusCode).toBe(401);
    const res = await send(
      event('POST /widget/conversations/{conversationId}/messages', { body, path, headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.AAAA' } }),
      context,
    );
    expect(res.statusCode).toBe(401);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
  it('an expired visitor token → 401, a fresh one is accepted', async () => {
    const { signVisitorToken } = await import('#shared/auth/visitor-token.ts');
    const { handler: widgetMe } = await import('#functions/http/widget-me.ts');
    const visitor = { contactId: 'con_1', shopId: 'demo', sessionId: 'ses_1', verified: false };
    ddb.on(GetCommand, { Key: keys.contact('con_1') }).resolves({ Item: { contactId: 'con_1', verified: false } });
    const expired = await signVisitorToken(visitor, new Date(Date.now() - 3600_000), 60);
    const res = await widgetMe(event('GET /widget/me', { headers: { authorization: `Bearer ${expired}` } }), context);
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body!).message).toMatch(/expired/);
    const fresh = await signVisitorToken(visitor);
    expect((await widgetMe(event('GET /widget/me', { headers: { authorization: `Bearer ${fresh}` } }), context)).statusCode).toBe(200);
  });
  it('shop events: a valid signature is queued; a tampered one is refused and nothing is queued', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });
    const body = JSON.stringify({
      eventId: 'e1',
      type: 'order.paid',
      occurredAt: '2026-11-26T00:00:00Z',
      data: { orderId: 'o1', customerId: 'c1', amount: 10 },
    });
    const ts = String(Math.floor(Date.now() / 1000));
    const headers = { 'x-kefu-shop': 'demo', 'x-kefu-timestamp': ts, 'x-kefu-signature': hmacHex('whsec', `${ts}.${body}`) };
    const bad = await ingest(event('POST /shop/events', { body: body.replace('10', '99'), headers }), context);
    expect(bad.statusCode).toBe(401);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
    const good = await ingest(event('POST /shop/events', { body, headers }), context);
    expect(good.statusCode).toBe(202);
    expect(JSON.parse(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.MessageBody!)).toMatchObject({ shopId: 'demo', event: { eventId: 'e1' } });
  });
  it('a valid session request creates an anonymous contact and returns a token', async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});
    const res = await session(event('POST /widget/session', { body: JSON.stringify({ shopId: 'demo', locale: 'en' }) }), context);
    expect(res.statusCode).toBe(200);
    const out = JSON.parse(res.body!);
    expect(out.verified).toBe(false);
    expect(out.token.split('.')).toHaveLength(3);
    expect(res.headers?.['x-request-id']).toBe('req-1');
  });
  it('unknown shop → 404', async () => {
    ddb.on(GetCommand, { Key: keys.shop('nope') }).resolves({});
    const res = await session(event('POST /widget/session', { body: JSON.stringify({ shopId: 'nope' }) }), context);
    expect(res.statusCode).toBe(404);
  });
});
