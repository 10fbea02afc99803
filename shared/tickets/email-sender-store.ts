/**
 * DynamoDB side of the email sender. An outbox row (`EMAILOUT#{id}` / `EMAIL`) is due while it
 * carries gsi2 `EMAILOUT#DUE` / `{dueAt}#{id}`; a send is claimed by one conditional write (a
 * lease, the claim token, attempts + 1, the due key moved to the lease's end) before anything
 * goes out, and finished by another that only the claim's holder can make. gsi1 (the listing the
 * console reads) is never touched. Rows written without a due key (campaign emails) are enrolled
 * once by a watermark walk over the listing.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

/** A due row as the index lists it. */
export interface DueEmail {
  messageId: string;
  /** The gsi2 sort key seen (the claim is conditional on it). */
  dueSk: string;
}

const conditionFailed = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

/** Due rows, oldest due first (`dueAt` ≤ now). */
export async function dueEmails(now: Date, limit: number): Promise<DueEmail[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :p AND gsi2sk < :upper',
      // `{iso}#{id}`: every key due at or before `now` sorts below `{now}$` ('$' follows '#').
      ExpressionAttributeValues: { ':p': keys.emailOutboxDuePartition().gsi2pk, ':upper': `${now.toISOString()}$` },
      ProjectionExpression: 'messageId, gsi2sk',
      Limit: limit,
    }),
  );
  return (res.Items ?? []).map((i) => ({ messageId: String(i.messageId), dueSk: String(i.gsi2sk) }));
}

/**
 * Claims a due row for one send attempt. Only a pending row still due under the key seen, whose
 * earlier lease (if any) has ended, can be claimed; the answer is the row as claimed, or undefined
 * when another run has it (or it was sent, failed or erased meanwhile).
 */
export async function claimEmail(due: DueEmail, token: string, now: Date, leaseUntil: Date): Promise<Record<string, unknown> | undefined> {
  try {
    const res = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.emailOutbox(due.messageId),
        UpdateExpression:
          'SET leaseUntil = :lease, claimToken = :tok, attempts = if_not_exists(attempts, :zero) + :one, lastAttemptAt = :now, gsi2sk = :leaseSk',
        ConditionExpression: 'attribute_exists(pk) AND gsi2sk = :seen AND #s = :pending AND (attribute_not_exists(leaseUntil) OR leaseUntil <= :now)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':lease': leaseUntil.toISOString(),
          ':tok': token,
          ':zero': 0,
          ':one': 1,
          ':now': now.toISOString(),
          ':leaseSk': keys.emailOutboxDue(leaseUntil.toISOString(), due.messageId).gsi2sk,
          ':seen': due.dueSk,
          ':pending': 'pending',
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return res.Attributes;
  } catch (error) {
    if (conditionFailed(error)) return undefined;
    throw error;
  }
}

async function finish(messageId: string, token: string, update: string, values: Record<string, unknown>, remove: string): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.emailOutbox(messageId),
        UpdateExpression: `${update} REMOVE leaseUntil, claimToken${remove}`,
        ConditionExpression: 'claimToken = :tok',
        ...(update.includes('#s') ? { ExpressionAttributeNames: { '#s': 'status' } } : {}),
        ExpressionAttributeValues: { ...values, ':tok': token },
      }),
    );
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}

/** Records a delivery (leaves the due index). False when the claim was lost meanwhile. */
export function markSent(messageId: string, token: string, at: Date, via: string, providerId: string | undefined): Promise<boolean> {
  return finish(
    messageId,
    token,
    `SET #s = :sent, sentAt = :at, sentVia = :via${providerId ? ', providerId = :pid' : ''}`,
    { ':sent': 'sent', ':at': at.toISOString(), ':via': via, ...(providerId ? { ':pid': providerId } : {}) },
    ', gsi2pk, gsi2sk, nextAttemptAt',
  );
}

/** Records a transient failure and when to try again (the due key moves there). */
export function markRetry(messageId: string, token: string, error: string, nextAt: Date): Promise<boolean> {
  return finish(
    messageId,
    token,
    'SET lastError = :err, nextAttemptAt = :next, gsi2sk = :sk',
    { ':err': error, ':next': nextAt.toISOString(), ':sk': keys.emailOutboxDue(nextAt.toISOString(), messageId).gsi2sk },
    '',
  );
}

/** Gives a row up for good with its last error (leaves the due index). */
export function markFailed(messageId: string, token: string, error: string, at: Date): Promise<boolean> {
  return finish(
    messageId,
    token,
    'SET #s = :failed, failedAt = :at, lastError = :err',
    { ':failed': 'failed', ':at': at.toISOString(), ':err': error },
    ', gsi2pk, gsi2sk, nextAttemptAt',
  );
}

/** How far behind its last pass the enrolment walk starts again (rows are written a little after their `createdAt`). */
export const ENROL_LAG_MS = 5 * 60_000;

/**
 * Gives pending rows that were written without a due key (campaign emails) one, due now. Walks the
 * listing (gsi1, oldest first) from the watermark minus ENROL_LAG_MS, so each row is read a bounded
 * number of times; `maxPages` bounds a run (the next run carries on from where this one stopped).
 */
export async function enrolNew(now: Date, maxPages = 20): Promise<number> {
  const cursor = await db().send(new GetCommand({ TableName: tableName(), Key: keys.emailSenderCursor(), ConsistentRead: true }));
  const mark = typeof cursor.Item?.mark === 'string' ? cursor.Item.mark : '';
  const from = mark ? new Date(Math.max(0, Date.parse(mark) - ENROL_LAG_MS)).toISOString() : '';
  let start: Record<string, unknown> | undefined;
  let enrolled = 0;
  let complete = false;
  let reached = mark;
  for (let page = 0; page < maxPages; page++) {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p AND gsi1sk > :from',
        FilterExpression: '#s = :pending AND attribute_not_exists(gsi2pk) AND attribute_not_exists(attempts)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':p': keys.emailOutboxPartition().gsi1pk, ':from': from, ':pending': 'pending' },
        ProjectionExpression: 'messageId',
        ExclusiveStartKey: start,
        Limit: 200,
      }),
    );
    for (const item of res.Items ?? []) if (await enrolOne(String(item.messageId), now)) enrolled++;
    start = res.LastEvaluatedKey;
    if (start) reached = String(start.gsi1sk).split('#')[0] ?? reached;
    if (!start) {
      complete = true;
      break;
    }
  }
  const next = complete ? now.toISOString() : reached;
  if (next && next !== mark) {
    await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.emailSenderCursor(), entity: 'email-sender', mark: next } }));
  }
  return enrolled;
}

async function enrolOne(messageId: string, now: Date): Promise<boolean> {
  const due = keys.emailOutboxDue(now.toISOString(), messageId);
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.emailOutbox(messageId),
        UpdateExpression: 'SET gsi2pk = :p, gsi2sk = :sk',
        ConditionExpression: 'attribute_exists(pk) AND #s = :pending AND attribute_not_exists(gsi2pk) AND attribute_not_exists(attempts)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':p': due.gsi2pk, ':sk': due.gsi2sk, ':pending': 'pending' },
      }),
    );
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}
