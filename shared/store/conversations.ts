import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AttachmentRef } from '#shared/attachments.ts';
import { badRequest, conflict } from '#shared/http/errors.ts';
import { pastRetention, RETENTION_MARKER, retentionTtl } from '#shared/privacy/retention.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import { type ListingStatus, listingStatus } from './listing.ts';

export type ConversationChannel = 'chat' | 'email' | 'phone' | 'web_form' | 'api' | 'wechat';
export type ConversationStatus = 'open' | 'pending' | 'resolved';
export type AuthorKind = 'visitor' | 'agent' | 'bot' | 'system';

export interface Conversation {
  conversationId: string;
  contactId: string;
  status: ConversationStatus;
  /** The thread's channel: chat, or the channel of the ticket that opened it (see shared/tickets). */
  channel: ConversationChannel;
  assignee?: { sub: string; name: string };
  contactName?: string;
  verified: boolean;
  page?: { url: string; title?: string };
  lastMessageAt: string;
  lastMessagePreview: string;
  unreadByAgent: number;
  unreadByVisitor: number;
  readByAgent?: string;
  readByVisitor?: string;
  offline?: { email: string; name?: string };
  /** The bot's state while it serves the conversation (see shared/bot). */
  bot?: BotConversationState;
  /** The ticket this thread belongs to, once a ticket links it (set with the ticket, never changed). */
  ticketId?: string;
  /** The shop's transcript retention when the conversation started: its messages carry a TTL. */
  retentionDays?: number;
  /**
   * A thread the team opened for itself (a survey follow-up ticket): the shopper does not see it —
   * not listed, not readable, no socket frames — until an agent writes to them in it.
   */
  staffOnly?: boolean;
  createdAt: string;
  version: number;
}

export interface BotConversationState {
  active: boolean;
  turns: number;
  fallbacks: number;
  /** LLM tokens spent (budgeted per conversation). */
  tokens?: number;
  outcome?: 'resolved_by_bot' | 'handed_off' | 'abandoned';
  /** `summary` in the agents' language; `summaryText` the same sentences in both languages (newer hand-offs). */
  handoff?: { reason: string; summary: string; summaryText?: { 'zh-CN': string; en: string }; team: string; priority: string; at: string };
}

export interface Message {
  messageId: string;
  conversationId: string;
  clientMessageId?: string;
  author: { kind: AuthorKind; name?: string; sub?: string };
  text: string;
  internal: boolean;
  createdAt: string;
  /** Files uploaded through pre-signed URLs (see shared/attachments.ts). */
  attachments?: AttachmentRef[];
  /** Bot extras the apps render as links and buttons (article ids, suggested actions). */
  meta?: { articles?: { id: string; title: string }[]; actions?: ('helpful' | 'not_helpful' | 'human')[] };
  /** Set on reads of a message past the transcript retention (its text is the marker). */
  removedByRetention?: boolean;
}

/** A message item with its retention TTL (when the conversation has a retention period). */
function messageItem(conversation: Pick<Conversation, 'conversationId' | 'retentionDays'>, message: Message): Record<string, unknown> {
  const ttl = retentionTtl(message.createdAt, conversation.retentionDays);
  return { ...keys.message(conversation.conversationId, message.messageId), ...message, ...(ttl ? { ttl } : {}) };
}

/** A stored message as readers see it: past its retention TTL only a marker remains. */
function readMessage(item: Record<string, unknown>, now: Date): Message {
  const message = clean<Message>(item);
  if (!pastRetention(item.ttl, now)) return message;
  return {
    messageId: message.messageId,
    conversationId: message.conversationId,
    author: { kind: message.author.kind },
    text: RETENTION_MARKER,
    internal: message.internal,
    createdAt: message.createdAt,
    removedByRetention: true,
  };
}

const PREVIEW_CHARS = 140;

/** The text shown in inbox rows: first line, trimmed. */
export function previewOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat;
}

/** The full item of a conversation header with its index keys (for callers that write it in their own transaction). */
export function conversationItem(c: Conversation): Record<string, unknown> {
  return { ...keys.conversation(c.conversationId), ...indexKeys(c), ...c };
}

/** Giving a conversation to a person takes it from the bot (it stops answering): the patch for that. */
export function assignPatch(c: Conversation, assignee: Conversation['assignee']): Partial<Conversation> {
  return assignee && c.bot?.active ? { assignee, bot: { ...c.bot, active: false, outcome: 'handed_off' } } : { assignee };
}

function indexKeys(c: Conversation) {
  const listed = listingStatus(c);
  return {
    ...keys.conversationOfContact(c.contactId, c.createdAt, c.conversationId),
    ...keys.conversationByStatus(listed, c.lastMessageAt, c.conversationId),
    ...keys.conversationByAssignee(c.assignee?.sub, listed, c.lastMessageAt, c.conversationId),
  };
}

const STRIP = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'ttl']);
function clean<T>(item: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !STRIP.has(k))) as T;
}

/** Reads a conversation header. */
export async function getConversation(conversationId: string): Promise<Conversation | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.conversation(conversationId) }));
  return res.Item ? clean<Conversation>(res.Item) : undefined;
}

function isDuplicate(error: unknown): boolean {
  return (error as Error).name === 'TransactionCanceledException';
}

/**
 * Creates a conversation with its first message, atomically, guarded by the client message id:
 * the same request twice yields the first conversation (`created: false`).
 */
export async function createConversation(
  conversation: Conversation,
  message: Message,
): Promise<{ conversation: Conversation; message: Message; created: boolean }> {
  const guard = message.clientMessageId;
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          ...(guard
            ? [
                {
                  Put: {
                    TableName: tableName(),
                    Item: {
                      ...keys.clientConversation(conversation.contactId, guard),
                      conversationId: conversation.conversationId,
                      messageId: message.messageId,
                    },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
                {
                  Put: {
                    TableName: tableName(),
                    Item: { ...keys.clientMessage(conversation.conversationId, guard), messageId: message.messageId },
                  },
                },
              ]
            : []),
          { Put: { TableName: tableName(), Item: { ...keys.conversation(conversation.conversationId), ...indexKeys(conversation), ...conversation } } },
          { Put: { TableName: tableName(), Item: messageItem(conversation, message) } },
        ],
      }),
    );
    return { conversation, message, created: true };
  } catch (error) {
    if (!guard || !isDuplicate(error)) throw error;
    const prior = await db().send(
      new GetCommand({ TableName: tableName(), Key: keys.clientConversation(conversation.contactId, guard), ConsistentRead: true }),
    );
    const existing = prior.Item && (await getConversation(prior.Item.conversationId as string));
    const first = prior.Item && (await getMessage(prior.Item.conversationId as string, prior.Item.messageId as string));
    if (!existing || !first) throw error;
    return { conversation: existing, message: first, created: false };
  }
}

/** Reads one message. */
export async function getMessage(conversationId: string, messageId: string): Promise<Message | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.message(conversationId, messageId), ConsistentRead: true }));
  return res.Item ? readMessage(res.Item, new Date()) : undefined;
}

/**
 * Appends a message and updates the conversation header (preview, activity, unread count) in one
 * transaction. A repeated client message id returns the original message (`created: false`).
 * Internal notes touch neither the preview nor the shopper-visible counters.
 */
export async function appendMessage(
  conversation: Conversation,
  message: Message,
  patch: (c: Conversation) => Partial<Conversation> = () => ({}),
): Promise<{ message: Message; conversation: Conversation; created: boolean }> {
  const fromVisitor = message.author.kind === 'visitor';
  const reopen = fromVisitor && conversation.status !== 'open';
  const agentTookOver = message.author.kind === 'agent' && !message.internal && conversation.bot?.active;
  const base: Conversation = message.internal
    ? { ...conversation, version: conversation.version + 1 }
    : {
        ...conversation,
        status: reopen ? 'open' : conversation.status,
        lastMessageAt: message.createdAt,
        lastMessagePreview: previewOf(message.text || (message.attachments ?? []).map((a) => `📎 ${a.fileName}`).join(' ')),
        unreadByAgent: fromVisitor ? conversation.unreadByAgent + 1 : 0,
        unreadByVisitor: fromVisitor ? 0 : conversation.unreadByVisitor + 1,
        version: conversation.version + 1,
      };
  // An agent's public reply takes over from the bot: it stops answering, and the conversation moves
  // from the bot view to the agents' open ones (see shared/store/listing.ts).
  const withBot: Conversation = agentTookOver ? { ...base, bot: { ...conversation.bot!, active: false, outcome: 'handed_off' } } : base;
  // An agent's public reply in a staff-only thread is written to the shopper: from now on they see it.
  if (withBot.staffOnly && message.author.kind === 'agent' && !message.internal) delete withBot.staffOnly;
  const next: Conversation = { ...withBot, ...patch(withBot) };
  const guard = message.clientMessageId;
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          ...(guard
            ? [
                {
                  Put: {
                    TableName: tableName(),
                    Item: { ...keys.clientMessage(conversation.conversationId, guard), messageId: message.messageId },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
              ]
            : []),
          { Put: { TableName: tableName(), Item: messageItem(conversation, message) } },
          {
            Put: {
              TableName: tableName(),
              Item: { ...keys.conversation(next.conversationId), ...indexKeys(next), ...next },
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: { ':v': conversation.version },
            },
          },
        ],
      }),
    );
    return { message, conversation: next, created: true };
  } catch (error) {
    if (!isDuplicate(error)) throw error;
    if (guard) {
      const prior = await db().send(
        new GetCommand({ TableName: tableName(), Key: keys.clientMessage(conversation.conversationId, guard), ConsistentRead: true }),
      );
      const original = prior.Item && (await getMessage(conversation.conversationId, prior.Item.messageId as string));
      if (original) return { message: original, conversation, created: false };
    }
    throw conflict({ en: 'the conversation changed at the same time; retry', zh: '会话正在被同时修改，请重试' });
  }
}

/**
 * Appends with retries when another writer raced for the conversation header: re-read and try
 * again after a short random pause that grows per attempt, so bursts (a shopper typing fast while
 * the bot answers) settle instead of failing.
 */
export async function appendMessageWithRetry(
  current: Conversation,
  build: (conversation: Conversation) => Message,
  patch?: (c: Conversation) => Partial<Conversation>,
  attempts = 8,
): Promise<{ message: Message; conversation: Conversation; created: boolean }> {
  let conversation: Conversation | undefined = current;
  for (let i = 0; ; i++) {
    if (!conversation) throw new Error(`conversation ${current.conversationId} vanished`);
    try {
      return await appendMessage(conversation, build(conversation), patch);
    } catch (error) {
      if (i + 1 >= attempts || (error as { status?: number }).status !== 409) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * (i + 1)));
      conversation = await getConversation(current.conversationId);
    }
  }
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}

/** Opaque cursor for a DynamoDB LastEvaluatedKey (string attributes only). */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

/** Decodes a client-supplied cursor; anything but a flat string map is refused. */
export function decodeCursor(cursor: string | undefined): Record<string, string> | undefined {
  if (!cursor) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (value && typeof value === 'object' && Object.values(value).every((v) => typeof v === 'string')) {
      return value as Record<string, string>;
    }
  } catch {
    /* fall through to the error below */
  }
  throw badRequest({
    en: 'cursor is not valid; pass back the cursor of the previous page unchanged',
    zh: '分页游标（cursor）无效，请原样传回上一页返回的 cursor',
  });
}

/**
 * A page of a thread, oldest → newest, ending before `before` (exclusive). Internal notes are
 * filtered out for shoppers; the loop keeps reading until the page is full.
 */
export async function listMessages(
  conversationId: string,
  options: { before?: string; limit: number; includeInternal: boolean },
): Promise<{ items: Message[]; nextBefore?: string }> {
  const items: Message[] = [];
  const now = new Date();
  let startKey: Record<string, unknown> | undefined;
  let exhausted = false;
  while (items.length < options.limit) {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: options.before ? 'pk = :pk AND sk BETWEEN :lo AND :hi' : 'pk = :pk AND begins_with(sk, :lo)',
        ExpressionAttributeValues: {
          ':pk': keys.conversation(conversationId).pk,
          ':lo': keys.messagePrefix(),
          ...(options.before ? { ':hi': keys.message(conversationId, options.before).sk } : {}),
          ...(options.includeInternal ? {} : { ':f': false }),
        },
        ...(options.includeInternal ? {} : { FilterExpression: 'internal = :f' }),
        ScanIndexForward: false,
        Limit: options.limit - items.length + 1,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of res.Items ?? []) {
      if (items.length < options.limit && item.messageId !== options.before) items.push(readMessage(item, now));
    }
    startKey = res.LastEvaluatedKey;
    if (!startKey) {
      exhausted = true;
      break;
    }
  }
  items.reverse();
  return { items, nextBefore: !exhausted && items.length > 0 ? items[0]!.messageId : undefined };
}

/** A contact's conversations, newest first. */
export async function listContactConversations(contactId: string, limit = 50): Promise<Conversation[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.contactConversationsPartition(contactId).gsi1pk },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (res.Items ?? []).map((i) => clean<Conversation>(i));
}

/** Inbox views: by status (gsi2) or by assignee and status (gsi3), newest activity first. */
export async function listInbox(
  view: { status: ListingStatus } | { assignee: string | undefined; status: ListingStatus },
  cursor: string | undefined,
  limit = 30,
): Promise<Page<Conversation>> {
  const byAssignee = 'assignee' in view;
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: byAssignee ? 'gsi3' : 'gsi2',
      KeyConditionExpression: byAssignee ? 'gsi3pk = :p AND begins_with(gsi3sk, :s)' : 'gsi2pk = :p',
      ExpressionAttributeValues: byAssignee
        ? { ':p': keys.assigneePartition(view.assignee).gsi3pk, ':s': `${view.status}#` }
        : { ':p': keys.statusPartition(view.status).gsi2pk },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  return { items: (res.Items ?? []).map((i) => clean<Conversation>(i)), cursor: encodeCursor(res.LastEvaluatedKey) };
}

/**
 * Changes status or assignee with optimistic concurrency: the write succeeds only if the version
 * read is still current; index keys are recomputed from the new state.
 */
export async function updateConversation(
  conversationId: string,
  change: (
    c: Conversation,
  ) => Partial<Pick<Conversation, 'status' | 'assignee' | 'unreadByAgent' | 'unreadByVisitor' | 'readByAgent' | 'readByVisitor' | 'bot'>>,
  attempts = 3,
): Promise<Conversation | undefined> {
  for (let i = 0; i < attempts; i++) {
    const current = await getConversation(conversationId);
    if (!current) return undefined;
    const patch = change(current);
    const next: Conversation = { ...current, ...patch, version: current.version + 1 };
    if ('assignee' in patch && patch.assignee === undefined) delete next.assignee;
    try {
      await db().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName(),
                Item: { ...keys.conversation(conversationId), ...indexKeys(next), ...next },
                ConditionExpression: 'version = :v',
                ExpressionAttributeValues: { ':v': current.version },
              },
            },
          ],
        }),
      );
      return next;
    } catch (error) {
      if (!isDuplicate(error)) throw error;
    }
  }
  throw conflict({ en: 'the conversation is being changed by someone else; reload and retry', zh: '会话正在被他人修改，请重新加载后重试' });
}

/** Records how far one side has read; resets that side's unread counter. */
export async function markRead(conversationId: string, side: 'agent' | 'visitor', messageId: string): Promise<void> {
  await db()
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.conversation(conversationId),
        UpdateExpression: `${side === 'agent' ? 'SET readByAgent = :m, unreadByAgent = :z' : 'SET readByVisitor = :m, unreadByVisitor = :z'} ADD version :one`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':m': messageId, ':z': 0, ':one': 1 },
      }),
    )
    .catch((error: Error) => {
      if (error.name !== 'ConditionalCheckFailedException') throw error;
    });
}
