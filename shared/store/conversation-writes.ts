/**
 * The conversation write path (issue 15): creating a conversation, appending a message, changing
 * what the inbox lists by. No transactions; see docs/data-model.md ("The write path"). Imported
 * through shared/store/conversations.ts, which re-exports everything here.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conflict, notFound } from '#shared/http/errors.ts';
import { headerUpdate, listingUpdate } from '#shared/store/conversation-header.ts';
import {
  type Conversation,
  conversationItem,
  fromHeader,
  getConversation,
  getMessage,
  type Message,
  messageItem,
  previewOf,
} from '#shared/store/conversations.ts';
import { keys } from '#shared/store/keys.ts';
import { type ReadMarks, readMarksOf, readMarksOfMany } from '#shared/store/read-state.ts';
import { db, tableName } from '#shared/store/table.ts';

/**
 * Creates a conversation with its first message, without a transaction, guarded by the client
 * message id: the guard (naming the conversation and message ids) is claimed first, then the header
 * and the message are put only if absent. The same request twice yields the first conversation
 * (`created: false`); a retry after a half-done first attempt completes it under the guard's ids,
 * and exactly one attempt reports `created` (the one whose message put landed).
 */
export async function createConversation(
  conversation: Conversation,
  message: Message,
): Promise<{ conversation: Conversation; message: Message; created: boolean }> {
  const guard = message.clientMessageId;
  let header = conversation;
  let first = message;
  if (guard) {
    try {
      await db().send(
        new PutCommand({
          TableName: tableName(),
          Item: { ...keys.clientConversation(conversation.contactId, guard), conversationId: conversation.conversationId, messageId: message.messageId },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const prior = await db().send(
        new GetCommand({ TableName: tableName(), Key: keys.clientConversation(conversation.contactId, guard), ConsistentRead: true }),
      );
      if (!prior.Item) throw error;
      const conversationId = String(prior.Item.conversationId);
      header = { ...conversation, conversationId };
      first = { ...message, conversationId, messageId: String(prior.Item.messageId) };
    }
  }
  // the header names its first message, so a resend of it into the conversation is known as moved for
  header = { ...header, lastMessageId: first.messageId };
  try {
    await db().send(new PutCommand({ TableName: tableName(), Item: conversationItem(header), ConditionExpression: 'attribute_not_exists(pk)' }));
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    header = (await getConversation(header.conversationId, true)) ?? header;
  }
  if (guard) {
    await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.clientMessage(header.conversationId, guard), messageId: first.messageId } }));
  }
  try {
    await db().send(new PutCommand({ TableName: tableName(), Item: messageItem(header, first), ConditionExpression: 'attribute_not_exists(pk)' }));
    return { conversation: header, message: first, created: true };
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    const stored = await getMessage(header.conversationId, first.messageId);
    if (!stored) throw error;
    return { conversation: header, message: stored, created: false };
  }
}

/** Reads one message. */
/**
 * Writes a message item once: a client message id first claims its guard (which names the message
 * id and time), then the message is put only if absent. A retry of the same client message id
 * finds the guard and writes the message under the guard's id if the first attempt never did, so
 * exactly one of the attempts stores it (`created`) and the others return what is stored.
 */
async function putMessageOnce(conversation: Conversation, built: Message): Promise<{ message: Message; created: boolean }> {
  let message = built;
  const guard = message.clientMessageId;
  if (guard) {
    try {
      await db().send(
        new PutCommand({
          TableName: tableName(),
          Item: { ...keys.clientMessage(conversation.conversationId, guard), messageId: message.messageId, createdAt: message.createdAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const prior = await db().send(
        new GetCommand({ TableName: tableName(), Key: keys.clientMessage(conversation.conversationId, guard), ConsistentRead: true }),
      );
      if (!prior.Item) throw error;
      // Guards written before the message carried its time only ever named a stored message.
      message = { ...message, messageId: String(prior.Item.messageId), createdAt: String(prior.Item.createdAt ?? message.createdAt) };
    }
  }
  try {
    await db().send(new PutCommand({ TableName: tableName(), Item: messageItem(conversation, message), ConditionExpression: 'attribute_not_exists(pk)' }));
    return { message, created: true };
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    const stored = await getMessage(conversation.conversationId, message.messageId);
    if (!stored) throw error;
    return { message: stored, created: false };
  }
}

/** The header state a message (and the caller's patch) leads to, from the header as read. */
function afterMessage(conversation: Conversation, message: Message, patch: (c: Conversation) => Partial<Conversation>): Conversation {
  const fromVisitor = message.author.kind === 'visitor';
  const reopen = fromVisitor && conversation.status !== 'open';
  const agentTookOver = message.author.kind === 'agent' && !message.internal && conversation.bot?.active;
  const base: Conversation = message.internal
    ? { ...conversation }
    : {
        ...conversation,
        status: reopen ? 'open' : conversation.status,
        lastMessagePreview: previewOf(message.text || (message.attachments ?? []).map((a) => `📎 ${a.fileName}`).join(' ')),
      };
  // An agent's public reply takes over from the bot: it stops answering, and the conversation moves
  // from the bot view to the agents' open ones (see shared/store/listing.ts).
  const withBot: Conversation = agentTookOver ? { ...base, bot: { ...conversation.bot!, active: false, outcome: 'handed_off' } } : base;
  // An agent's public reply in a staff-only thread is written to the shopper: from now on they see it.
  if (withBot.staffOnly && message.author.kind === 'agent' && !message.internal) delete withBot.staffOnly;
  return { ...withBot, ...patch(withBot) };
}

/** The read marks behind a conversation the store returned, or read (one BatchGetItem) for one built elsewhere. */
async function marksFor(conversation: Conversation): Promise<ReadMarks> {
  return readMarksOf(conversation) ?? (await readMarksOfMany([conversation.conversationId])).get(conversation.conversationId) ?? {};
}

/** Reads the header again after a failed condition (strongly consistent), keeping the read marks known. */
async function reread(conversation: Conversation): Promise<Conversation> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.conversation(conversation.conversationId), ConsistentRead: true }));
  if (!res.Item) throw notFound('conversation');
  return fromHeader(res.Item, await marksFor(conversation));
}

/** Whether the header already moved for a message (it names it, or a later message moved it since). */
function movedFor(header: Conversation, message: Message): boolean {
  return header.lastMessageId === message.messageId || header.lastMessageAt > message.createdAt;
}

/**
 * Appends a message: the message item written once (no transaction; see putMessageOnce), then the
 * header moved by one UpdateItem whose parts commute (shared/store/conversation-header.ts), so the
 * bot and the shopper writing at once never conflict. A repeated client message id returns the
 * stored message (`created: false`). Internal notes touch neither the preview nor the counters.
 * Only a listing change made since `conversation` was read (an assignment, a status change, a
 * hand-off) makes the header update read again and re-apply the patch to the fresh state.
 */
export async function appendMessage(
  conversation: Conversation,
  message: Message,
  patch: (c: Conversation) => Partial<Conversation> = () => ({}),
): Promise<{ message: Message; conversation: Conversation; created: boolean }> {
  const written = await putMessageOnce(conversation, message);
  let before = conversation;
  if (!written.created) {
    if (written.message.internal) return { message: written.message, conversation, created: false };
    // A first attempt that stored the message and stopped before the header moved (a crash, a
    // timeout) left the inbox, the bot and the pushes unaware of it. The retry of the same client
    // message id finishes that job — once: the header records the last message it moved for.
    before = await reread(conversation);
    if (movedFor(before, written.message)) return { message: written.message, conversation: before, created: false };
  }
  const mine = written.message;
  let activity = !mine.internal;
  for (let attempt = 0; attempt < 10; attempt++) {
    const next = afterMessage(before, mine, patch);
    const update = headerUpdate(before, next, mine, activity);
    if (!update) return { message: mine, conversation: before, created: true };
    try {
      const res = await db().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.conversation(conversation.conversationId),
          ...update,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { message: mine, conversation: fromHeader(res.Attributes ?? {}, await marksFor(before)), created: true };
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      before = await reread(before);
      // another attempt of this very message moved the header first (a retry that repaired it)
      if (activity && before.lastMessageId === mine.messageId) return { message: mine, conversation: before, created: false };
      if (activity && before.lastMessageAt > mine.createdAt) activity = false;
    }
  }
  throw conflict({ en: 'the conversation changed at the same time; retry', zh: '会话正在被同时修改，请重试' });
}

/**
 * Appends a message built from the conversation (kept for callers written when header races
 * needed retries: appendMessage now settles them itself, without writing the message twice).
 */
export async function appendMessageWithRetry(
  current: Conversation,
  build: (conversation: Conversation) => Message,
  patch?: (c: Conversation) => Partial<Conversation>,
): Promise<{ message: Message; conversation: Conversation; created: boolean }> {
  return appendMessage(current, build(current), patch);
}

/**
 * Changes status, assignee or bot state (what the inbox lists by) with optimistic concurrency: one
 * UpdateItem of the changed attributes and the index keys they move, only if neither the version
 * nor the activity changed since the read. A change that changes nothing writes nothing.
 */
export async function updateConversation(
  conversationId: string,
  change: (
    c: Conversation,
  ) => Partial<Pick<Conversation, 'status' | 'assignee' | 'unreadByAgent' | 'unreadByVisitor' | 'readByAgent' | 'readByVisitor' | 'bot'>>,
  attempts = 3,
): Promise<Conversation | undefined> {
  for (let i = 0; i < attempts; i++) {
    const current = await getConversation(conversationId, i > 0);
    if (!current) return undefined;
    const patch = change(current);
    if (!Object.keys(patch).length) return current;
    const next: Conversation = { ...current, ...patch, version: current.version + 1 };
    if ('assignee' in patch && patch.assignee === undefined) delete next.assignee;
    try {
      const res = await db().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.conversation(conversationId),
          ...listingUpdate(current, next, patch as Record<string, unknown>),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromHeader(res.Attributes ?? {}, await marksFor(current));
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
  throw conflict({ en: 'the conversation is being changed by someone else; reload and retry', zh: '会话正在被他人修改，请重新加载后重试' });
}
