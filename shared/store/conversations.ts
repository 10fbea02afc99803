import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AttachmentRef } from '#shared/attachments.ts';
import { badRequest } from '#shared/http/errors.ts';
import { pastRetention, RETENTION_MARKER, retentionTtl } from '#shared/privacy/retention.ts';
import { keys } from '#shared/store/keys.ts';
import { applyReads, HIDDEN_COUNTERS, marksFromItems, type ReadMarks, readMarksOfMany } from '#shared/store/read-state.ts';
import { db, tableName } from '#shared/store/table.ts';
import { type ListingStatus, listingStatus } from './listing.ts';

export {
  appendMessage,
  appendMessageWithRetry,
  createConversation,
  updateConversation,
} from '#shared/store/conversation-writes.ts';
export { markRead } from '#shared/store/read-state.ts';

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
  /** The message the header last moved for (a retry of a half-done append checks it; see conversation-writes.ts). */
  lastMessageId?: string;
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
export function messageItem(conversation: Pick<Conversation, 'conversationId' | 'retentionDays'>, message: Message): Record<string, unknown> {
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

const STRIP = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'ttl', ...HIDDEN_COUNTERS]);
function clean<T>(item: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !STRIP.has(k))) as T;
}

/** A stored header as readers see it: read marks applied, store-only counts stripped. */
export function fromHeader(item: Record<string, unknown>, reads: ReadMarks): Conversation {
  return applyReads(clean<Conversation>(item), item, reads);
}

/** Reads a conversation header with both sides' read marks (one Query: they sort right after it). */
export async function getConversation(conversationId: string, consistent = false): Promise<Conversation | undefined> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':pk': keys.conversation(conversationId).pk, ':s': keys.conversationHeaderPrefix() },
      ConsistentRead: consistent,
    }),
  );
  const items = res.Items ?? [];
  const header = items.find((i) => i.sk === keys.conversation(conversationId).sk);
  return header ? fromHeader(header, marksFromItems(items)) : undefined;
}

/** Conversations listed from an index, with their read marks (one BatchGetItem per page). */
async function withReads(items: Record<string, unknown>[]): Promise<Conversation[]> {
  if (!items.length) return [];
  const marks = await readMarksOfMany(items.map((i) => String(i.conversationId)));
  return items.map((i) => fromHeader(i, marks.get(String(i.conversationId)) ?? {}));
}

export async function getMessage(conversationId: string, messageId: string): Promise<Message | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.message(conversationId, messageId), ConsistentRead: true }));
  return res.Item ? readMessage(res.Item, new Date()) : undefined;
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
  return withReads(res.Items ?? []);
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
  return { items: await withReads(res.Items ?? []), cursor: encodeCursor(res.LastEvaluatedKey) };
}
