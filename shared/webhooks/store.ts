import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import type { Delivery, OutboxEvent } from '#shared/webhooks/dispatch.ts';

const STRIP = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk']);
const clean = <T>(item: Record<string, unknown>): T => Object.fromEntries(Object.entries(item).filter(([k]) => !STRIP.has(k))) as T;

/** Undelivered outbox events, oldest first (gsi1 `OUTBOX#PENDING`). */
export async function pendingEvents(limit: number): Promise<{ eventId: string; at: string }[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.outboxPendingPartition().gsi1pk },
      Limit: limit,
    }),
  );
  return (res.Items ?? []).map((i) => ({ eventId: String(i.eventId), at: String(i.gsi1sk).split('#')[0] ?? '' }));
}

/**
 * Moves an event from the pending listing to the delivery log in one transaction (the delivery
 * record and the cleared listing agree). False when another dispatcher run claimed it first.
 */
export async function claimEvent(eventId: string, type: string, shopId: string | undefined, now: string): Promise<boolean> {
  const delivery: Delivery = {
    deliveryId: eventId,
    eventId,
    type,
    ...(shopId ? { shopId } : {}),
    state: 'pending',
    attempts: 0,
    history: [],
    createdAt: now,
    updatedAt: now,
  };
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: { ...keys.webhookDelivery(eventId), ...keys.webhookDeliveryListing(now, eventId), ...delivery },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: tableName(),
              Key: keys.outboxEvent(eventId),
              UpdateExpression: 'REMOVE gsi1pk, gsi1sk SET dispatchedAt = :t',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':t': now },
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name !== 'TransactionCanceledException') throw error;
    await db().send(new UpdateCommand({ TableName: tableName(), Key: keys.outboxEvent(eventId), UpdateExpression: 'REMOVE gsi1pk, gsi1sk' }));
    return false;
  }
}

/** An outbox event by id. */
export async function readEvent(eventId: string): Promise<OutboxEvent | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.outboxEvent(eventId), ConsistentRead: true }));
  return res.Item ? clean<OutboxEvent>(res.Item) : undefined;
}

/** A delivery record by event id. */
export async function readDelivery(eventId: string): Promise<Delivery | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.webhookDelivery(eventId), ConsistentRead: true }));
  return res.Item ? clean<Delivery>(res.Item) : undefined;
}

/** Saves a delivery record (kept in the admins' listing under its creation time). */
export async function saveDelivery(d: Delivery): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.webhookDelivery(d.deliveryId), ...keys.webhookDeliveryListing(d.createdAt, d.deliveryId), ...d },
    }),
  );
}

/** The delivery log, newest first, paged. */
export async function listDeliveries(limit: number, cursor?: Record<string, string>): Promise<{ items: Delivery[]; next?: Record<string, unknown> }> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.webhookDeliveriesPartition().gsi1pk },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: cursor,
    }),
  );
  return { items: (res.Items ?? []).map((i) => clean<Delivery>(i)), ...(res.LastEvaluatedKey ? { next: res.LastEvaluatedKey } : {}) };
}

/** Records an outbox event and lists it as pending (the dispatcher picks it up if nobody sends it first). */
export async function addOutboxEvent(event: OutboxEvent & { at: string }): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.outboxEvent(event.eventId), ...keys.outboxPending(event.at, event.eventId), ...event },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/**
 * Reopens a finished delivery for an admin's retry, if it is still in the state the admin saw
 * (false when someone else retried it first). When the retry cannot be queued, `saveDelivery`
 * with the record read before puts it back as it was.
 */
export async function reopenDelivery(d: Delivery, attempt: number, now: string): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.webhookDelivery(d.deliveryId),
        UpdateExpression: 'SET #s = :retrying, queuedAttempt = :a, nextAttemptAt = :now, updatedAt = :now',
        ConditionExpression: '#s = :seen AND updatedAt = :seenAt',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: { ':retrying': 'retrying', ':a': attempt, ':now': now, ':seen': d.state, ':seenAt': d.updatedAt },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
