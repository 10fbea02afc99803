import { createHash, randomUUID } from 'node:crypto';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyWebsocketEventV2,
  EventBridgeEvent,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import { type FunctionDef, type HttpMethod, type QueueName, routeKey } from '#infra/manifest.ts';

/** Account and region that sample events claim to come from. */
export const SAMPLE_ACCOUNT = '123456789012';
export const SAMPLE_REGION = 'us-east-1';

export interface HttpEventOptions {
  method: HttpMethod;
  /** The manifest path with `{param}` placeholders, e.g. `/conversations/{conversationId}`. */
  path: string;
  /** Values of the path placeholders; a missing one becomes `sample-{name}`. */
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON with content-type application/json. */
  body?: unknown;
  /** Claims as the HTTP API JWT authorizer passes them (all values strings). */
  claims?: Record<string, string>;
  sourceIp?: string;
}

/** An API Gateway HTTP API (payload 2.0) event, as the Lambda integration receives it. */
export function httpEvent(opts: HttpEventOptions & { claims: Record<string, string> }): APIGatewayProxyEventV2WithJWTAuthorizer;
export function httpEvent(opts: HttpEventOptions): APIGatewayProxyEventV2;
export function httpEvent(opts: HttpEventOptions): APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithJWTAuthorizer {
  const pathParameters: Record<string, string> = {};
  const rawPath = opts.path.replace(/\{(\w+)\+?\}/g, (_, name: string) => {
    const value = opts.params?.[name] ?? `sample-${name}`;
    pathParameters[name] = value;
    return encodeURIComponent(value);
  });
  const headers: Record<string, string> = { host: 'api.example.test', 'user-agent': 'kefu-test' };
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    if (typeof opts.body !== 'string') headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  for (const [name, value] of Object.entries(opts.headers ?? {})) headers[name.toLowerCase()] = value;
  const now = new Date();
  const rawQueryString = new URLSearchParams(opts.query ?? {}).toString();
  const key = routeKey(opts);
  const requestContext = {
    accountId: SAMPLE_ACCOUNT,
    apiId: 'sampleapi',
    domainName: 'api.example.test',
    domainPrefix: 'api',
    http: {
      method: opts.method,
      path: rawPath,
      protocol: 'HTTP/1.1',
      sourceIp: opts.sourceIp ?? '192.0.2.10',
      userAgent: headers['user-agent'] ?? '',
    },
    requestId: randomUUID(),
    routeKey: key,
    stage: '$default',
    time: apiGatewayTime(now),
    timeEpoch: now.getTime(),
  };
  const event = {
    version: '2.0',
    routeKey: key,
    rawPath,
    rawQueryString,
    headers,
    ...(opts.query ? { queryStringParameters: { ...opts.query } } : {}),
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
  };
  if (opts.claims) {
    return {
      ...event,
      requestContext: { ...requestContext, authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: opts.claims, scopes: [] } } },
    };
  }
  return { ...event, requestContext };
}

export interface WsEventOptions {
  /** `$connect`, `$disconnect`, `$default` or a custom action. */
  routeKey: string;
  connectionId?: string;
  /** $connect only: the query string (browsers pass the token here). */
  query?: Record<string, string>;
  /** $connect only. */
  headers?: Record<string, string>;
  /** Message routes: a string is sent as is, anything else as JSON. */
  body?: unknown;
}

/** An API Gateway WebSocket event for a route: CONNECT, DISCONNECT or MESSAGE as the route key implies. */
export function wsEvent(opts: WsEventOptions): APIGatewayProxyWebsocketEventV2 & Record<string, unknown> {
  const now = new Date();
  const eventType = opts.routeKey === '$connect' ? 'CONNECT' : opts.routeKey === '$disconnect' ? 'DISCONNECT' : 'MESSAGE';
  const requestContext = {
    routeKey: opts.routeKey,
    eventType,
    messageDirection: 'IN',
    extendedRequestId: randomUUID(),
    requestTime: apiGatewayTime(now),
    requestTimeEpoch: now.getTime(),
    connectedAt: now.getTime(),
    stage: 'live',
    requestId: randomUUID(),
    domainName: 'ws.example.test',
    connectionId: opts.connectionId ?? `conn-${randomUUID().slice(0, 8)}=`,
    apiId: 'samplews',
    identity: { sourceIp: '192.0.2.10', userAgent: 'kefu-test' },
    ...(eventType === 'MESSAGE' ? { messageId: randomUUID() } : {}),
    ...(eventType === 'DISCONNECT' ? { disconnectStatusCode: 1001, disconnectReason: 'Going away' } : {}),
  };
  if (eventType === 'CONNECT') {
    const headers = { host: 'ws.example.test', 'sec-websocket-version': '13', ...opts.headers };
    return {
      headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      ...(opts.query
        ? {
            queryStringParameters: { ...opts.query },
            multiValueQueryStringParameters: Object.fromEntries(Object.entries(opts.query).map(([k, v]) => [k, [v]])),
          }
        : {}),
      requestContext,
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyWebsocketEventV2 & Record<string, unknown>;
  }
  const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  return {
    requestContext,
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyWebsocketEventV2 & Record<string, unknown>;
}

export interface SqsMessage {
  /** A string is sent as is, anything else as JSON. */
  body: unknown;
  messageId?: string;
  receiveCount?: number;
  attributes?: Record<string, string>;
}

/** An SQS event-source-mapping batch from one queue (an empty list is a valid, if unusual, batch). */
export function sqsEvent(queue: QueueName, messages: readonly SqsMessage[] = []): SQSEvent {
  const now = Date.now();
  const Records: SQSRecord[] = messages.map((message) => {
    const body = typeof message.body === 'string' ? message.body : JSON.stringify(message.body);
    return {
      messageId: message.messageId ?? randomUUID(),
      receiptHandle: `sample-receipt-${randomUUID()}`,
      body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount ?? 1),
        SentTimestamp: String(now),
        SenderId: 'AIDASAMPLESENDER',
        ApproximateFirstReceiveTimestamp: String(now),
      },
      messageAttributes: Object.fromEntries(Object.entries(message.attributes ?? {}).map(([k, v]) => [k, { stringValue: v, dataType: 'String' }])),
      md5OfBody: createHash('md5').update(body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:${queue}`,
      awsRegion: SAMPLE_REGION,
    };
  });
  return { Records };
}

/** An EventBridge scheduled-rule event (what a `schedule` in the manifest delivers). */
export function scheduledEvent(opts: { ruleName?: string; time?: Date } = {}): EventBridgeEvent<'Scheduled Event', Record<string, never>> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: SAMPLE_ACCOUNT,
    time: (opts.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: SAMPLE_REGION,
    resources: [`arn:aws:events:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:rule/${opts.ruleName ?? 'sample-schedule'}`],
    detail: {},
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's request time format: 12/Mar/2020:19:03:58 +0000. */
function apiGatewayTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )}:${pad(date.getUTCSeconds())} +0000`;
}

export type Trigger = 'http' | 'ws' | 'queue' | 'schedule';

export interface SampleInvocation {
  /** e.g. `GET /health`, `ws $connect`, `queue shop-events`, `schedule rate(1 day)`. */
  label: string;
  trigger: Trigger;
  /** For HTTP routes: the manifest auth kind of the route. */
  auth?: string;
  event: unknown;
}

/**
 * One credential-less event per trigger of a manifest function: what an anonymous caller, an
 * empty queue batch or the scheduler would send. Bundle tests and the cold-start bench use these.
 */
export function sampleInvocations(fn: FunctionDef): SampleInvocation[] {
  const out: SampleInvocation[] = [];
  for (const route of fn.http ?? []) {
    const hasBody = route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH';
    out.push({
      label: routeKey(route),
      trigger: 'http',
      auth: route.auth.kind,
      event: httpEvent({ method: route.method, path: route.path, ...(hasBody ? { body: {} } : {}) }),
    });
  }
  for (const key of fn.ws ?? []) out.push({ label: `ws ${key}`, trigger: 'ws', event: wsEvent({ routeKey: key }) });
  if (fn.queue) out.push({ label: `queue ${fn.queue.name}`, trigger: 'queue', event: sqsEvent(fn.queue.name, []) });
  if (fn.schedule) out.push({ label: `schedule ${fn.schedule}`, trigger: 'schedule', event: scheduledEvent({ ruleName: fn.name }) });
  return out;
}
