/**
 * DynamoDB side of WeChat customer service: who a WeChat customer is here (`WECOM#{kf}#{user}` /
 * `CUSTOMER` → contact and current conversation), which platform messages were taken in
 * (`WECOMMSG#{msgid}`: the claim that makes callbacks and repeated pulls idempotent), each
 * account's `sync_msg` cursor, the customer a conversation talks to with their last message time
 * (`CONV#{id}` / `WECOM`, for replies and the 48-hour window), and the messages sent back
 * (`WECOMOUT#{id}`).
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Key, keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

const conditionFailed = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

async function getItem(key: Key): Promise<Record<string, unknown> | undefined> {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item;
}

async function putNew(item: Record<string, unknown>): Promise<boolean> {
  try {
    await db().send(new PutCommand({ TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** A WeChat customer as Kefu knows them: one contact per external_userid and account. */
export interface WecomCustomer {
  openKfId: string;
  externalUserId: string;
  contactId: string;
  /** The conversation their messages go to while it is not resolved. */
  conversationId?: string;
}

export async function getCustomer(openKfId: string, externalUserId: string): Promise<WecomCustomer | undefined> {
  const item = await getItem(keys.wecomCustomer(openKfId, externalUserId));
  if (!item) return undefined;
  const conversationId = str(item.conversationId);
  return { openKfId, externalUserId, contactId: String(item.contactId), ...(conversationId ? { conversationId } : {}) };
}

/** Records a new customer; false when a concurrent message recorded them first. */
export function addCustomer(customer: WecomCustomer, at: string): Promise<boolean> {
  return putNew({ ...keys.wecomCustomer(customer.openKfId, customer.externalUserId), entity: 'wecom-customer', ...customer, createdAt: at, updatedAt: at });
}

/** Points the identity at another contact (the one it was merged into, or a new one after an erasure). */
export async function setCustomerContact(openKfId: string, externalUserId: string, contactId: string, at: string): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.wecomCustomer(openKfId, externalUserId),
      UpdateExpression: 'SET contactId = :c, updatedAt = :at',
      ExpressionAttributeValues: { ':c': contactId, ':at': at },
    }),
  );
}

/** Points the customer's next messages at a conversation. */
export async function setCustomerConversation(openKfId: string, externalUserId: string, conversationId: string, at: string): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.wecomCustomer(openKfId, externalUserId),
      UpdateExpression: 'SET conversationId = :c, updatedAt = :at',
      ExpressionAttributeValues: { ':c': conversationId, ':at': at },
    }),
  );
}

/** Why a platform message is known: it opened a conversation or was added to one. */
export interface MsgClaim {
  msgid: string;
  conversationId: string;
  role: 'opened' | 'reply';
}

export async function getMsgClaim(msgid: string): Promise<MsgClaim | undefined> {
  const item = await getItem(keys.wecomMessage(msgid));
  return item ? { msgid, conversationId: String(item.conversationId), role: item.role === 'opened' ? 'opened' : 'reply' } : undefined;
}

/** Claims a platform message for a conversation; false when it was claimed first. */
export function claimMsg(claim: MsgClaim, at: string): Promise<boolean> {
  return putNew({ ...keys.wecomMessage(claim.msgid), entity: 'wecom-msg', ...claim, at });
}

export async function getCursor(openKfId: string): Promise<string | undefined> {
  return str((await getItem(keys.wecomCursor(openKfId)))?.cursor);
}

export async function saveCursor(openKfId: string, cursor: string, at: string): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.wecomCursor(openKfId), entity: 'wecom-cursor', cursor, at } }));
}

/** The WeChat customer of a conversation and when they last wrote. */
export interface ConversationLink {
  conversationId: string;
  openKfId: string;
  externalUserId: string;
  lastInboundAt?: string;
}

/**
 * Links a conversation to its customer and moves their last-message time forward (never back: a
 * repeated pull of an older message leaves it). Written before the message, so a reply the bot
 * sends for it finds the customer and an open window.
 */
export async function touchConversationLink(link: Omit<ConversationLink, 'lastInboundAt'>, lastInboundAt: string): Promise<void> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.wecomConversation(link.conversationId),
        UpdateExpression: 'SET entity = :e, openKfId = :k, externalUserId = :u, lastInboundAt = :t',
        ConditionExpression: 'attribute_not_exists(lastInboundAt) OR lastInboundAt < :t',
        ExpressionAttributeValues: { ':e': 'wecom-conversation', ':k': link.openKfId, ':u': link.externalUserId, ':t': lastInboundAt },
      }),
    );
  } catch (error) {
    if (!conditionFailed(error)) throw error;
  }
}

export async function getConversationLink(conversationId: string): Promise<ConversationLink | undefined> {
  const item = await getItem(keys.wecomConversation(conversationId));
  if (!item) return undefined;
  const lastInboundAt = str(item.lastInboundAt);
  return { conversationId, openKfId: String(item.openKfId), externalUserId: String(item.externalUserId), ...(lastInboundAt ? { lastInboundAt } : {}) };
}

/**
 * A bot or agent message to a WeChat customer: `pending` while it goes out, then `sent`, `failed`,
 * `outside_window` (the 48-hour window had closed: not sent) or `not_configured` (no Secret).
 */
export interface WecomReply {
  replyId: string;
  conversationId: string;
  messageId: string;
  openKfId: string;
  externalUserId: string;
  status: 'pending' | 'sent' | 'failed' | 'outside_window' | 'not_configured';
  createdAt: string;
}

/** Records a message's reply once (false when it exists: a repeated hook sends nothing). */
export function addReply(reply: WecomReply): Promise<boolean> {
  return putNew({ ...keys.wecomReply(reply.replyId), entity: 'wecom-reply', ...reply });
}

export async function finishReply(
  replyId: string,
  patch: { status: WecomReply['status']; platformMsgIds?: string[]; lastError?: string; at: string },
): Promise<void> {
  const set = ['#s = :s', 'updatedAt = :at', ...(patch.platformMsgIds?.length ? ['platformMsgIds = :m'] : []), ...(patch.lastError ? ['lastError = :e'] : [])];
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.wecomReply(replyId),
      UpdateExpression: `SET ${set.join(', ')}`,
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: {
        ':s': patch.status,
        ':at': patch.at,
        ...(patch.platformMsgIds?.length ? { ':m': patch.platformMsgIds } : {}),
        ...(patch.lastError ? { ':e': patch.lastError } : {}),
      },
    }),
  );
}

export async function getReply(replyId: string): Promise<Record<string, unknown> | undefined> {
  return getItem(keys.wecomReply(replyId));
}
