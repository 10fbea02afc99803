import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiGatewayManagementApiClient, GetConnectionCommand, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand, QueryCommand, TransactGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { issueToken } from '#infra/local/issuer.ts';
import { PortInUseError } from '#infra/local/listen.ts';
import { nextCronTime, parseSchedule, scheduleAt } from '#infra/local/scheduler.ts';
import { SEED_MARKER } from '#infra/local/seed.ts';
import { type LocalStack, startLocalStack } from '#infra/local/stack.ts';
import { type FunctionDef, type RouteAuth, STAFF_ROLES } from '#infra/manifest.ts';
import { until } from '../support/until.ts';
import { type Invocation, recorder } from './fixtures/recording-handler.ts';

const ENTRY = 'test/integration/fixtures/recording-handler.ts';
const PUBLIC: RouteAuth = { kind: 'public' };
const STAFF: RouteAuth = { kind: 'staff', roles: STAFF_ROLES };
const route = (method: 'GET' | 'POST', path: string, auth: RouteAuth = PUBLIC) => ({ method, path, auth, summary: `${method} ${path}` });

const FIXTURES: FunctionDef[] = [
  {
    name: 'fx-http',
    entry: ENTRY,
    description: 'HTTP fixture',
    http: [
      route('GET', '/items/{id}'),
      route('GET', '/items/special'),
      route('POST', '/items/{id}'),
      route('GET', '/files/{proxy+}'),
      route('GET', '/bare'),
      route('GET', '/binary'),
      route('GET', '/boom'),
    ],
    access: {},
  },
  { name: 'fx-staff', entry: ENTRY, description: 'staff route', http: [route('GET', '/staff-only', STAFF)], access: {} },
  { name: 'fx-missing', entry: 'test/integration/fixtures/not-written-yet.ts', description: 'absent module', http: [route('GET', '/missing')], access: {} },
  { name: 'fx-consumer', entry: ENTRY, description: 'queue consumer', queue: { name: 'shop-events', batchSize: 10 }, timeoutSeconds: 5, access: {} },
  { name: 'fx-ws-connect', entry: ENTRY, description: '$connect', ws: ['$connect'], access: {} },
  { name: 'fx-ws-echo', entry: ENTRY, description: 'echo action', ws: ['echo'], access: {} },
  { name: 'fx-ws-default', entry: ENTRY, description: '$default', ws: ['$default'], access: {} },
  { name: 'fx-ws-disconnect', entry: ENTRY, description: '$disconnect', ws: ['$disconnect'], access: {} },
  { name: 'fx-cron', entry: ENTRY, description: 'schedule', schedule: 'cron(0/15 8-18 ? * MON-FRI *)', access: {} },
];

const calls = (fn: string): Invocation[] => recorder().invocations.filter((i) => i.functionName === `kefu-local-${fn}`);
type Json = Record<string, any>;

function staffClaims() {
  return { sub: 'sub-1', email: 'lead@demo.kefu', name: 'Chen Wei', groups: ['agent', 'supervisor'] };
}

describe('local runtime with the manifest functions', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ memory: true, quiet: true });
  });
  afterAll(() => stack?.stop());

  it('serves GET /health through the gateway', async () => {
    const res = await fetch(`${stack.urls.api}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('apigw-requestid')).toBeTruthy();
  });

  it('signs seeded staff in and refuses a wrong password with the same answer as an unknown email', async () => {
    const login = (email: string, password: string) => fetch(`${stack.urls.api}/auth/login`, { method: 'POST', body: JSON.stringify({ email, password }) });
    const ok = await login('lead@demo.kefu', 'kefu-demo');
    expect(ok.status).toBe(200);
    const { idToken } = (await ok.json()) as { idToken: string };
    const payload = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString()) as Json;
    expect(payload).toMatchObject({ email: 'lead@demo.kefu', token_use: 'id', aud: 'kefu-console', 'cognito:groups': ['agent', 'supervisor'] });
    const wrong = await login('lead@demo.kefu', 'nope');
    const unknown = await login('nobody@demo.kefu', 'kefu-demo');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(await wrong.json()).toEqual(await unknown.json());
    expect((await fetch(`${stack.urls.api}/auth/login`, { method: 'POST', body: 'x' })).status).toBe(400);
    const jwks = (await (await fetch(`${stack.issuer.url}/.well-known/jwks.json`)).json()) as { keys: Json[] };
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(jwks.keys[0]?.d).toBeUndefined();
  });

  it('serves /openapi.json from shared/http/openapi.ts (404 while it does not exist)', async () => {
    const res = await fetch(`${stack.urls.api}/openapi.json`);
    if (!existsSync('shared/http/openapi.ts')) return expect(res.status).toBe(404);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Json;
    expect(doc.servers).toEqual([{ url: stack.urls.api, description: 'local runtime' }]);
    expect(Object.keys(doc.paths)).toContain('/health');
  });

  it('serves config.json, the docs page and a redirect to the demo', async () => {
    const config = (await (await fetch(`${stack.urls.api}/config.json`)).json()) as Json;
    expect(config).toEqual({
      apiUrl: stack.urls.api,
      wsUrl: stack.urls.ws,
      auth: { kind: 'local', loginUrl: `${stack.urls.api}/auth/login` },
      demoIdentityUrl: `${stack.urls.api}/demo-shop/identity`,
    });
    const identity = await (await fetch(`${stack.urls.api}/demo-shop/identity`)).json();
    expect(identity).toMatchObject({ id: 'demo-shopper-1', hmac: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const docs = await fetch(stack.urls.docs);
    expect(docs.headers.get('content-type')).toContain('text/html');
    const html = await docs.text();
    expect(html).toContain('/health');
    expect(html).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)/);
    const root = await fetch(`${stack.urls.api}/`, { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/demo/']);
  });
});

describe('local runtime with fixture functions', () => {
  let stack: LocalStack;
  let api: string;
  let webRoot: string;
  beforeAll(async () => {
    webRoot = mkdtempSync(join(tmpdir(), 'kefu-web-'));
    mkdirSync(join(webRoot, 'console'));
    writeFileSync(join(webRoot, 'console', 'index.html'), '<h1>console</h1>');
    writeFileSync(join(webRoot, 'console', 'app.js'), 'export {};');
    writeFileSync(join(webRoot, 'secret.txt'), 'outside the apps');
    stack = await startLocalStack({ memory: true, seed: false, quiet: true, functions: FIXTURES, failedRetryDelaySeconds: 0, webRoot });
    api = stack.urls.api;
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('serves the built web apps with an SPA fallback and nothing outside them', async () => {
    const js = await fetch(`${api}/console/app.js`);
    expect([js.status, js.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(await (await fetch(`${api}/console/inbox/42`)).text()).toBe('<h1>console</h1>');
    expect((await fetch(`${api}/console`, { redirect: 'manual' })).status).toBe(301);
    expect((await fetch(`${api}/console/..%2fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${api}/secret.txt`)).status).toBe(404);
  });

  it('invokes scheduled functions with an EventBridge Scheduled Event', async () => {
    await stack.scheduler.runNow('fx-cron');
    expect(calls('fx-cron').at(-1)?.event).toMatchObject({
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '123456789012',
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:123456789012:rule/kefu-local-fx-cron'],
      detail: {},
    });
  });

  describe('HTTP API', () => {
    it('builds a payload 2.0 event with path parameters, repeated query parameters and cookies', async () => {
      const res = await fetch(`${api}/items/a%20b?x=1&x=2&y=3`, { headers: { cookie: 'c1=v1; c2=v2', 'X-Custom': 'Yes' } });
      expect(res.status).toBe(201);
      expect(res.headers.get('x-fixture')).toBe('yes');
      expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
      const event = calls('fx-http').at(-1)?.event as Json;
      expect(event).toMatchObject({
        version: '2.0',
        routeKey: 'GET /items/{id}',
        rawPath: '/items/a%20b',
        rawQueryString: 'x=1&x=2&y=3',
        queryStringParameters: { x: '1,2', y: '3' },
        pathParameters: { id: 'a b' },
        cookies: ['c1=v1', 'c2=v2'],
        isBase64Encoded: false,
        requestContext: { routeKey: 'GET /items/{id}', stage: '$default', http: { method: 'GET', path: '/items/a%20b', sourceIp: '127.0.0.1' } },
      });
      expect(event.headers['x-custom']).toBe('Yes');
      expect(event.headers.cookie).toBeUndefined();
      expect(event.body).toBeUndefined();
      expect(typeof event.requestContext.timeEpoch).toBe('number');
    });

    it('prefers a literal segment over a parameter and supports greedy paths', async () => {
      await fetch(`${api}/items/special`);
      expect(calls('fx-http').at(-1)?.event.routeKey).toBe('GET /items/special');
      await fetch(`${api}/files/a/b/c.txt`);
      expect(calls('fx-http').at(-1)?.event).toMatchObject({ routeKey: 'GET /files/{proxy+}', pathParameters: { proxy: 'a/b/c.txt' } });
      expect((await fetch(`${api}/files`)).status).toBe(404);
      expect((await fetch(`${api}/nothing-here`)).status).toBe(404);
    });

    it('passes text bodies as they are and base64-encodes binary ones', async () => {
      await fetch(`${api}/items/1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
      expect(calls('fx-http').at(-1)?.event).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
      const bytes = Buffer.from([0, 1, 2, 250, 251, 252]);
      await fetch(`${api}/items/1`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
      expect(calls('fx-http').at(-1)?.event).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
      const png = await fetch(`${api}/binary`);
      expect(png.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await png.arrayBuffer())).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]));
    });

    it('maps bare values, handler errors and unloadable modules like API Gateway', async () => {
      const bare = await fetch(`${api}/bare`);
      expect([bare.status, bare.headers.get('content-type'), await bare.json()]).toEqual([200, 'application/json', { hello: 'world' }]);
      const boom = await fetch(`${api}/boom`);
      expect([boom.status, await boom.json()]).toEqual([500, { message: 'Internal Server Error' }]);
      expect((await fetch(`${api}/missing`)).status).toBe(502);
    });

    it('refuses bodies over 10 MB with 413 without invoking the handler', async () => {
      const before = calls('fx-http').length;
      const res = await fetch(`${api}/items/1`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(10 * 1024 * 1024 + 1) });
      expect(res.status).toBe(413);
      expect(calls('fx-http').length).toBe(before);
    });

    it('answers CORS preflights from the manifest and adds CORS headers to responses', async () => {
      const pre = await fetch(`${api}/items/1`, {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe('*');
      expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
      expect(pre.headers.get('access-control-allow-headers')).toContain('authorization');
      expect(pre.headers.get('access-control-max-age')).toBe('600');
      const res = await fetch(`${api}/items/1`, { headers: { origin: 'https://shop.example' } });
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-expose-headers')).toContain('x-request-id');
    });
  });

  describe('JWT authorizer on staff routes', () => {
    const get = (token?: string) => fetch(`${api}/staff-only`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

    it('refuses missing, expired, tampered and foreign tokens with 401 without invoking the handler', async () => {
      const expired = await stack.issuer.token(staffClaims(), { issuedAt: Math.floor(Date.now() / 1000) - 7200 });
      const valid = await stack.issuer.token(staffClaims());
      const [header, payload, signature] = valid.split('.');
      const forged = { ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), 'cognito:groups': ['admin'] };
      const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
      const otherAudience = await issueToken(stack.issuer.key, staffClaims(), { issuer: stack.issuer.url, audience: 'someone-else' });
      const otherIssuer = await issueToken(stack.issuer.key, staffClaims(), { issuer: 'https://evil.example', audience: 'kefu-console' });
      for (const token of [undefined, expired, tampered, otherAudience, otherIssuer, 'not-a-jwt']) {
        const res = await get(token);
        expect(res.status).toBe(401);
        expect(await res.json()).toEqual({ message: 'Unauthorized' });
      }
      expect(calls('fx-staff')).toHaveLength(0);
    });

    it('delivers the claims as the HTTP API authorizer does (arrays as "[a b]", all strings)', async () => {
      const res = await get(await stack.issuer.token(staffClaims()));
      expect(res.status).toBe(201);
      const authorizer = (calls('fx-staff').at(-1)?.event.requestContext as Json).authorizer as Json;
      expect(authorizer.jwt.scopes).toBeNull();
      expect(authorizer.jwt.claims).toMatchObject({
        sub: 'sub-1',
        email: 'lead@demo.kefu',
        'cognito:groups': '[agent supervisor]',
        token_use: 'id',
        aud: 'kefu-console',
        iss: stack.issuer.url,
      });
      expect(typeof authorizer.jwt.claims.exp).toBe('string');
    });
  });

  describe('SQS event-source mapping', () => {
    const queueUrl = () => stack.sqs.queueUrls['shop-events'];
    const deliveries = (body: string) => calls('fx-consumer').flatMap((c) => (c.event.Records as Json[]).filter((r) => r.body === body));

    it('delivers a message as an SQSEvent record and deletes it after success', async () => {
      await stack.sqs.client.send(
        new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: 'hello', MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } } }),
      );
      const [record] = await until(() => deliveries('hello').length > 0 && deliveries('hello'));
      expect(record).toMatchObject({
        body: 'hello',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:shop-events',
        awsRegion: 'us-east-1',
        md5OfBody: '5d41402abc4b2a76b9719d911017c592',
        attributes: { ApproximateReceiveCount: '1' },
        messageAttributes: { kind: { stringValue: 'order', dataType: 'String' } },
      });
      expect(record?.messageId).toBeTruthy();
      expect(record?.receiptHandle).toBeTruthy();
      expect(Number(record?.attributes.SentTimestamp)).toBeGreaterThan(0);
      expect(Number(record?.attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThan(0);
      await stack.quiesce();
      expect(deliveries('hello')).toHaveLength(1);
    });

    it('redelivers only the messages named in batchItemFailures', async () => {
      await stack.sqs.client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl(),
          Entries: ['ok-a', 'fail-once-b', 'ok-c'].map((body, i) => ({ Id: String(i), MessageBody: body })),
        }),
      );
      const twice = await until(() => deliveries('fail-once-b').length === 2 && deliveries('fail-once-b'));
      expect(twice.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
      await stack.quiesce();
      expect([deliveries('ok-a').length, deliveries('ok-c').length, deliveries('fail-once-b').length]).toEqual([1, 1, 2]);
    });

    it('moves a poison message to the DLQ after maxReceiveCount deliveries (failures and throws)', async () => {
      for (const body of ['poison', 'throw']) {
        await stack.sqs.client.send(new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: body }));
        const dead = await until(async () => {
          const { Messages = [] } = await stack.sqs.client.send(
            new ReceiveMessageCommand({ QueueUrl: stack.sqs.dlqUrl('shop-events'), WaitTimeSeconds: 0, MaxNumberOfMessages: 10 }),
          );
          return Messages.find((m) => m.Body === body);
        }, 8000);
        expect(dead.Body).toBe(body);
        expect(deliveries(body).map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2', '3', '4', '5']);
      }
    });

    it('quiesce() waits for queued and retried work, and for delayed messages only up to `until`', async () => {
      await stack.sqs.client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl(),
          Entries: [
            { Id: 'a', MessageBody: 'q-now' },
            { Id: 'b', MessageBody: 'fail-once-q' },
            { Id: 'c', MessageBody: 'q-soon', DelaySeconds: 1 },
            { Id: 'd', MessageBody: 'q-later', DelaySeconds: 30 },
          ],
        }),
      );
      await stack.quiesce();
      expect([deliveries('q-now').length, deliveries('fail-once-q').length]).toEqual([1, 2]);
      const soon = stack.sqs.activity()['shop-events'].delayedUntil;
      expect(soon).toHaveLength(2);
      await stack.quiesce({ until: Date.now() + 2_000 });
      expect(deliveries('q-soon')).toHaveLength(1);
      expect(deliveries('q-later')).toHaveLength(0);
      expect(stack.sqs.activity()['shop-events']).toMatchObject({ visible: 0, inFlight: 0, delayedUntil: [expect.any(Number)] });
      await expect(stack.quiesce({ until: Date.now() + 60_000, timeoutMs: 200 })).rejects.toThrow(/shop-events: 1 delayed message/);
    });
  });

  describe('DynamoDB transactions (emulated on dynalite)', () => {
    const T = 'Kefu';
    const key = (id: string) => ({ pk: `TX#${id}`, sk: 'X' });
    const get = async (id: string) => (await stack.db.send(new GetCommand({ TableName: T, Key: key(id), ConsistentRead: true }))).Item;

    it('applies every write or none, reporting CancellationReasons per item', async () => {
      await stack.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: T, Item: { ...key('a'), version: 1 }, ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: T, Item: { ...key('b'), n: 1 } } },
          ],
        }),
      );
      expect(await get('a')).toMatchObject({ version: 1 });
      const failing = stack.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: { TableName: T, Key: key('b'), UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': 1 } } },
            { Put: { TableName: T, Item: { ...key('c'), n: 1 } } },
            {
              Put: {
                TableName: T,
                Item: { ...key('a'), version: 2 },
                ConditionExpression: 'version = :v',
                ExpressionAttributeValues: { ':v': 7 },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            { ConditionCheck: { TableName: T, Key: key('missing'), ConditionExpression: 'attribute_exists(pk)' } },
          ],
        }),
      );
      const error = (await failing.catch((e: unknown) => e)) as TransactionCanceledException;
      expect(error).toBeInstanceOf(TransactionCanceledException);
      expect(error.CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'None', 'ConditionalCheckFailed', 'ConditionalCheckFailed']);
      expect(error.CancellationReasons?.[2]?.Item).toMatchObject({ version: { N: '1' } });
      expect([await get('b'), await get('c'), await get('a')]).toEqual([{ ...key('b'), n: 1 }, undefined, { ...key('a'), version: 1 }]);
    });

    it('is isolated: a reader never sees a write that its failing transaction rolls back', async () => {
      // 40 transactions each write item `ghost` and then fail on a condition; readers poll it throughout
      const failing = Array.from({ length: 40 }, () =>
        stack.db
          .send(
            new TransactWriteCommand({
              TransactItems: [
                { Put: { TableName: T, Item: { ...key('ghost'), seen: true } } },
                { ConditionCheck: { TableName: T, Key: key('never'), ConditionExpression: 'attribute_exists(pk)' } },
              ],
            }),
          )
          .catch((e: unknown) => e),
      );
      let settled = false;
      const all = Promise.all(failing).finally(() => (settled = true));
      const sightings: unknown[] = [];
      let reads = 0;
      while (!settled) {
        const seen = await Promise.all([get('ghost'), get('ghost'), get('ghost')]);
        reads += seen.length;
        sightings.push(...seen.filter(Boolean));
      }
      const errors = await all;
      expect(errors.every((e) => e instanceof TransactionCanceledException)).toBe(true);
      expect(reads).toBeGreaterThan(0);
      expect(sightings).toEqual([]);
      expect(await get('ghost')).toBeUndefined();
    });

    it('supports Delete, ConditionCheck and TransactGetItems, and refuses two operations on one item', async () => {
      await stack.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { ConditionCheck: { TableName: T, Key: key('a'), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': 1 } } },
            { Delete: { TableName: T, Key: key('b') } },
          ],
        }),
      );
      const { Responses } = await stack.db.send(
        new TransactGetCommand({ TransactItems: [{ Get: { TableName: T, Key: key('a') } }, { Get: { TableName: T, Key: key('b') } }] }),
      );
      expect(Responses).toEqual([{ Item: { ...key('a'), version: 1 } }, {}]);
      const twice = stack.db.send(
        new TransactWriteCommand({ TransactItems: [{ Put: { TableName: T, Item: key('z') } }, { Delete: { TableName: T, Key: key('z') } }] }),
      );
      await expect(twice).rejects.toMatchObject({ name: 'ValidationException' });
    });
  });

  describe('WebSocket API', () => {
    function open(query = '') {
      const frames: string[] = [];
      const ws = new WebSocket(`${stack.urls.ws}${query}`, { headers: { 'user-agent': 'fixture-client' } });
      ws.on('message', (data) => frames.push(String(data)));
      const opened = new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
        ws.once('error', reject);
      });
      return { ws, frames, opened };
    }
    const management = (path = '') =>
      new ApiGatewayManagementApiClient({
        endpoint: `${stack.urls.api}${path}`,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });

    it('sends $connect, routes messages on body.action and sends $disconnect', async () => {
      const { ws, opened } = open('?token=abc');
      await opened;
      const connect = calls('fx-ws-connect').at(-1)?.event as Json;
      expect(connect).toMatchObject({
        queryStringParameters: { token: 'abc' },
        requestContext: { routeKey: '$connect', eventType: 'CONNECT', stage: 'local', identity: { sourceIp: '127.0.0.1', userAgent: 'fixture-client' } },
      });
      const connectionId = connect.requestContext.connectionId as string;
      expect(connectionId).toMatch(/^[A-Za-z0-9]{11}=$/);
      expect(connect.headers['User-Agent'] ?? connect.headers['user-agent']).toBe('fixture-client');

      ws.send(JSON.stringify({ action: 'echo', n: 1 }));
      ws.send(JSON.stringify({ action: 'unknown-action' }));
      ws.send('not json');
      await until(() => calls('fx-ws-echo').length === 1 && calls('fx-ws-default').length === 2);
      expect(calls('fx-ws-echo')[0]?.event).toMatchObject({
        body: '{"action":"echo","n":1}',
        isBase64Encoded: false,
        requestContext: { routeKey: 'echo', eventType: 'MESSAGE', connectionId },
      });
      expect(calls('fx-ws-default').map((c) => (c.event.requestContext as Json).routeKey)).toEqual(['$default', '$default']);

      ws.close(1000, 'bye');
      const disconnect = await until(() => calls('fx-ws-disconnect').at(-1)?.event as Json | undefined);
      expect(disconnect.requestContext).toMatchObject({ routeKey: '$disconnect', eventType: 'DISCONNECT', connectionId, disconnectStatusCode: 1000 });
    });

    it('rejects the upgrade with the status $connect returns', async () => {
      await expect(open('?reject=403').opened).rejects.toThrow('refused 403');
    });

    it('pushes to a real client through the SDK management client; a closed connection is Gone', async () => {
      const { ws, frames, opened } = open();
      await opened;
      const connectionId = (calls('fx-ws-connect').at(-1)?.event.requestContext as Json).connectionId as string;
      await management().send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: '{"type":"pong"}' }));
      await management('/local').send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'with stage' }));
      await until(() => frames.length === 2);
      expect(frames).toEqual(['{"type":"pong"}', 'with stage']);
      const info = await management().send(new GetConnectionCommand({ ConnectionId: connectionId }));
      expect(info.ConnectedAt).toBeInstanceOf(Date);
      expect(info.Identity?.SourceIp).toBe('127.0.0.1');
      ws.close();
      await until(() => calls('fx-ws-disconnect').some((c) => (c.event.requestContext as Json).connectionId === connectionId));
      const gone = management().send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'late' }));
      await expect(gone).rejects.toBeInstanceOf(GoneException);
    });
  });
});

describe('local runtime data dir', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-local-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const item = { pk: 'TEST#persist', sk: 'ITEM', value: 42 };
  const base = { quiet: true, functions: [], preload: false } as const;

  it('keeps items across restarts with a data dir and seeds only once', async () => {
    let stack = await startLocalStack({ ...base, dataDir: dir });
    await stack.db.send(new PutCommand({ TableName: 'Kefu', Item: item }));
    const staff = async (s: LocalStack) =>
      (
        await s.db.send(
          new QueryCommand({ TableName: 'Kefu', IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': 'STAFF' } }),
        )
      ).Items ?? [];
    expect(await staff(stack)).toHaveLength(4);
    const marker = (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: SEED_MARKER }))).Item;
    const kid = stack.issuer.key.kid;
    await stack.stop();

    stack = await startLocalStack({ ...base, dataDir: dir });
    try {
      expect((await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: { pk: item.pk, sk: item.sk } }))).Item).toEqual(item);
      expect(await staff(stack)).toHaveLength(4);
      expect((await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: SEED_MARKER }))).Item).toEqual(marker);
      expect(stack.issuer.key.kid).toBe(kid);
    } finally {
      await stack.stop();
    }
  });

  it('forgets everything in memory mode', async () => {
    let stack = await startLocalStack({ ...base, memory: true, seed: false });
    await stack.db.send(new PutCommand({ TableName: 'Kefu', Item: item }));
    await stack.stop();
    stack = await startLocalStack({ ...base, memory: true, seed: false });
    try {
      expect((await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: { pk: item.pk, sk: item.sk } }))).Item).toBeUndefined();
    } finally {
      await stack.stop();
    }
  });
});

describe('schedules', () => {
  const next = (expression: string, after: string) => {
    const schedule = parseSchedule(expression);
    if (schedule.kind !== 'cron') throw new Error('not cron');
    return nextCronTime(schedule.cron, new Date(after))?.toISOString();
  };

  it('parses rate expressions', () => {
    expect(parseSchedule('rate(1 day)')).toEqual({ kind: 'rate', everyMs: 86_400_000 });
    expect(parseSchedule('rate(5 minutes)')).toEqual({ kind: 'rate', everyMs: 300_000 });
    expect(parseSchedule('rate(2 hours)')).toEqual({ kind: 'rate', everyMs: 7_200_000 });
    expect(() => parseSchedule('rate(0 days)')).toThrow();
  });

  it('computes the next EventBridge cron time in UTC', () => {
    expect(next('cron(0 3 * * ? *)', '2026-03-01T03:00:00Z')).toBe('2026-03-02T03:00:00.000Z');
    expect(next('cron(0/15 8-18 ? * MON-FRI *)', '2026-03-06T18:50:00Z')).toBe('2026-03-09T08:00:00.000Z');
    expect(next('cron(30 9 1,15 * ? *)', '2026-03-02T00:00:00Z')).toBe('2026-03-15T09:30:00.000Z');
    expect(next('cron(0 0 ? * 1 *)', '2026-03-02T00:00:00Z')).toBe('2026-03-08T00:00:00.000Z');
    expect(next('cron(0 12 * JAN ? 2027)', '2026-03-02T00:00:00Z')).toBe('2027-01-01T12:00:00.000Z');
    expect(() => parseSchedule('cron(0 12 L * ? *)')).toThrow(/not supported/);
    expect(() => parseSchedule('cron(0 12 * *)')).toThrow(/6 fields/);
  });

  it('runs a one-off scheduleAt task at its time and not after cancel', async () => {
    const fired: string[] = [];
    scheduleAt(new Date(Date.now() + 30), () => fired.push('due'));
    scheduleAt(new Date(Date.now() - 1000), () => fired.push('past'));
    scheduleAt(new Date(Date.now() + 30), () => fired.push('cancelled')).cancel();
    scheduleAt(new Date(Date.now() + 60), () => fired.push('marker'));
    await until(() => fired.includes('marker'));
    expect(fired.sort()).toEqual(['due', 'marker', 'past']);
  });
});

describe('port already in use', () => {
  let blocker: Server;
  let port: number;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    port = (blocker.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => blocker.close(() => r())));

  it('fails with a clear error from the API and from npm start', async () => {
    await expect(startLocalStack({ port, memory: true, quiet: true })).rejects.toThrow(PortInUseError);
    await expect(startLocalStack({ port, memory: true, quiet: true })).rejects.toThrow(`port ${port} is in use: stop the other process or pass --port N`);
    const child = spawn(process.execPath, ['infra/local/start.ts', '--port', String(port), '--memory'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`port ${port} is in use: stop the other process or pass --port N`);
  });
});
