/**
 * The one inventory of Kefu: every function and its triggers, every queue, the table.
 * The CDK stack (infra/aws) and the local runtime (infra/local) both loop over this file;
 * nothing here may be declared anywhere else.
 */

export const STAFF_ROLES = ['agent', 'supervisor', 'marketing', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Who may call an HTTP route. `staff` routes sit behind the JWT authorizer (Cognito in AWS). */
export type RouteAuth =
  | { kind: 'public' }
  | { kind: 'visitor' }
  | { kind: 'staff'; roles: readonly StaffRole[] }
  | { kind: 'shop' };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRoute {
  method: HttpMethod;
  /** API Gateway v2 path with `{param}` placeholders. */
  path: string;
  auth: RouteAuth;
  summary: string;
}

export type QueueName = 'shop-events' | 'notify';

export interface QueueDef {
  name: QueueName;
  /** Receives before a message moves to the queue's DLQ. */
  maxReceiveCount: number;
  description: string;
}

export interface FunctionDef {
  /** kebab-case; also the suffix of the Lambda's name. */
  name: string;
  /** Path of the handler module from the repo root; it exports `handler`. */
  entry: string;
  description: string;
  timeoutSeconds?: number;
  memoryMb?: number;
  http?: readonly HttpRoute[];
  /** API Gateway WebSocket route keys ($connect, $disconnect, $default or a custom action). */
  ws?: readonly string[];
  queue?: { name: QueueName; batchSize: number; maxBatchingWindowSeconds?: number };
  /** EventBridge schedule expression: `rate(N minutes|hours|days)` or `cron(m h dom mon dow y)`. */
  schedule?: string;
  /** What the function may touch; infra grants exactly this (least privilege). */
  access: {
    table?: 'read' | 'readwrite';
    send?: readonly QueueName[];
    /** May push to WebSocket connections through the @connections management API. */
    sockets?: boolean;
  };
}

export interface IndexDef {
  name: string;
  partitionKey: string;
  sortKey: string;
}

/** The single DynamoDB table (single-table design, see docs/data-model.md). */
export const table = {
  name: 'Kefu',
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'ttl',
  indexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  ] satisfies IndexDef[],
} as const;

export const DEFAULT_TIMEOUT_SECONDS = 10;
export const DEFAULT_MEMORY_MB = 512;

export const queues: readonly QueueDef[] = [
  { name: 'shop-events', maxReceiveCount: 5, description: 'Order and member events from the shop backend' },
  { name: 'notify', maxReceiveCount: 5, description: 'Real-time pushes to WebSocket connections' },
];

const PUBLIC: RouteAuth = { kind: 'public' };
const VISITOR: RouteAuth = { kind: 'visitor' };
const SHOP: RouteAuth = { kind: 'shop' };
const ANY_STAFF: RouteAuth = { kind: 'staff', roles: STAFF_ROLES };
const AGENTS: RouteAuth = { kind: 'staff', roles: ['agent', 'supervisor', 'admin'] };

export const functions: readonly FunctionDef[] = [
  {
    name: 'health',
    entry: 'functions/http/health.ts',
    description: 'Liveness and table reachability',
    http: [{ method: 'GET', path: '/health', auth: PUBLIC, summary: 'Service health' }],
    access: { table: 'read' },
  },
  {
    name: 'widget-session',
    entry: 'functions/http/widget-session.ts',
    description: 'Issues a visitor session token; verifies shopper identity (HMAC)',
    http: [{ method: 'POST', path: '/widget/session', auth: PUBLIC, summary: 'Start or resume a widget visitor session' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'widget-me',
    entry: 'functions/http/widget-me.ts',
    description: 'The calling visitor’s contact as the widget may see it',
    http: [{ method: 'GET', path: '/widget/me', auth: VISITOR, summary: 'The current visitor' }],
    access: { table: 'read' },
  },
  {
    name: 'widget-status',
    entry: 'functions/http/widget-status.ts',
    description: 'Whether agents are online and the shop is open (chat or offline form)',
    http: [{ method: 'GET', path: '/widget/status', auth: VISITOR, summary: 'Agent availability and business hours' }],
    access: { table: 'read' },
  },
  {
    name: 'widget-conversations-list',
    entry: 'functions/http/widget-conversations-list.ts',
    description: 'The visitor’s own conversations',
    http: [{ method: 'GET', path: '/widget/conversations', auth: VISITOR, summary: 'List my conversations' }],
    access: { table: 'read' },
  },
  {
    name: 'widget-conversations-create',
    entry: 'functions/http/widget-conversations-create.ts',
    description: 'Starts a conversation with a first message',
    http: [{ method: 'POST', path: '/widget/conversations', auth: VISITOR, summary: 'Start a conversation' }],
    access: { table: 'readwrite', sockets: true },
  },
  {
    name: 'widget-messages-list',
    entry: 'functions/http/widget-messages-list.ts',
    description: 'A page of the visitor’s thread (no internal notes)',
    http: [{ method: 'GET', path: '/widget/conversations/{conversationId}/messages', auth: VISITOR, summary: 'Read my thread' }],
    access: { table: 'read' },
  },
  {
    name: 'widget-messages-send',
    entry: 'functions/http/widget-messages-send.ts',
    description: 'Visitor sends a message (de-duplicated by client message id)',
    http: [{ method: 'POST', path: '/widget/conversations/{conversationId}/messages', auth: VISITOR, summary: 'Send a message' }],
    access: { table: 'readwrite', sockets: true },
  },
  {
    name: 'widget-read',
    entry: 'functions/http/widget-read.ts',
    description: 'Visitor read marker',
    http: [{ method: 'POST', path: '/widget/conversations/{conversationId}/read', auth: VISITOR, summary: 'Mark messages read' }],
    access: { table: 'readwrite', sockets: true },
  },
  {
    name: 'widget-offline-message',
    entry: 'functions/http/widget-offline-message.ts',
    description: 'Offline form: a ticket-ready conversation with the shopper’s email',
    http: [{ method: 'POST', path: '/widget/offline-message', auth: VISITOR, summary: 'Leave a message while nobody is online' }],
    access: { table: 'readwrite', sockets: true },
  },
  {
    name: 'staff-list',
    entry: 'functions/http/staff-list.ts',
    description: 'Staff with presence (for assignment)',
    http: [{ method: 'GET', path: '/staff', auth: ANY_STAFF, summary: 'List staff and their presence' }],
    access: { table: 'read' },
  },
  {
    name: 'staff-presence',
    entry: 'functions/http/staff-presence.ts',
    description: 'Agent sets online / away',
    http: [{ method: 'POST', path: '/staff/presence', auth: ANY_STAFF, summary: 'Set my presence' }],
    access: { table: 'readwrite', sockets: true },
  },
  {
    name: 'conversations-list',
    entry: 'functions/http/conversations-list.ts',
    description: 'Inbox views: open, pending, resolved, mine, unassigned',
    http: [{ method: 'GET', path: '/conversations', auth: AGENTS, summary: 'Inbox' }],
    access: { table: 'read' },
  },
  {
    name: 'conversation-get',
    entry: 'functions/http/conversation-get.ts',
    description: 'A conversation with the shopper panel',
    http: [{ method: 'GET', path: '/conversations/{conversationId}', auth: AGENTS, summary: 'Conversation and shopper' }],
    access: { table: 'read' },
  },
  {
    name: 'conversation-messages-list',
    entry: 'functions/http/conversation-messages-list.ts',
    description: 'A page of a thread incl. internal notes',
    http: [{ method: 'GET', path: '/conversations/{conversationId}/messages', auth: AGENTS, summary: 'Read a thread' }],
    access: { table: 'read' },
  },
  {
    name: 'conversation-messages-send',
    entry: 'functions/http/conversation-messages-send.ts',
    description: 'Agent reply or internal note',
    http: [{ method: 'POST', path: '/conversations/{conversationId}/messages', auth: AGENTS, summary: 'Reply or add an internal note' }],
    access: { table: 'readwrite', sockets: true },
  },
  {
    name: 'conversation-assign',
    entry: 'functions/http/conversation-assign.ts',
    description: 'Assign to an agent or unassign',
    http: [{ method: 'POST', path: '/conversations/{conversationId}/assign', auth: AGENTS, summary: 'Assign a conversation' }],
    access: { table: 'readwrite', sockets: true },
  },
  {
    name: 'conversation-status',
    entry: 'functions/http/conversation-status.ts',
    description: 'Set open / pending / resolved',
    http: [{ method: 'POST', path: '/conversations/{conversationId}/status', auth: AGENTS, summary: 'Change status' }],
    access: { table: 'readwrite', sockets: true },
  },
  {
    name: 'conversation-read',
    entry: 'functions/http/conversation-read.ts',
    description: 'Agent read marker',
    http: [{ method: 'POST', path: '/conversations/{conversationId}/read', auth: AGENTS, summary: 'Mark messages read' }],
    access: { table: 'readwrite', sockets: true },
  },
  {
    name: 'staff-me',
    entry: 'functions/http/staff-me.ts',
    description: 'The calling staff member and their roles',
    http: [{ method: 'GET', path: '/staff/me', auth: ANY_STAFF, summary: 'The current staff member' }],
    access: { table: 'read' },
  },
  {
    name: 'shop-events-ingest',
    entry: 'functions/http/shop-events-ingest.ts',
    description: 'Accepts signed shop events and queues them',
    http: [{ method: 'POST', path: '/shop/events', auth: SHOP, summary: 'Send an order or member event (signed)' }],
    access: { table: 'read', send: ['shop-events'] },
  },
  {
    name: 'shop-events-consumer',
    entry: 'functions/queue/shop-events-consumer.ts',
    description: 'Applies shop events idempotently',
    queue: { name: 'shop-events', batchSize: 10 },
    timeoutSeconds: 30,
    access: { table: 'readwrite' },
  },
  {
    name: 'notify-consumer',
    entry: 'functions/queue/notify-consumer.ts',
    description: 'Pushes queued notifications to WebSocket connections',
    queue: { name: 'notify', batchSize: 10 },
    timeoutSeconds: 20,
    access: { table: 'readwrite', sockets: true },
  },
  {
    name: 'ws-connect',
    entry: 'functions/ws/connect.ts',
    description: 'Authenticates a socket and registers the connection',
    ws: ['$connect'],
    access: { table: 'readwrite' },
  },
  {
    name: 'ws-disconnect',
    entry: 'functions/ws/disconnect.ts',
    description: 'Removes a closed connection from the registry',
    ws: ['$disconnect'],
    access: { table: 'readwrite' },
  },
  {
    name: 'ws-default',
    entry: 'functions/ws/default.ts',
    description: 'Socket messages: ping, typing, read',
    ws: ['$default'],
    access: { table: 'readwrite', sockets: true },
  },
  {
    name: 'daily-maintenance',
    entry: 'functions/schedule/daily-maintenance.ts',
    description: 'Daily housekeeping: expired connection records',
    schedule: 'rate(1 day)',
    timeoutSeconds: 60,
    access: { table: 'readwrite' },
  },
];

/** Timeout of the function that consumes a queue (the queue's visibility timeout is 6× this). */
export function consumerTimeout(queue: QueueName): number {
  const consumer = functions.find((f) => f.queue?.name === queue);
  return consumer?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
}

/** SQS visibility timeout for a queue: AWS recommends ≥ 6× the consumer's timeout. */
export function visibilityTimeout(queue: QueueName): number {
  return consumerTimeout(queue) * 6;
}

/** The environment variable that carries a queue's URL into a function. */
export function queueUrlEnv(queue: QueueName): string {
  return `QUEUE_URL_${queue.toUpperCase().replace(/-/g, '_')}`;
}

/** `METHOD /path` — the API Gateway v2 route key. */
export function routeKey(route: Pick<HttpRoute, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/** Every HTTP route with the function that serves it. */
export function httpRoutes(): { fn: FunctionDef; route: HttpRoute }[] {
  return functions.flatMap((fn) => (fn.http ?? []).map((route) => ({ fn, route })));
}

/** Looks a route up by its route key (used by the HTTP wrapper to enforce auth). */
export function findRoute(key: string): HttpRoute | undefined {
  return httpRoutes().find(({ route }) => routeKey(route) === key)?.route;
}

/**
 * CORS of the HTTP API. Any origin: the widget runs on the shop's own domain and every
 * credential travels in an Authorization header, never in cookies.
 */
export const cors = {
  allowOrigins: ['*'],
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const,
  allowHeaders: ['authorization', 'content-type', 'x-kefu-signature', 'x-kefu-timestamp', 'idempotency-key'],
  exposeHeaders: ['x-request-id', 'retry-after'],
  maxAgeSeconds: 600,
};

/** Largest JSON body any route accepts (API Gateway allows 10 MB; we refuse more than this). */
export const MAX_BODY_BYTES = 256 * 1024;
