/**
 * DynamoDB side of email tickets: Message-ID claims (`MAILID#{id}` → ticket, the idempotency and
 * threading index), a ticket's thread state (`TICKET#{id}` / `MAIL`), and outbound replies in the
 * shared email outbox (`EMAILOUT#{id}`, listed in gsi1 whatever their state — the same outbox
 * campaign emails use, so one sender drains both; a reply is due for the sender at once, gsi2
 * `EMAILOUT#DUE`, see email-sender-store.ts).
 */
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor, type Page } from '#shared/store/conversations.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

/** Why a Message-ID is known: it opened a ticket, was a reply on one, or Kefu sent it. */
export type MailRole = 'opened' | 'reply' | 'sent';

/** A Message-ID claim (`MAILID#`). */
export interface MailClaim {
  messageId: string;
  ticketId: string;
  role: MailRole;
}

/** The ticket a Message-ID belongs to (strongly consistent: the claim decides duplicates). */
export async function getMailClaim(messageId: string): Promise<MailClaim | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.mailId(messageId), ConsistentRead: true }));
  return res.Item ? { messageId, ticketId: String(res.Item.ticketId), role: res.Item.role as MailRole } : undefined;
}

/** Claims a Message-ID for a ticket; false when someone claimed it first. */
export async function claimMailId(claim: MailClaim, at: string): Promise<boolean> {
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.mailId(claim.messageId), entity: 'mail-id', ...claim, at },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Tickets of the Message-IDs already known, for threading (one BatchGetItem). */
export async function lookupMailIds(ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(ids)].slice(0, 100);
  if (unique.length === 0) return out;
  let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [tableName()]: { Keys: unique.map((id) => ({ ...keys.mailId(id) })) } };
  while (request && Object.keys(request).length > 0) {
    const res = await db().send(new BatchGetCommand({ RequestItems: request }));
    for (const item of res.Responses?.[tableName()] ?? []) out.set(String(item.messageId), String(item.ticketId));
    request = res.UnprocessedKeys as typeof request;
  }
  return out;
}

/** Email thread state of a ticket. */
export interface MailThread {
  /** Message-IDs of the thread, oldest first (inbound and outbound). */
  refs: string[];
  /** The customer's latest Message-ID (the next reply's In-Reply-To). */
  lastInbound?: string;
}

/** A ticket's email thread state. */
export async function getMailThread(ticketId: string): Promise<MailThread> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.ticketMail(ticketId), ConsistentRead: true }));
  return { refs: (res.Item?.refs as string[] | undefined) ?? [], ...(res.Item?.lastInbound ? { lastInbound: String(res.Item.lastInbound) } : {}) };
}

function threadUpdate(ticketId: string, messageId: string, inbound: boolean) {
  return {
    TableName: tableName(),
    Key: keys.ticketMail(ticketId),
    UpdateExpression: `SET refs = list_append(if_not_exists(refs, :empty), :ids), ticketId = :t${inbound ? ', lastInbound = :id' : ''}`,
    ExpressionAttributeValues: { ':empty': [], ':ids': [messageId], ':t': ticketId, ...(inbound ? { ':id': messageId } : {}) },
  };
}

/** Records a customer's Message-ID on the ticket's thread (a retry may append it twice; readers de-duplicate). */
export async function recordInbound(ticketId: string, messageId: string): Promise<void> {
  await db().send(new UpdateCommand(threadUpdate(ticketId, messageId, true)));
}

/**
 * Records Message-IDs a provider put on a reply Kefu sent (SES replaces ours): claimed for the
 * ticket (`role: sent`) and added to its thread, so answers to them thread back and later
 * replies reference them.
 */
export async function recordSentAliases(ticketId: string, messageIds: string[], at: string): Promise<void> {
  for (const messageId of messageIds) {
    if (await claimMailId({ messageId, ticketId, role: 'sent' }, at)) await db().send(new UpdateCommand(threadUpdate(ticketId, messageId, false)));
  }
}

/** A reply as queued in the outbox. */
export interface OutboundEmail {
  outboxId: string;
  ticketId: string;
  contactId: string;
  to: string;
  subject: string;
  text: string;
  headers: Record<string, string>;
  mailMessageId: string;
  createdAt: string;
}

/**
 * Queues a reply in the email outbox with its Message-ID claim and thread entry, atomically and
 * once per outbox id (a resent agent message does not send twice). False when already queued.
 */
export async function queueOutbound(email: OutboundEmail): Promise<boolean> {
  const { outboxId, mailMessageId, ...rest } = email;
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: {
                ...keys.emailOutbox(outboxId),
                ...keys.emailOutboxPending(email.createdAt, outboxId),
                ...keys.emailOutboxDue(email.createdAt, outboxId),
                entity: 'email-out',
                messageId: outboxId,
                kind: 'ticket_reply',
                status: 'pending',
                ...rest,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: { ...keys.mailId(mailMessageId), entity: 'mail-id', messageId: mailMessageId, ticketId: email.ticketId, role: 'sent', at: email.createdAt },
            },
          },
          { Update: threadUpdate(email.ticketId, mailMessageId, false) },
        ],
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'TransactionCanceledException') return false;
    throw error;
  }
}

/** The outbox, newest first, every delivery state (ticket replies and campaign emails; `kind` narrows). */
export async function listOutbox(kind: string | undefined, cursor: string | undefined, limit = 50): Promise<Page<Record<string, unknown>>> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ...(kind ? { FilterExpression: 'kind = :k' } : {}),
      ExpressionAttributeValues: { ':p': keys.emailOutboxPartition().gsi1pk, ...(kind ? { ':k': kind } : {}) },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  const strip = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'claimToken', 'entity', 'html']);
  const next = encodeCursor(res.LastEvaluatedKey);
  return { items: (res.Items ?? []).map((i) => Object.fromEntries(Object.entries(i).filter(([k]) => !strip.has(k)))), ...(next ? { cursor: next } : {}) };
}

/** The suppression list lives in shared/channels/suppressions.ts (bounces, complaints, admins' entries). */
export { type Suppression, suppressAddress, suppressionOf } from '#shared/channels/suppressions.ts';
