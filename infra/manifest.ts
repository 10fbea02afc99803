/**
 * The one inventory of Kefu: every function and its triggers, every queue, the table.
 * The CDK stack (infra/aws) and the local runtime (infra/local) both loop over this file;
 * nothing here may be declared anywhere else.
 */

export const STAFF_ROLES = ['agent', 'supervisor', 'marketing', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Who may call an HTTP route. `staff` routes sit behind the JWT authorizer (Cognito in AWS). */
export type RouteAuth = { kind: 'public' } | { kind: 'visitor' } | { kind: 'staff'; roles: readonly StaffRole[] } | { kind: 'shop' };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRoute {
  method: HttpMethod;
  /** API Gateway v2 path with `{param}` placeholders. */
  path: string;
  auth: RouteAuth;
  summary: string;
}

export type QueueName =
  | 'shop-events'
  | 'bot'
  | 'sla-timers'
  | 'surveys'
  | 'churn-rescore'
  | 'campaign-fanout'
  | 'campaign-sends'
  | 'privacy-tasks'
  | 'webhooks'
  | 'ses-events';

/** A producer outside Kefu's code: `ses-notifications` is SES event publishing through SNS (infra/aws/email-events.ts). */
export type ExternalQueueSource = 'ses-notifications';

export interface QueueDef {
  name: QueueName;
  /** Receives before a message moves to the queue's DLQ. */
  maxReceiveCount: number;
  description: string;
  /** Fed from outside Kefu's code (no function sends to it); the infrastructure wires that source. */
  source?: ExternalQueueSource;
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
  /** Data files copied next to the bundle (read at run time, kept out of the JS bundle). */
  assets?: readonly { from: string; to: string }[];
  /** What the function may touch; infra grants exactly this (least privilege). */
  access: {
    table?: 'read' | 'readwrite';
    send?: readonly QueueName[];
    /** May push to WebSocket connections through the @connections management API. */
    sockets?: boolean;
    /** The attachments bucket: `write` signs uploads, `read` signs downloads and checks uploads. */
    attachments?: 'read' | 'readwrite';
    /** Integration settings it reads (SETTINGS_GROUPS): in AWS it may read those keys of the settings secret. */
    settings?: readonly SettingsGroup[];
  };
}

/**
 * The integrations' settings (LLM, email, WeChat), by group. In AWS they all live in ONE Secrets
 * Manager secret, a JSON object of strings the stack creates empty (docs/aws.md says how to fill
 * it); a function that declares a group in `access.settings` may read the secret and takes exactly
 * that group's keys from it at a cold start. Locally they are plain environment variables.
 * test/bundle/settings.test.ts checks that a function declares a group exactly when its bundle holds
 * code that reads the group's keys.
 */
export const SETTINGS_GROUPS = {
  llm: [
    'OPENAI_API_KEY',
    'OPENAI_BASE_URL',
    'KEFU_LLM_MODEL',
    'KEFU_LLM_TOKEN_BUDGET',
    'KEFU_LLM_TIMEOUT_MS',
    'KEFU_EMBEDDINGS_MODEL',
    'KEFU_ALLOWED_LINK_HOSTS',
  ],
  email: [
    'KEFU_EMAIL_TRANSPORT',
    'KEFU_EMAIL_FROM',
    'KEFU_MAIL_DOMAIN',
    'KEFU_SMTP_HOST',
    'KEFU_SMTP_PORT',
    'KEFU_SMTP_USER',
    'KEFU_SMTP_PASSWORD',
    'KEFU_SMTP_SECURE',
    'KEFU_SES_CONFIGURATION_SET',
    'KEFU_EMAIL_MAX_ATTEMPTS',
  ],
  wecom: ['KEFU_WECOM_CORP_ID', 'KEFU_WECOM_TOKEN', 'KEFU_WECOM_AES_KEY', 'KEFU_WECOM_SHOP_ID', 'KEFU_WECOM_SECRET', 'KEFU_WECOM_API_BASE'],
} as const;

export type SettingsGroup = keyof typeof SETTINGS_GROUPS;

/** The environment variables that carry the settings secret's ARN and the groups a function reads from it. */
export const SETTINGS_SECRET_ENV = 'KEFU_SETTINGS_SECRET';
export const SETTINGS_GROUPS_ENV = 'KEFU_SETTINGS_GROUPS';

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
  { name: 'bot', maxReceiveCount: 5, description: 'Shopper messages the bot should answer' },
  { name: 'sla-timers', maxReceiveCount: 5, description: 'SLA warn/breach timers, chained SQS delays until due' },
  { name: 'surveys', maxReceiveCount: 5, description: 'Survey requests, delayed after their trigger (DelaySeconds ≤ 900)' },
  { name: 'churn-rescore', maxReceiveCount: 5, description: 'Contacts whose churn score the daily run refreshes (batches of ids)' },
  { name: 'campaign-fanout', maxReceiveCount: 5, description: 'Campaign fan-out hops: resolve the audience page by page' },
  { name: 'campaign-sends', maxReceiveCount: 5, description: 'Campaign sends in batches of members; held batches are re-queued with a delay' },
  { name: 'privacy-tasks', maxReceiveCount: 5, description: 'Data export and erasure tasks of one contact (resumable)' },
  { name: 'webhooks', maxReceiveCount: 8, description: 'Outbound webhook deliveries to the shop; retries re-queue with exponential SQS delay' },
  {
    name: 'ses-events',
    maxReceiveCount: 5,
    description: 'SES bounce and complaint events (configuration set → SNS → this queue; AWS only)',
    source: 'ses-notifications',
  },
];

const PUBLIC = { kind: 'public' } as const satisfies RouteAuth;
const VISITOR = { kind: 'visitor' } as const satisfies RouteAuth;
const SHOP = { kind: 'shop' } as const satisfies RouteAuth;
/** Who may use each kind of staff route: the one list of it (the console reads it too). */
export const ANY_STAFF = { kind: 'staff', roles: STAFF_ROLES } as const satisfies RouteAuth;
/** Conversations, tickets, customers: the people who serve shoppers. */
export const AGENTS = { kind: 'staff', roles: ['agent', 'supervisor', 'admin'] } as const satisfies RouteAuth;
export const SUPERVISORS = { kind: 'staff', roles: ['supervisor', 'admin'] } as const satisfies RouteAuth;
export const ADMINS = { kind: 'staff', roles: ['admin'] } as const satisfies RouteAuth;
/** Segments, campaigns, churn settings: changed by marketing. */
export const MARKETERS = { kind: 'staff', roles: ['marketing', 'admin'] } as const satisfies RouteAuth;
/** Marketing figures: read by marketing and supervisors. */
export const MARKETING_READERS = { kind: 'staff', roles: ['marketing', 'supervisor', 'admin'] } as const satisfies RouteAuth;

const FUNCTIONS = [
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
    access: { settings: ['wecom'], table: 'readwrite', sockets: true, send: ['bot'] },
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
    access: { settings: ['email', 'wecom'], table: 'readwrite', sockets: true, send: ['bot', 'sla-timers'] },
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
    access: { settings: ['wecom'], table: 'readwrite', sockets: true },
  },
  {
    name: 'widget-uploads',
    entry: 'functions/http/widget-uploads.ts',
    description: 'Pre-signed upload of a chat attachment (type and size limited)',
    http: [{ method: 'POST', path: '/widget/conversations/{conversationId}/uploads', auth: VISITOR, summary: 'Upload an attachment' }],
    access: { table: 'read', attachments: 'readwrite' },
  },
  {
    name: 'widget-attachment',
    entry: 'functions/http/widget-attachment.ts',
    description: 'Short-lived download link for an attachment of the visitor’s conversation',
    http: [{ method: 'GET', path: '/widget/conversations/{conversationId}/attachments/{attachmentId}', auth: VISITOR, summary: 'Download an attachment' }],
    access: { table: 'read', attachments: 'read' },
  },
  {
    name: 'conversation-uploads',
    entry: 'functions/http/conversation-uploads.ts',
    description: 'Pre-signed upload of an agent attachment',
    http: [{ method: 'POST', path: '/conversations/{conversationId}/uploads', auth: AGENTS, summary: 'Upload an attachment' }],
    access: { table: 'read', attachments: 'readwrite' },
  },
  {
    name: 'conversation-attachment',
    entry: 'functions/http/conversation-attachment.ts',
    description: 'Short-lived download link for an attachment (staff)',
    http: [{ method: 'GET', path: '/conversations/{conversationId}/attachments/{attachmentId}', auth: AGENTS, summary: 'Download an attachment' }],
    access: { table: 'read', attachments: 'read' },
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
    access: { settings: ['wecom'], table: 'readwrite', sockets: true },
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
    access: { table: 'readwrite' },
  },
  {
    name: 'conversation-messages-list',
    entry: 'functions/http/conversation-messages-list.ts',
    description: 'A page of a thread incl. internal notes',
    http: [{ method: 'GET', path: '/conversations/{conversationId}/messages', auth: AGENTS, summary: 'Read a thread' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'conversation-messages-send',
    entry: 'functions/http/conversation-messages-send.ts',
    description: 'Agent reply or internal note',
    http: [{ method: 'POST', path: '/conversations/{conversationId}/messages', auth: AGENTS, summary: 'Reply or add an internal note' }],
    access: { settings: ['email', 'wecom'], table: 'readwrite', sockets: true, send: ['sla-timers'], attachments: 'read' },
  },
  {
    name: 'conversation-assign',
    entry: 'functions/http/conversation-assign.ts',
    description: 'Assign to an agent or unassign',
    http: [{ method: 'POST', path: '/conversations/{conversationId}/assign', auth: AGENTS, summary: 'Assign a conversation' }],
    access: { settings: ['wecom'], table: 'readwrite', sockets: true },
  },
  {
    name: 'conversation-status',
    entry: 'functions/http/conversation-status.ts',
    description: 'Set open / pending / resolved',
    http: [{ method: 'POST', path: '/conversations/{conversationId}/status', auth: AGENTS, summary: 'Change status' }],
    access: { settings: ['wecom'], table: 'readwrite', sockets: true, send: ['surveys'] },
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
    name: 'contact-get',
    entry: 'functions/http/contact-get.ts',
    description: 'Customer 360: profile, labels, churn risk, tier, points, RFM, orders, conversations, ledger, timeline',
    http: [{ method: 'GET', path: '/contacts/{contactId}', auth: AGENTS, summary: 'Customer 360 view' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'contact-shipments',
    entry: 'functions/http/contact-shipments.ts',
    description: 'Customer 360: the contact’s shipments with carrier, tracking number and the redacted trace',
    http: [{ method: 'GET', path: '/contacts/{contactId}/shipments', auth: AGENTS, summary: 'A customer’s shipments and their trace' }],
    access: { table: 'read' },
  },
  {
    name: 'contact-reveal',
    entry: 'functions/http/contact-reveal.ts',
    description: 'A supervisor reveals a contact’s full phone, email, address or birthday for a reason (recorded in the access log)',
    http: [{ method: 'POST', path: '/contacts/{contactId}/reveal', auth: SUPERVISORS, summary: 'Reveal a contact’s masked personal data (with a reason)' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'contact-lookup',
    entry: 'functions/http/contact-lookup.ts',
    description: 'Finds a contact by email or shop user id (uniqueness items, no scan)',
    http: [{ method: 'GET', path: '/contacts', auth: AGENTS, summary: 'Look a contact up by ?email= or ?shopId=&shopUserId=' }],
    access: { table: 'read' },
  },
  {
    name: 'contact-labels',
    entry: 'functions/http/contact-labels.ts',
    description: 'An agent sets a contact’s labels (normalised, bounded, versioned; segments match them)',
    http: [{ method: 'PUT', path: '/contacts/{contactId}/labels', auth: AGENTS, summary: 'Set a contact’s labels' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'contact-labels-shop',
    entry: 'functions/http/contact-labels-shop.ts',
    description: 'The shop adds and removes labels of one of its customers (signed)',
    http: [{ method: 'POST', path: '/shop/labels', auth: SHOP, summary: 'Add or remove a customer’s labels (signed)' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'points-list',
    entry: 'functions/http/points-list.ts',
    description: 'A page of a member’s points ledger, newest first',
    http: [{ method: 'GET', path: '/contacts/{contactId}/points', auth: AGENTS, summary: 'Points ledger' }],
    access: { table: 'read' },
  },
  {
    name: 'points-adjust',
    entry: 'functions/http/points-adjust.ts',
    description: 'Staff points adjustment with a reason (idempotent by adjustment id)',
    http: [{ method: 'POST', path: '/contacts/{contactId}/points', auth: SUPERVISORS, summary: 'Adjust points' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'points-redeem',
    entry: 'functions/http/points-redeem.ts',
    description: 'The shop redeems a customer’s points at checkout (signed; idempotent by redemption id)',
    http: [{ method: 'POST', path: '/shop/points/redeem', auth: SHOP, summary: 'Redeem points (signed)' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'widget-membership',
    entry: 'functions/http/widget-membership.ts',
    description: 'A verified shopper’s tier, points and perks',
    http: [{ method: 'GET', path: '/widget/membership', auth: VISITOR, summary: 'My membership' }],
    access: { table: 'read' },
  },
  {
    name: 'tiers-list',
    entry: 'functions/http/tiers-list.ts',
    description: 'Member tiers and loyalty settings',
    http: [{ method: 'GET', path: '/tiers', auth: ANY_STAFF, summary: 'Member tiers' }],
    access: { table: 'read' },
  },
  {
    name: 'tiers-put',
    entry: 'functions/http/tiers-put.ts',
    description: 'Creates or replaces a member tier (versioned)',
    http: [{ method: 'PUT', path: '/tiers/{tierId}', auth: ADMINS, summary: 'Save a tier' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'tiers-delete',
    entry: 'functions/http/tiers-delete.ts',
    description: 'Deletes a tier that no member holds',
    http: [{ method: 'DELETE', path: '/tiers/{tierId}', auth: ADMINS, summary: 'Delete a tier' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'tiers-settings',
    entry: 'functions/http/tiers-settings.ts',
    description: 'Loyalty settings: points per unit, expiry, tier window, review and grace periods',
    http: [{ method: 'PUT', path: '/loyalty/settings', auth: ADMINS, summary: 'Save loyalty settings' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'points-expire',
    entry: 'functions/schedule/points-expire.ts',
    description: 'Expires points lots whose date has come (sharded expiry index)',
    schedule: 'cron(10 0 * * ? *)',
    timeoutSeconds: 300,
    access: { table: 'readwrite' },
  },
  {
    name: 'tiers-review',
    entry: 'functions/schedule/tiers-review.ts',
    description: 'Reviews due member tiers: grace period, then downgrade',
    schedule: 'cron(30 0 * * ? *)',
    timeoutSeconds: 300,
    access: { table: 'readwrite' },
  },
  {
    name: 'bot-consumer',
    entry: 'functions/queue/bot-consumer.ts',
    description: 'The bot answers a shopper message (knowledge base, orders, hand-off)',
    queue: { name: 'bot', batchSize: 5 },
    timeoutSeconds: 30,
    memoryMb: 1024,
    assets: [{ from: 'shared/ai/model/classifier.json', to: 'model/classifier.json' }],
    access: { settings: ['llm', 'wecom'], table: 'readwrite', sockets: true, send: ['sla-timers'] },
  },
  {
    name: 'widget-handoff',
    entry: 'functions/http/widget-handoff.ts',
    description: 'The shopper asks for a human at any moment',
    http: [{ method: 'POST', path: '/widget/conversations/{conversationId}/handoff', auth: VISITOR, summary: 'Talk to a human' }],
    assets: [{ from: 'shared/ai/model/classifier.json', to: 'model/classifier.json' }],
    access: { settings: ['llm', 'wecom'], table: 'readwrite', sockets: true, send: ['sla-timers'] },
  },
  {
    name: 'widget-bot-feedback',
    entry: 'functions/http/widget-bot-feedback.ts',
    description: 'The shopper confirms (or not) that the bot answered the question',
    http: [{ method: 'POST', path: '/widget/conversations/{conversationId}/bot-feedback', auth: VISITOR, summary: 'Rate the bot answer' }],
    access: { settings: ['llm'], table: 'readwrite', sockets: true, send: ['bot', 'surveys'] },
  },
  {
    name: 'widget-kb-pick',
    entry: 'functions/http/widget-kb-pick.ts',
    description: 'The shopper picked an article from the bot’s menu: teaches retrieval (learning from use)',
    http: [{ method: 'POST', path: '/widget/conversations/{conversationId}/kb-pick', auth: VISITOR, summary: 'Pick an article from the bot menu' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'widget-kb-search',
    entry: 'functions/http/widget-kb-search.ts',
    description: 'Help-centre search in the widget',
    http: [{ method: 'GET', path: '/widget/kb', auth: VISITOR, summary: 'Search help articles' }],
    access: { table: 'read' },
  },
  {
    name: 'widget-kb-article',
    entry: 'functions/http/widget-kb-article.ts',
    description: 'One published help article',
    http: [{ method: 'GET', path: '/widget/kb/{articleId}', auth: VISITOR, summary: 'Read a help article' }],
    access: { table: 'read' },
  },
  {
    name: 'kb-articles-list',
    entry: 'functions/http/kb-articles-list.ts',
    description: 'Knowledge-base articles for the console',
    http: [{ method: 'GET', path: '/kb/articles', auth: ANY_STAFF, summary: 'List articles' }],
    access: { table: 'read' },
  },
  {
    name: 'kb-articles-save',
    entry: 'functions/http/kb-articles-save.ts',
    description: 'Create or edit an article (versioned) and republish the index',
    http: [{ method: 'PUT', path: '/kb/articles/{articleId}', auth: ADMINS, summary: 'Save an article' }],
    timeoutSeconds: 30,
    access: { table: 'readwrite' },
  },
  {
    name: 'tickets-create',
    entry: 'functions/http/tickets-create.ts',
    description: 'Logs a phone/API ticket: classified, routed, assigned, SLA clocks started',
    http: [{ method: 'POST', path: '/tickets', auth: AGENTS, summary: 'Create a ticket (phone log, API)' }],
    assets: [{ from: 'shared/ai/model/classifier.json', to: 'model/classifier.json' }],
    access: { settings: ['wecom'], table: 'readwrite', sockets: true, send: ['sla-timers'] },
  },
  {
    name: 'tickets-list',
    entry: 'functions/http/tickets-list.ts',
    description: 'Ticket views: mine, unassigned, team queue, SLA at risk',
    http: [{ method: 'GET', path: '/tickets', auth: AGENTS, summary: 'List tickets by view' }],
    access: { table: 'read' },
  },
  {
    name: 'ticket-get',
    entry: 'functions/http/ticket-get.ts',
    description: 'A ticket with its SLA clocks and audit trail',
    http: [{ method: 'GET', path: '/tickets/{ticketId}', auth: AGENTS, summary: 'Read a ticket' }],
    access: { settings: ['wecom'], table: 'read' },
  },
  {
    name: 'ticket-update',
    entry: 'functions/http/ticket-update.ts',
    description: 'Changes status, priority, category, tags, team, assignee or fields (versioned)',
    http: [{ method: 'PATCH', path: '/tickets/{ticketId}', auth: AGENTS, summary: 'Update a ticket' }],
    access: { settings: ['wecom'], table: 'readwrite', sockets: true, send: ['sla-timers', 'surveys'] },
  },
  {
    name: 'ticket-merge',
    entry: 'functions/http/ticket-merge.ts',
    description: 'Merges a ticket into another (source closed, audit on both)',
    http: [{ method: 'POST', path: '/tickets/{ticketId}/merge', auth: AGENTS, summary: 'Merge this ticket into another' }],
    access: { settings: ['wecom'], table: 'readwrite', sockets: true, send: ['sla-timers', 'surveys'] },
  },
  {
    name: 'ticket-convert',
    entry: 'functions/http/ticket-convert.ts',
    description: 'Turns a chat conversation into a ticket linked to the same thread',
    http: [{ method: 'POST', path: '/conversations/{conversationId}/ticket', auth: AGENTS, summary: 'Convert a conversation into a ticket' }],
    assets: [{ from: 'shared/ai/model/classifier.json', to: 'model/classifier.json' }],
    access: { settings: ['wecom'], table: 'readwrite', sockets: true, send: ['sla-timers'] },
  },
  {
    name: 'tickets-search',
    entry: 'functions/http/tickets-search.ts',
    description: 'Ticket search by id, requester email, tag or subject words (write-time term index, no scan)',
    http: [{ method: 'GET', path: '/tickets/search', auth: AGENTS, summary: 'Search tickets (?q=)' }],
    access: { table: 'read' },
  },
  {
    name: 'email-inbound',
    entry: 'functions/http/email-inbound.ts',
    description: 'Inbound email (raw MIME) opens a ticket or threads onto one; idempotent on Message-ID',
    http: [{ method: 'POST', path: '/email/inbound', auth: SHOP, summary: 'Deliver an inbound email (signed; {raw: base64 MIME})' }],
    timeoutSeconds: 20,
    access: { settings: ['wecom'], table: 'readwrite', sockets: true, send: ['sla-timers'] },
  },
  {
    name: 'email-outbox',
    entry: 'functions/http/email-outbox.ts',
    description: 'Outbound emails (ticket replies, campaign emails) by kind and state, or one ticket’s',
    http: [{ method: 'GET', path: '/email/outbox', auth: SUPERVISORS, summary: 'List the email outbox (?kind, ?status, ?ticketId)' }],
    access: { table: 'read' },
  },
  {
    name: 'email-suppressions-list',
    entry: 'functions/http/email-suppressions-list.ts',
    description: 'The email suppression list (hard bounces, complaints, manual entries), newest first or by address prefix',
    http: [{ method: 'GET', path: '/email/suppressions', auth: ADMINS, summary: 'List suppressed addresses (?q address prefix, ?cursor, ?limit)' }],
    access: { table: 'read' },
  },
  {
    name: 'email-suppressions-add',
    entry: 'functions/http/email-suppressions-add.ts',
    description: 'An admin puts an address on the email suppression list with a note',
    http: [{ method: 'POST', path: '/email/suppressions', auth: ADMINS, summary: 'Suppress an address by hand ({address, note?})' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'email-suppressions-lift',
    entry: 'functions/http/email-suppressions-lift.ts',
    description: 'An admin lifts a suppression (audited: who and when)',
    http: [{ method: 'DELETE', path: '/email/suppressions/{address}', auth: ADMINS, summary: 'Lift the suppression of an address' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'ses-events-consumer',
    entry: 'functions/queue/ses-events-consumer.ts',
    description: 'Puts hard-bounced and complaining addresses on the email suppression list (SES events; idempotent per feedback id)',
    queue: { name: 'ses-events', batchSize: 10 },
    access: { table: 'readwrite' },
  },
  {
    name: 'email-sender',
    entry: 'functions/schedule/email-sender.ts',
    description: 'Sends due outbox emails over SMTP or SES (claimed once, retried with backoff, failed after the last attempt)',
    schedule: 'rate(1 minute)',
    timeoutSeconds: 60,
    access: { settings: ['email'], table: 'readwrite' },
  },
  {
    name: 'wecom-verify',
    entry: 'functions/http/wecom-verify.ts',
    description: 'WeChat customer service (WeCom) callback URL verification: signature checked, echostr decrypted',
    http: [{ method: 'GET', path: '/wecom/callback', auth: PUBLIC, summary: 'WeCom URL verification (?msg_signature, timestamp, nonce, echostr)' }],
    access: { settings: ['wecom'] },
  },
  {
    name: 'wecom-callback',
    entry: 'functions/http/wecom-callback.ts',
    description:
      'WeChat customer service callback: signature and AES checked, new messages pulled (kf/sync_msg) into wechat conversations (the bot answers first)',
    http: [{ method: 'POST', path: '/wecom/callback', auth: PUBLIC, summary: 'WeCom callback (encrypted XML; signed with the Token)' }],
    timeoutSeconds: 20,
    access: { settings: ['email', 'wecom'], table: 'readwrite', sockets: true, send: ['bot', 'sla-timers'] },
  },
  {
    name: 'macros-list',
    entry: 'functions/http/macros-list.ts',
    description: 'Shared macros and the caller’s personal ones',
    http: [{ method: 'GET', path: '/macros', auth: AGENTS, summary: 'List macros' }],
    access: { table: 'read' },
  },
  {
    name: 'macros-save',
    entry: 'functions/http/macros-save.ts',
    description: 'Creates or replaces a macro (versioned; shared ones need supervisor or admin)',
    http: [
      { method: 'POST', path: '/macros', auth: AGENTS, summary: 'Create a macro' },
      { method: 'PUT', path: '/macros/{macroId}', auth: AGENTS, summary: 'Replace a macro' },
    ],
    access: { table: 'readwrite' },
  },
  {
    name: 'macros-delete',
    entry: 'functions/http/macros-delete.ts',
    description: 'Deletes a macro (shared: supervisor or admin; personal: its owner)',
    http: [{ method: 'DELETE', path: '/macros/{macroId}', auth: AGENTS, summary: 'Delete a macro' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'ticket-macro-apply',
    entry: 'functions/http/ticket-macro-apply.ts',
    description: 'Applies a macro: posts the rendered reply, then status, tags and assignment',
    http: [{ method: 'POST', path: '/tickets/{ticketId}/macros/{macroId}/apply', auth: AGENTS, summary: 'Apply a macro to a ticket' }],
    access: { settings: ['email', 'wecom'], table: 'readwrite', sockets: true, send: ['sla-timers', 'surveys'] },
  },
  {
    name: 'ticket-config',
    entry: 'functions/http/ticket-config.ts',
    description: 'SLA policies, calendars, teams and routing rules in force',
    http: [{ method: 'GET', path: '/ticket-config', auth: AGENTS, summary: 'Ticket configuration' }],
    access: { table: 'read' },
  },
  {
    name: 'ticket-config-policy',
    entry: 'functions/http/ticket-config-policy.ts',
    description: 'Saves an SLA policy as a new version (running tickets keep theirs)',
    http: [{ method: 'PUT', path: '/ticket-config/sla-policies/{policyId}', auth: SUPERVISORS, summary: 'Save an SLA policy (new version)' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'ticket-config-calendar',
    entry: 'functions/http/ticket-config-calendar.ts',
    description: 'Saves a business-hours calendar (zone, weekly hours, holidays)',
    http: [{ method: 'PUT', path: '/ticket-config/calendars/{calendarId}', auth: SUPERVISORS, summary: 'Save a calendar' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'ticket-config-team',
    entry: 'functions/http/ticket-config-team.ts',
    description: 'Saves a team: members, assignment mode, capacity, supervisor',
    http: [{ method: 'PUT', path: '/ticket-config/teams/{teamId}', auth: SUPERVISORS, summary: 'Save a team' }],
    access: { settings: ['wecom'], table: 'readwrite' },
  },
  {
    name: 'ticket-config-rules',
    entry: 'functions/http/ticket-config-rules.ts',
    description: 'Replaces the ordered routing rules (first match wins)',
    http: [{ method: 'PUT', path: '/ticket-config/routing-rules', auth: SUPERVISORS, summary: 'Replace the routing rules' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'widget-tickets',
    entry: 'functions/http/widget-tickets.ts',
    description: 'Web form: the shopper opens a ticket',
    http: [{ method: 'POST', path: '/widget/tickets', auth: VISITOR, summary: 'Open a ticket (web form)' }],
    assets: [{ from: 'shared/ai/model/classifier.json', to: 'model/classifier.json' }],
    access: { settings: ['wecom'], table: 'readwrite', sockets: true, send: ['sla-timers'] },
  },
  {
    name: 'widget-aftersales',
    entry: 'functions/http/widget-aftersales.ts',
    description: 'A verified shopper asks for a return, exchange or refund of an order (worked as an after-sales ticket)',
    http: [{ method: 'POST', path: '/widget/aftersales', auth: VISITOR, summary: 'Start an after-sales request' }],
    access: { settings: ['wecom'], table: 'readwrite', sockets: true, send: ['sla-timers'], attachments: 'read' },
  },
  {
    name: 'widget-aftersales-mine',
    entry: 'functions/http/widget-aftersales-mine.ts',
    description: 'A verified shopper’s after-sales requests and the orders they may ask about',
    http: [{ method: 'GET', path: '/widget/aftersales', auth: VISITOR, summary: 'My after-sales requests and orders' }],
    access: { table: 'read' },
  },
  {
    name: 'widget-aftersales-uploads',
    entry: 'functions/http/widget-aftersales-uploads.ts',
    description: 'Pre-signed upload of an after-sales photo (verified shoppers)',
    http: [{ method: 'POST', path: '/widget/aftersales/uploads', auth: VISITOR, summary: 'Upload an after-sales photo' }],
    access: { table: 'readwrite', attachments: 'readwrite' },
  },
  {
    name: 'aftersales-get',
    entry: 'functions/http/aftersales-get.ts',
    description: 'An after-sales request with its photos and the actions open now',
    http: [{ method: 'GET', path: '/aftersales/{requestId}', auth: AGENTS, summary: 'Read an after-sales request' }],
    access: { table: 'read', attachments: 'read' },
  },
  {
    name: 'aftersales-actions',
    entry: 'functions/http/aftersales-actions.ts',
    description: 'Approve, reject, send the return address, mark received or refund an after-sales request (versioned, audited, webhooks)',
    http: [{ method: 'POST', path: '/aftersales/{requestId}/actions', auth: AGENTS, summary: 'Act on an after-sales request' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'sla-timers-consumer',
    entry: 'functions/queue/sla-timers-consumer.ts',
    description: 'Fires SLA warnings and breaches when due (re-enqueues until then); exactly once',
    queue: { name: 'sla-timers', batchSize: 10 },
    timeoutSeconds: 30,
    access: { settings: ['wecom'], table: 'readwrite', sockets: true, send: ['sla-timers'] },
  },
  {
    name: 'tickets-housekeeping',
    entry: 'functions/schedule/tickets-housekeeping.ts',
    description: 'Closes solved tickets after N days; re-arms SLA timers from the table',
    schedule: 'rate(1 hour)',
    timeoutSeconds: 60,
    access: { settings: ['wecom'], table: 'readwrite', sockets: true, send: ['sla-timers'] },
  },
  {
    name: 'survey-consumer',
    entry: 'functions/queue/survey-consumer.ts',
    description: 'Delivers delayed surveys once per trigger (fatigue cap, complaint and opt-out checks)',
    queue: { name: 'surveys', batchSize: 10 },
    timeoutSeconds: 30,
    access: { settings: ['wecom'], table: 'readwrite', sockets: true },
  },
  {
    name: 'surveys-sweep',
    entry: 'functions/schedule/surveys-sweep.ts',
    description: 'Delivers survey requests past due whose delayed queue message never arrived (lost or in the DLQ)',
    schedule: 'rate(1 minute)',
    timeoutSeconds: 60,
    access: { settings: ['wecom'], table: 'readwrite', sockets: true },
  },
  {
    name: 'widget-surveys',
    entry: 'functions/http/widget-surveys.ts',
    description: 'The visitor’s pending surveys',
    http: [{ method: 'GET', path: '/widget/surveys', auth: VISITOR, summary: 'My pending surveys' }],
    access: { table: 'read' },
  },
  {
    name: 'widget-surveys-respond',
    entry: 'functions/http/widget-surveys-respond.ts',
    description: 'The visitor answers a survey (once; editable for a short window); points for answering',
    http: [{ method: 'POST', path: '/widget/surveys/{surveyId}/response', auth: VISITOR, summary: 'Answer a survey' }],
    access: { settings: ['wecom'], table: 'readwrite', sockets: true, send: ['sla-timers'] },
  },
  {
    name: 'widget-surveys-opt-out',
    entry: 'functions/http/widget-surveys-opt-out.ts',
    description: 'The visitor stops all surveys',
    http: [{ method: 'POST', path: '/widget/surveys/opt-out', auth: VISITOR, summary: 'No more surveys' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'survey-link',
    entry: 'functions/http/survey-link.ts',
    description: 'The survey page behind a signed, expiring link (zh/en HTML)',
    http: [{ method: 'GET', path: '/survey-links/{surveyId}', auth: PUBLIC, summary: 'Survey page (signed link)' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'survey-link-submit',
    entry: 'functions/http/survey-link-submit.ts',
    description: 'Answers or opts out through a signed survey link',
    http: [{ method: 'POST', path: '/survey-links/{surveyId}', auth: PUBLIC, summary: 'Answer a survey (signed link)' }],
    access: { settings: ['wecom'], table: 'readwrite', sockets: true, send: ['sla-timers'] },
  },
  {
    name: 'survey-send',
    entry: 'functions/http/survey-send.ts',
    description: 'An agent sends a survey now (manual trigger) and gets its signed link',
    http: [{ method: 'POST', path: '/surveys', auth: AGENTS, summary: 'Send a survey for a conversation' }],
    access: { settings: ['wecom'], table: 'readwrite', sockets: true },
  },
  {
    name: 'survey-get',
    entry: 'functions/http/survey-get.ts',
    description: 'A survey with its response, analysis, corrections and follow-up',
    http: [{ method: 'GET', path: '/surveys/{surveyId}', auth: AGENTS, summary: 'Read a survey and its response' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'survey-tags',
    entry: 'functions/http/survey-tags.ts',
    description: 'An agent corrects the sentiment/topics of a response (recorded)',
    http: [{ method: 'PUT', path: '/surveys/{surveyId}/tags', auth: AGENTS, summary: 'Correct response tags' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'survey-config-get',
    entry: 'functions/http/survey-config-get.ts',
    description: 'Survey settings and definitions',
    http: [{ method: 'GET', path: '/survey-config', auth: AGENTS, summary: 'Survey settings and definitions' }],
    access: { table: 'read' },
  },
  {
    name: 'survey-config-settings',
    entry: 'functions/http/survey-config-settings.ts',
    description: 'Survey delay, fatigue cap, link lifetime, edit window, points, triggers (versioned)',
    http: [{ method: 'PUT', path: '/survey-config/settings', auth: SUPERVISORS, summary: 'Save survey settings' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'survey-config-definition',
    entry: 'functions/http/survey-config-definition.ts',
    description: 'Creates or replaces a multi-question survey (zh/en, versioned)',
    http: [{ method: 'PUT', path: '/survey-config/definitions/{definitionId}', auth: SUPERVISORS, summary: 'Save a survey definition' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'survey-follow-ups',
    entry: 'functions/http/survey-follow-ups.ts',
    description: 'Team leads’ queue of detractor follow-ups',
    http: [{ method: 'GET', path: '/survey-follow-ups', auth: SUPERVISORS, summary: 'Detractor follow-ups' }],
    access: { table: 'read' },
  },
  {
    name: 'survey-follow-up-close',
    entry: 'functions/http/survey-follow-up-close.ts',
    description: 'Closes a detractor follow-up with a note (versioned)',
    http: [{ method: 'POST', path: '/survey-follow-ups/{surveyId}/close', auth: SUPERVISORS, summary: 'Close a follow-up' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'quality-summary',
    entry: 'functions/http/quality-summary.ts',
    description: 'Quality figures per scope and period from pre-aggregated day counters',
    http: [{ method: 'GET', path: '/quality/summary', auth: SUPERVISORS, summary: 'Quality dashboard figures' }],
    access: { table: 'read' },
  },
  {
    name: 'quality-export',
    entry: 'functions/http/quality-export.ts',
    description: 'CSV of daily quality figures or survey comments (formula-injection safe)',
    http: [{ method: 'GET', path: '/quality/export.csv', auth: SUPERVISORS, summary: 'Export quality figures as CSV' }],
    access: { table: 'read' },
  },
  {
    name: 'quality-drilldown',
    entry: 'functions/http/quality-drilldown.ts',
    description: 'The conversations behind a quality number on a day',
    http: [{ method: 'GET', path: '/quality/drilldown', auth: SUPERVISORS, summary: 'Drill down into a number' }],
    access: { table: 'read' },
  },
  {
    name: 'quality-agents',
    entry: 'functions/http/quality-agents.ts',
    description: 'Per-agent performance of a period (workload, response times, resolution rate, CSAT) from agent-scope day counters',
    http: [{ method: 'GET', path: '/quality/agents', auth: SUPERVISORS, summary: 'Per-agent performance' }],
    access: { table: 'read' },
  },
  {
    name: 'quality-digest',
    entry: 'functions/http/quality-digest.ts',
    description: 'The stored daily quality digest (a day, or the latest)',
    http: [{ method: 'GET', path: '/quality/digest', auth: SUPERVISORS, summary: 'Daily quality digest' }],
    access: { table: 'read' },
  },
  {
    name: 'quality-conversion',
    entry: 'functions/http/quality-conversion.ts',
    description: '询单转化率 per agent: pre-sales conversations whose shopper ordered within N hours, with the revenue',
    http: [{ method: 'GET', path: '/quality/conversion', auth: SUPERVISORS, summary: 'Pre-sales conversion per agent' }],
    access: { table: 'read' },
  },
  {
    name: 'inspection-config',
    entry: 'functions/http/inspection-config.ts',
    description: 'Quality inspection (质检) settings and every team’s scorecard',
    http: [{ method: 'GET', path: '/quality/inspection/config', auth: SUPERVISORS, summary: 'Inspection settings and scorecards' }],
    access: { table: 'read' },
  },
  {
    name: 'inspection-settings-save',
    entry: 'functions/http/inspection-settings-save.ts',
    description: 'Saves the inspection settings (targets, forbidden words and promises, greetings, closings, sampling; versioned)',
    http: [{ method: 'PUT', path: '/quality/inspection/settings', auth: SUPERVISORS, summary: 'Save inspection settings' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'inspection-rubric-save',
    entry: 'functions/http/inspection-rubric-save.ts',
    description: 'Saves a team’s scorecard as a new version (items, weights, pass mark)',
    http: [{ method: 'PUT', path: '/quality/inspection/rubrics/{teamId}', auth: SUPERVISORS, summary: 'Save a team scorecard' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'inspection-sample',
    entry: 'functions/http/inspection-sample.ts',
    description: 'The review sample of a period (share, automatic flags, low CSAT, SLA breaches)',
    http: [{ method: 'GET', path: '/quality/inspection/sample', auth: SUPERVISORS, summary: 'Review sample' }],
    access: { table: 'read' },
  },
  {
    name: 'inspection-get',
    entry: 'functions/http/inspection-get.ts',
    description: 'A conversation’s automatic inspection, its sample entry and review (its agent or a supervisor)',
    http: [{ method: 'GET', path: '/quality/inspection/conversations/{conversationId}', auth: AGENTS, summary: 'Inspection of a conversation' }],
    access: { table: 'read' },
  },
  {
    name: 'inspection-review',
    entry: 'functions/http/inspection-review.ts',
    description: 'A supervisor scores a sampled conversation with the team scorecard and comments',
    http: [{ method: 'POST', path: '/quality/inspection/conversations/{conversationId}/review', auth: SUPERVISORS, summary: 'Score a conversation' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'inspection-answer',
    entry: 'functions/http/inspection-answer.ts',
    description: 'The reviewed agent acknowledges or appeals a review',
    http: [{ method: 'POST', path: '/quality/inspection/conversations/{conversationId}/answer', auth: AGENTS, summary: 'Acknowledge or appeal a review' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'inspection-mine',
    entry: 'functions/http/inspection-mine.ts',
    description: 'The calling agent’s sampled and reviewed conversations',
    http: [{ method: 'GET', path: '/quality/inspection/mine', auth: AGENTS, summary: 'My inspection results' }],
    access: { table: 'read' },
  },
  {
    name: 'training-scenarios',
    entry: 'functions/http/training-scenarios.ts',
    description: 'The scenario training (情景模拟) library: titles and goals, not the model answers',
    http: [{ method: 'GET', path: '/quality/training/scenarios', auth: AGENTS, summary: 'Training scenarios' }],
    access: { table: 'read' },
  },
  {
    name: 'training-scenario-create',
    entry: 'functions/http/training-scenario-create.ts',
    description: 'A supervisor turns a past conversation into an anonymised training scenario',
    http: [{ method: 'POST', path: '/quality/training/scenarios', auth: SUPERVISORS, summary: 'Create a scenario from a conversation' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'training-session-start',
    entry: 'functions/http/training-session-start.ts',
    description: 'An agent starts an offline practice of a scenario (never touches shoppers or metrics)',
    http: [{ method: 'POST', path: '/quality/training/sessions', auth: AGENTS, summary: 'Start a practice' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'training-session-reply',
    entry: 'functions/http/training-session-reply.ts',
    description: 'The agent replies in a practice; the simulated shopper answers; the last reply scores it with a debrief',
    http: [{ method: 'POST', path: '/quality/training/sessions/{sessionId}/replies', auth: AGENTS, summary: 'Reply in a practice' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'training-scenario-write',
    entry: 'functions/http/training-scenario-write.ts',
    description: 'A supervisor writes a training scenario by hand (the shopper’s lines in order, optional key points per line)',
    http: [{ method: 'POST', path: '/quality/training/written-scenarios', auth: SUPERVISORS, summary: 'Write a scenario' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'training-progress',
    entry: 'functions/http/training-progress.ts',
    description: 'Training progress for supervisors: finished practices newest first (shop-wide or one team) and per agent',
    http: [{ method: 'GET', path: '/quality/training/progress', auth: SUPERVISORS, summary: 'Training progress' }],
    access: { table: 'read' },
  },
  {
    name: 'training-progress-mine',
    entry: 'functions/http/training-progress-mine.ts',
    description: 'The calling agent’s own training progress',
    http: [{ method: 'GET', path: '/quality/training/progress/mine', auth: AGENTS, summary: 'My training progress' }],
    access: { table: 'read' },
  },
  {
    name: 'inspection-sweep',
    entry: 'functions/schedule/inspection-sweep.ts',
    description: 'Automatic inspection (质检) of conversations marked by replies and closes, off the reply path; fills the review sample',
    schedule: 'rate(1 minute)',
    timeoutSeconds: 60,
    access: { table: 'readwrite' },
  },
  {
    name: 'quality-daily-digest',
    entry: 'functions/schedule/quality-digest.ts',
    description: 'After the shop’s midnight (its time zone): snapshots the backlog and writes yesterday’s quality digest',
    schedule: 'cron(5 * * * ? *)',
    timeoutSeconds: 60,
    access: { table: 'readwrite' },
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
    description: 'Socket messages: ping, subscribe, typing, read',
    ws: ['$default'],
    access: { table: 'readwrite', sockets: true },
  },
  {
    name: 'daily-maintenance',
    entry: 'functions/schedule/daily-maintenance.ts',
    description: 'Daily housekeeping: expired connection records',
    schedule: 'rate(1 day)',
    timeoutSeconds: 60,
    access: { settings: ['llm'], table: 'readwrite' },
  },
  {
    name: 'churn-members-list',
    entry: 'functions/http/churn-members-list.ts',
    description: 'Churn early-warning list: members by risk level, highest risk first, filterable by tier and reason',
    http: [{ method: 'GET', path: '/churn/members', auth: MARKETING_READERS, summary: 'Churn early-warning list' }],
    access: { table: 'read' },
  },
  {
    name: 'churn-settings',
    entry: 'functions/http/churn-settings.ts',
    description: 'Churn risk thresholds and the shop reference the scores compare against',
    http: [{ method: 'GET', path: '/churn/settings', auth: MARKETING_READERS, summary: 'Churn risk thresholds' }],
    access: { table: 'read' },
  },
  {
    name: 'churn-retention',
    entry: 'functions/http/churn-retention.ts',
    description: 'Churn model card (active model, backtest AUC, calibration by decile) and cohort retention, repurchase rate and churn-reason counts',
    http: [{ method: 'GET', path: '/churn/retention', auth: MARKETING_READERS, summary: 'Churn model card and cohort retention' }],
    access: { table: 'read' },
  },
  {
    name: 'churn-settings-save',
    entry: 'functions/http/churn-settings-save.ts',
    description: 'Sets the churn risk thresholds (versioned); levels follow at the next rescore',
    http: [{ method: 'PUT', path: '/churn/settings', auth: MARKETERS, summary: 'Set churn risk thresholds' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'churn-rescore-consumer',
    entry: 'functions/queue/churn-rescore-consumer.ts',
    description: 'Recomputes the churn score of a batch of contacts (daily run)',
    queue: { name: 'churn-rescore', batchSize: 10 },
    timeoutSeconds: 60,
    access: { table: 'readwrite' },
  },
  {
    name: 'churn-daily',
    entry: 'functions/schedule/churn-daily.ts',
    description:
      'Daily churn refresh: walks members by tier, queues rescores, updates the shop reference, refits the churn model on the gathered histories and stores cohort retention (resumes hourly)',
    schedule: 'rate(1 hour)',
    timeoutSeconds: 300,
    access: { table: 'readwrite', send: ['churn-rescore'] },
  },
  {
    name: 'segments-save',
    entry: 'functions/http/segments-save.ts',
    description: 'Creates or replaces a segment (versioned)',
    http: [{ method: 'PUT', path: '/segments/{segmentId}', auth: MARKETERS, summary: 'Save a segment' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'segments-list',
    entry: 'functions/http/segments-list.ts',
    description: 'Segments, and one segment',
    http: [
      { method: 'GET', path: '/segments', auth: MARKETING_READERS, summary: 'List segments' },
      { method: 'GET', path: '/segments/{segmentId}', auth: MARKETING_READERS, summary: 'Read a segment' },
    ],
    access: { table: 'read' },
  },
  {
    name: 'segments-preview',
    entry: 'functions/http/segments-preview.ts',
    description: 'Live count of a segment through its index (bounded read; exact below the budget)',
    http: [{ method: 'POST', path: '/segments/preview', auth: MARKETING_READERS, summary: 'Count a segment' }],
    timeoutSeconds: 20,
    access: { table: 'read' },
  },
  {
    name: 'campaigns-save',
    entry: 'functions/http/campaigns-save.ts',
    description: 'Creates a campaign draft or replaces one (versioned)',
    http: [
      { method: 'POST', path: '/campaigns', auth: MARKETERS, summary: 'Create a campaign draft' },
      { method: 'PUT', path: '/campaigns/{campaignId}', auth: MARKETERS, summary: 'Replace a campaign draft' },
    ],
    access: { table: 'readwrite' },
  },
  {
    name: 'coupon-pools',
    entry: 'functions/http/coupon-pools.ts',
    description: 'Coupon pools with their stock; a new pool (value, minimum order, expiry) with generated codes',
    http: [
      { method: 'GET', path: '/coupons/pools', auth: MARKETING_READERS, summary: 'List coupon pools and their stock' },
      { method: 'POST', path: '/coupons/pools', auth: MARKETERS, summary: 'Create a coupon pool' },
    ],
    access: { table: 'readwrite' },
  },
  {
    name: 'coupon-codes',
    entry: 'functions/http/coupon-codes.ts',
    description: 'Adds codes to a coupon pool from the shop’s CSV or by generating them (each code once)',
    http: [{ method: 'POST', path: '/coupons/pools/{poolId}/codes', auth: MARKETERS, summary: 'Import or generate coupon codes' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'campaigns-list',
    entry: 'functions/http/campaigns-list.ts',
    description: 'Campaigns newest first, and one campaign with its progress counters',
    http: [
      { method: 'GET', path: '/campaigns', auth: MARKETING_READERS, summary: 'List campaigns' },
      { method: 'GET', path: '/campaigns/{campaignId}', auth: MARKETING_READERS, summary: 'A campaign and its progress' },
    ],
    access: { table: 'read' },
  },
  {
    name: 'campaigns-status',
    entry: 'functions/http/campaigns-status.ts',
    description: 'Launch, pause, resume or cancel a campaign (versioned)',
    http: [{ method: 'POST', path: '/campaigns/{campaignId}/status', auth: MARKETERS, summary: 'Launch, pause, resume or cancel' }],
    access: { table: 'readwrite', send: ['campaign-fanout'] },
  },
  {
    name: 'campaigns-report',
    entry: 'functions/http/campaigns-report.ts',
    description: 'Campaign measurement: recall rate, revenue and uplift against the holdout with 95% intervals',
    http: [{ method: 'GET', path: '/campaigns/{campaignId}/report', auth: MARKETING_READERS, summary: 'Campaign report' }],
    timeoutSeconds: 60,
    access: { table: 'read' },
  },
  {
    name: 'campaign-fanout-consumer',
    entry: 'functions/queue/campaign-fanout-consumer.ts',
    description: 'Resolves a campaign audience page by page and queues the sends in batches',
    queue: { name: 'campaign-fanout', batchSize: 1 },
    timeoutSeconds: 300,
    access: { table: 'readwrite', send: ['campaign-sends', 'campaign-fanout'] },
  },
  {
    name: 'campaign-sends-consumer',
    entry: 'functions/queue/campaign-sends-consumer.ts',
    description: 'Sends a campaign to a batch of members exactly once (consent, caps, quiet hours, holdout)',
    queue: { name: 'campaign-sends', batchSize: 5 },
    timeoutSeconds: 60,
    access: { table: 'readwrite', sockets: true, send: ['campaign-sends'] },
  },
  {
    name: 'campaigns-tick',
    entry: 'functions/schedule/campaigns-tick.ts',
    description: 'Starts due scheduled campaigns, restarts stalled fan-outs, re-queues send batches whose messages were lost, completes finished campaigns',
    schedule: 'rate(1 minute)',
    timeoutSeconds: 60,
    access: { table: 'readwrite', send: ['campaign-fanout', 'campaign-sends'] },
  },
  {
    name: 'unsubscribe',
    entry: 'functions/http/unsubscribe.ts',
    description: 'One-click unsubscribe: signed link, confirm page (GET), unsubscribe (POST, RFC 8058)',
    http: [
      { method: 'GET', path: '/unsubscribe', auth: PUBLIC, summary: 'Unsubscribe confirmation page (signed link)' },
      { method: 'POST', path: '/unsubscribe', auth: PUBLIC, summary: 'Unsubscribe (signed link; RFC 8058 one-click)' },
    ],
    access: { table: 'readwrite' },
  },
  {
    name: 'widget-campaign-messages',
    entry: 'functions/http/widget-campaign-messages.ts',
    description: 'The shopper’s campaign messages (offers) for the widget',
    http: [{ method: 'GET', path: '/widget/campaign-messages', auth: VISITOR, summary: 'My offers and messages' }],
    access: { table: 'read' },
  },
  {
    name: 'widget-campaign-consent',
    entry: 'functions/http/widget-campaign-consent.ts',
    description: 'A verified shopper’s marketing consent per channel',
    http: [{ method: 'GET', path: '/widget/marketing-consent', auth: VISITOR, summary: 'My marketing consent' }],
    access: { table: 'read' },
  },
  {
    name: 'widget-campaign-consent-save',
    entry: 'functions/http/widget-campaign-consent-save.ts',
    description: 'A verified shopper gives or withdraws marketing consent on a channel',
    http: [{ method: 'PUT', path: '/widget/marketing-consent', auth: VISITOR, summary: 'Give or withdraw marketing consent' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'campaigns-shop-consent',
    entry: 'functions/http/campaigns-shop-consent.ts',
    description: 'The shop reports marketing consent collected at sign-up or checkout (signed)',
    http: [{ method: 'POST', path: '/shop/consent', auth: SHOP, summary: 'Report marketing consent (signed)' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'widget-privacy-export',
    entry: 'functions/http/widget-privacy-export.ts',
    description: 'A verified shopper requests and follows an export of their own data',
    http: [
      { method: 'POST', path: '/widget/privacy/export', auth: VISITOR, summary: 'Request an export of my data' },
      { method: 'GET', path: '/widget/privacy/export/{taskId}', auth: VISITOR, summary: 'State of my export and its download link' },
    ],
    access: { table: 'readwrite', send: ['privacy-tasks'], attachments: 'read' },
  },
  {
    name: 'privacy-admin',
    entry: 'functions/http/privacy-admin.ts',
    description: 'Admin export or erasure of a contact’s data (tracked tasks)',
    http: [
      { method: 'POST', path: '/contacts/{contactId}/export', auth: ADMINS, summary: 'Export a contact’s data' },
      { method: 'POST', path: '/contacts/{contactId}/erase', auth: ADMINS, summary: 'Erase a contact’s data' },
      { method: 'GET', path: '/privacy-tasks/{taskId}', auth: ADMINS, summary: 'State of a privacy task (download link when done)' },
    ],
    access: { table: 'readwrite', send: ['privacy-tasks'], attachments: 'read' },
  },
  {
    name: 'access-log',
    entry: 'functions/http/access-log.ts',
    description: 'Who read which contact’s personal data: search by staff member, contact or day; CSV export',
    http: [
      { method: 'GET', path: '/access-log', auth: ADMINS, summary: 'Search the personal-data access log (?staff, ?contactId, ?day)' },
      { method: 'GET', path: '/access-log/export.csv', auth: ADMINS, summary: 'The access log as CSV (same filters)' },
    ],
    access: { table: 'read' },
  },
  {
    name: 'access-log-settings',
    entry: 'functions/http/access-log-settings.ts',
    description: 'How long access-log entries are kept (versioned)',
    http: [
      { method: 'GET', path: '/access-log/settings', auth: ADMINS, summary: 'Read the access-log retention' },
      { method: 'PUT', path: '/access-log/settings', auth: ADMINS, summary: 'Change the access-log retention' },
    ],
    access: { table: 'readwrite' },
  },
  {
    name: 'merge-contacts',
    entry: 'functions/http/merge-contacts.ts',
    description: 'Merges a duplicate contact into another: conversations and tickets follow, a MERGED redirect stays',
    http: [{ method: 'POST', path: '/contacts/{contactId}/merge', auth: AGENTS, summary: 'Merge this contact into another' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'care-daily',
    entry: 'functions/schedule/care-daily.ts',
    description: 'Care messages (birthday, anniversary, after delivery, first order) from today’s index partitions; hourly, once per occasion',
    schedule: 'rate(1 hour)',
    timeoutSeconds: 120,
    access: { table: 'readwrite', sockets: true },
  },
  {
    name: 'logistics-nudge',
    entry: 'functions/schedule/logistics-nudge.ts',
    description: '催单: quiet shipments and late dispatches get one care message, then a ticket for the logistics team; hourly, once per stall',
    schedule: 'rate(1 hour)',
    timeoutSeconds: 120,
    access: { settings: ['wecom'], table: 'readwrite', sockets: true, send: ['sla-timers'] },
  },
  {
    name: 'logistics-settings',
    entry: 'functions/http/logistics-settings.ts',
    description: '催单 thresholds: hours without a trace step before a care message and a ticket, per carrier; dispatch promise (versioned)',
    http: [
      { method: 'GET', path: '/logistics/settings', auth: ADMINS, summary: 'Read the 催单 thresholds' },
      { method: 'PUT', path: '/logistics/settings', auth: ADMINS, summary: 'Change the 催单 thresholds' },
    ],
    access: { table: 'readwrite' },
  },
  {
    name: 'privacy-consumer',
    entry: 'functions/queue/privacy-consumer.ts',
    description: 'Runs export and erasure tasks through the access patterns (resumable, idempotent)',
    queue: { name: 'privacy-tasks', batchSize: 1 },
    timeoutSeconds: 120,
    access: { table: 'readwrite', attachments: 'readwrite' },
  },
  {
    name: 'webhooks-dispatch',
    entry: 'functions/schedule/webhooks-dispatch.ts',
    description: 'Drains pending outbox events into webhook deliveries',
    schedule: 'rate(1 minute)',
    timeoutSeconds: 60,
    access: { table: 'readwrite', send: ['webhooks'] },
  },
  {
    name: 'webhook-consumer',
    entry: 'functions/queue/webhook-consumer.ts',
    description: 'POSTs one signed event to the shop (public https only, pinned address, no redirects, 5 s)',
    queue: { name: 'webhooks', batchSize: 5 },
    timeoutSeconds: 30,
    access: { table: 'readwrite', send: ['webhooks'] },
  },
  {
    name: 'webhook-deliveries',
    entry: 'functions/http/webhook-deliveries.ts',
    description: 'Outbound webhook delivery log, newest first',
    http: [{ method: 'GET', path: '/webhooks/deliveries', auth: ADMINS, summary: 'Webhook delivery log' }],
    access: { table: 'read' },
  },
  {
    name: 'webhook-retry',
    entry: 'functions/http/webhook-retry.ts',
    description: 'Sends a failed (or URL-less) webhook delivery again with a fresh attempt number',
    http: [{ method: 'POST', path: '/webhooks/deliveries/{deliveryId}/retry', auth: ADMINS, summary: 'Retry a webhook delivery' }],
    access: { table: 'readwrite', send: ['webhooks'] },
  },
  {
    name: 'webhook-test',
    entry: 'functions/http/webhook-test.ts',
    description: 'Sends a webhook.test event through the outbox and the webhooks queue',
    http: [{ method: 'POST', path: '/webhooks/test', auth: ADMINS, summary: 'Send a test webhook event' }],
    access: { table: 'readwrite', send: ['webhooks'] },
  },
  {
    name: 'webhook-secret-rotate',
    entry: 'functions/http/webhook-secret-rotate.ts',
    description: 'Replaces the shop’s webhook signing secret; the new one is returned once',
    http: [{ method: 'POST', path: '/webhooks/secret/rotate', auth: ADMINS, summary: 'Rotate the webhook signing secret' }],
    access: { table: 'readwrite' },
  },
  {
    name: 'shop-settings-get',
    entry: 'functions/http/shop-settings-get.ts',
    description: 'The shop’s settings with masked secrets and their version',
    http: [{ method: 'GET', path: '/shop-settings', auth: ADMINS, summary: 'Read the shop settings' }],
    access: { table: 'read' },
  },
  {
    name: 'shop-settings-put',
    entry: 'functions/http/shop-settings-put.ts',
    description: 'Changes the shop’s name, bot, assign-on-reply, retention and webhook URL (versioned)',
    http: [{ method: 'PUT', path: '/shop-settings', auth: ADMINS, summary: 'Save the shop settings' }],
    access: { table: 'readwrite' },
  },
] as const satisfies readonly FunctionDef[];

/** Every function of Kefu. */
export const functions: readonly FunctionDef[] = FUNCTIONS;

type DeclaredFunction = (typeof FUNCTIONS)[number];
/** The name of a manifest function with HTTP routes. */
export type HttpFunctionName = Extract<DeclaredFunction, { http: readonly unknown[] }>['name'];
/** Who calls a function's routes (`public`, `visitor`, `staff`, `shop`), from its manifest entry. */
export type AuthKindOf<N extends HttpFunctionName> = Extract<DeclaredFunction, { name: N }>['http'][number]['auth']['kind'];
/** The name of a manifest function that consumes a queue. */
export type QueueFunctionName = Extract<DeclaredFunction, { queue: object }>['name'];
/** The queue a consumer function reads, from its manifest entry. */
export type QueueOf<N extends QueueFunctionName> = Extract<DeclaredFunction, { name: N }>['queue']['name'];

/** Timeout of the function that consumes a queue (the queue's visibility timeout is 6× this). */
export function consumerTimeout(queue: QueueName): number {
  const consumer = functions.find((f) => f.queue?.name === queue);
  return consumer?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
}

/** SQS visibility timeout: AWS recommends ≥ 6× the consumer's timeout plus its batching window. */
export function visibilityTimeout(queue: QueueName): number {
  const window = functions.find((f) => f.queue?.name === queue)?.queue?.maxBatchingWindowSeconds ?? 0;
  return consumerTimeout(queue) * 6 + window;
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
