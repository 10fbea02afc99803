/**
 * DynamoDB side of WeChat customer service: who a WeChat customer is here (`WECOM#{kf}#{user}` /
 * `CUSTOMER` → contact and current ticket), which platform messages were taken in (`WECOMMSG#{msgid}`,
 * the claim that makes callbacks and repeated pulls idempotent), each account's `sync_msg` cursor,
 * and the replies sent back (`WECOMOUT#{id}`).
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

/** A WeChat customer as Kefu knows them. */
export interface WecomCustomer {
  openKfId: string;
  externalUserId: string;
  contactId: string;
  /** The ticket their messages go to while it is not closed. */
  ticketId?: string;
}

export async function getCustomer(openKfId: string, externalUserId: string): Promise<WecomCustomer | undefined> {
  const item = await getItem(keys.wecomCustomer(openKfId, externalUserId));
  return item
    ? { openKfId, externalUserId, contactId: String(item.contactId), ...(typeof item.ticketId === 'string' ? { ticketId: item.ticketId } : {}) }
    : undefined;
}

/** Records a new customer; false when a concurrent message recorded them first. */
export function addCustomer(customer: WecomCustomer, at: string): Promise<boolean> {
  return putNew({ ...keys.wecomCustomer(customer.openKfId, customer.externalUserId), entity: 'wecom-customer', ...customer, createdAt: at });
}

/** Points the customer's next messages at a ticket, and notes when they last wrote (the 48-hour reply window). */
export async function setCustomerTicket(openKfId: string, externalUserId: string, ticketId: string, lastInboundAt: string): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.wecomCustomer(openKfId, externalUserId),
      UpdateExpression: 'SET ticketId = :t, lastInboundAt = :at',
      ExpressionAttributeValues: { ':t': ticketId, ':at': lastInboundAt },
    }),
  );
}

/** Why a platform message is known: it opened a ticket or was added to one. */
export interface MsgClaim {
  msgid: string;
  ticketId: string;
  role: 'opened' | 'reply';
}

export async function getMsgClaim(msgid: string): Promise<MsgClaim | undefined> {
  const item = await getItem(keys.wecomMessage(msgid));
  return item ? { msgid, ticketId: String(item.ticketId), role: item.role === 'opened' ? 'opened' : 'reply' } : undefined;
}

/** Claims a platform message for a ticket; false when it was claimed first. */
export function claimMsg(claim: MsgClaim, at: string): Promise<boolean> {
  return putNew({ ...keys.wecomMessage(claim.msgid), entity: 'wecom-msg', ...claim, at });
}

export async function getCursor(openKfId: string): Promise<string | undefined> {
  const item = await getItem(keys.wecomCursor(openKfId));
  return typeof item?.cursor === 'string' ? item.cursor : undefined;
}

export async function saveCursor(openKfId: string, cursor: string, at: string): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.wecomCursor(openKfId), entity: 'wecom-cursor', cursor, at } }));
}

/** A reply to a WeChat customer: `pending` while it goes out, then `sent`, `failed` or `not_configured`. */
export interface WecomReply {
  replyId: string;
  ticketId: string;
  messageId: string;
  openKfId: string;
  externalUserId: string;
  text: string;
  status: 'pending' | 'sent' | 'failed' | 'not_configured';
  createdAt: string;
}

/** Records a reply once (false when this message's reply already exists: a repeated hook sends nothing). */
export function addReply(reply: WecomReply): Promise<boolean> {
  return putNew({ ...keys.wecomReply(reply.replyId), entity: 'wecom-reply', ...reply });
}

export async function finishReply(
  replyId: string,
  patch: { status: WecomReply['status']; platformMsgId?: string; lastError?: string; at: string },
): Promise<void> {
  const names = { '#s': 'status' };
  const set = ['#s = :s', 'updatedAt = :at', ...(patch.platformMsgId ? ['platformMsgId = :m'] : []), ...(patch.lastError ? ['lastError = :e'] : [])];
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.wecomReply(replyId),
      UpdateExpression: `SET ${set.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: {
        ':s': patch.status,
        ':at': patch.at,
        ...(patch.platformMsgId ? { ':m': patch.platformMsgId } : {}),
        ...(patch.lastError ? { ':e': patch.lastError } : {}),
      },
    }),
  );
}

export async function getReply(replyId: string): Promise<Record<string, unknown> | undefined> {
  return getItem(keys.wecomReply(replyId));
}
