/**
 * The email suppression list: addresses the sender sends nothing more (a hard bounce, a complaint,
 * or an admin's choice). One item per address (`MAILSUPPRESS#{address}` / `ADDRESS`, read by the
 * sender), listed newest first in gsi1 (`MAILSUPPRESSED` / `{at}#{address}`) and by address in
 * gsi2 (`MAILSUPPRESSED#ADDR` / `{address}`, the `?q=` prefix search). Each bounce or complaint
 * that suppressed an address leaves a marker (`SOURCE#{source}`, TTL 30 days) so a redelivered
 * notification does nothing — not even after an admin lifted the suppression; each lift leaves an
 * audit entry (`LIFT#{at}`: who, when, what was lifted).
 */
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { badRequest, conflict, notFound } from '#shared/http/errors.ts';
import { msg } from '#shared/http/messages.ts';
import { decodeCursor, encodeCursor, type Page } from '#shared/store/conversations.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

export const SUPPRESSION_REASONS = ['bounce', 'complaint', 'manual'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** Why and since when an address is on the suppression list. */
export interface Suppression {
  address: string;
  reason: SuppressionReason;
  at: string;
  /** The Message-ID of the bounce, the SES feedback id, or `manual`. */
  source: string;
  /** An admin's note (manual entries). */
  note?: string;
  /** Who added it (manual entries: the admin's subject). */
  by?: string;
}

/** What a suppression request did: put the address on the list, found it there already, or had seen this source before. */
export type SuppressOutcome = 'suppressed' | 'already' | 'duplicate';

/** Markers of seen sources are kept a month: far longer than SQS retains a message (14 days at most). */
const SOURCE_TTL_SECONDS = 30 * 24 * 3600;

const normal = (address: string) => address.trim().toLowerCase();

function suppressionItem(entry: Suppression) {
  const address = normal(entry.address);
  return {
    ...keys.emailSuppressed(address),
    ...keys.emailSuppressedListing(entry.at, address),
    ...keys.emailSuppressedByAddress(address),
    entity: 'mail-suppression',
    ...entry,
    address,
  };
}

const cancelReasons = (error: unknown) => ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map((r) => r.Code ?? 'None');

/**
 * Puts an address on the suppression list because of a bounce or a complaint (`source`: the bounce's
 * Message-ID or the SES feedback id). Idempotent per source and address: a second delivery of the
 * same notification is `duplicate` and changes nothing; the first suppression of an address is kept.
 */
export async function suppressAddress(entry: Suppression): Promise<SuppressOutcome> {
  const address = normal(entry.address);
  const marker = { ...keys.emailSuppressionSource(address, entry.source), entity: 'mail-suppression-source', at: entry.at, reason: entry.reason };
  const ttl = Math.floor(Date.parse(entry.at) / 1000) + SOURCE_TTL_SECONDS;
  const put = (Item: Record<string, unknown>) => ({ Put: { TableName: tableName(), Item, ConditionExpression: 'attribute_not_exists(pk)' } });
  try {
    await db().send(new TransactWriteCommand({ TransactItems: [put({ ...marker, ttl }), put(suppressionItem({ ...entry, address }))] }));
    return 'suppressed';
  } catch (error) {
    if ((error as Error).name !== 'TransactionCanceledException') throw error;
    const [seen, listed] = cancelReasons(error);
    if (seen === 'ConditionalCheckFailed') return 'duplicate';
    if (listed !== 'ConditionalCheckFailed') throw error;
  }
  // Already on the list (an earlier bounce or an admin): remember the source alone.
  await db()
    .send(new PutCommand(put({ ...marker, ttl }).Put))
    .catch((error: Error) => {
      if (error.name !== 'ConditionalCheckFailedException') throw error;
    });
  return 'already';
}

/** An admin puts an address on the list by hand; 409 when it is there already. */
export async function addManualSuppression(address: string, note: string | undefined, by: string, at: string): Promise<Suppression> {
  const entry: Suppression = { address: normal(address), reason: 'manual', at, source: 'manual', by, ...(note ? { note } : {}) };
  try {
    await db().send(new PutCommand({ TableName: tableName(), Item: suppressionItem(entry), ConditionExpression: 'attribute_not_exists(pk)' }));
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    throw conflict({ en: `${entry.address} is on the suppression list already`, zh: `${entry.address} 已在退信与投诉名单中` });
  }
  return entry;
}

/**
 * An admin lifts a suppression: the entry goes and an audit entry (who, when, what was lifted) is
 * written in the same transaction; 404 when the address is not on the list.
 */
export async function liftSuppression(address: string, by: string, at: string): Promise<Suppression> {
  const current = await suppressionOf(address);
  if (!current) throw notFound('suppression');
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: tableName(),
              Key: keys.emailSuppressed(current.address),
              ConditionExpression: '#at = :at',
              ExpressionAttributeNames: { '#at': 'at' },
              ExpressionAttributeValues: { ':at': current.at },
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: { ...keys.emailSuppressionLift(current.address, at), entity: 'mail-suppression-lift', liftedBy: by, liftedAt: at, lifted: current },
            },
          },
        ],
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'TransactionCanceledException') throw error;
    throw conflict({ en: 'the suppression changed meanwhile; reload the list and try again', zh: '该记录刚被他人修改，请刷新名单后重试' });
  }
  return current;
}

const PUBLIC_FIELDS = ['address', 'reason', 'at', 'source', 'note', 'by'] as const;
const view = (item: Record<string, unknown>): Suppression =>
  Object.fromEntries(PUBLIC_FIELDS.filter((k) => item[k] !== undefined).map((k) => [k, item[k]])) as unknown as Suppression;

/** The suppression of an address, if it is on the list. */
export async function suppressionOf(address: string): Promise<Suppression | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.emailSuppressed(normal(address)), ConsistentRead: true }));
  return res.Item ? view(res.Item) : undefined;
}

/** The list, newest first; with `prefix`, the addresses that start with it, in address order (gsi2). */
export async function listSuppressions(options: { prefix?: string; cursor?: string; limit?: number }): Promise<Page<Suppression>> {
  const prefix = options.prefix ? normal(options.prefix) : undefined;
  const start = decodeCursor(options.cursor);
  if (start && !((prefix ? 'gsi2sk' : 'gsi1sk') in start)) {
    throw badRequest({
      en: 'this cursor belongs to another listing: pass back the cursor of the previous page with the same q',
      zh: '分页游标（cursor）与当前筛选不符，请使用相同 q 的上一页返回的 cursor',
    });
  }
  const res = await db().send(
    new QueryCommand(
      prefix
        ? {
            TableName: tableName(),
            IndexName: 'gsi2',
            KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)',
            ExpressionAttributeValues: { ':pk': keys.emailSuppressedByAddressPartition().gsi2pk, ':prefix': prefix },
            Limit: options.limit ?? 50,
            ExclusiveStartKey: start,
          }
        : {
            TableName: tableName(),
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': keys.emailSuppressedPartition().gsi1pk },
            ScanIndexForward: false,
            Limit: options.limit ?? 50,
            ExclusiveStartKey: start,
          },
    ),
  );
  const cursor = encodeCursor(res.LastEvaluatedKey);
  return { items: (res.Items ?? []).map(view), ...(cursor ? { cursor } : {}) };
}

/** An email address as the routes take it (a loose check: the mail server decides the rest). */
const Address = z
  .string()
  .check(
    z.trim(),
    z.toLowerCase(),
    z.maxLength(254),
    z.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, msg('an email address like name@example.com', '请输入有效的邮箱地址，例如 name@example.com')),
  );

/** `GET /email/suppressions`: newest first, or `q` (an address prefix) in address order. */
export const SuppressionsQuery = z.strictObject({
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(254))),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
  limit: z.optional(z.string().check(z.regex(/^([1-9]|[1-9]\d|100)$/, msg('a limit from 1 to 100', '每页条数为 1 到 100')))),
});

/** `POST /email/suppressions`: an address and an optional note. */
export const SuppressionBody = z.strictObject({
  address: Address,
  note: z.optional(z.string().check(z.trim(), z.maxLength(500, msg('a note of at most 500 characters', '备注最多 500 个字符')))),
});

/** `DELETE /email/suppressions/{address}`. */
export const SuppressionParams = z.strictObject({ address: Address });
