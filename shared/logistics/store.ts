/**
 * Shipments in the table: a shop's shipment events become trace steps and the shipment's state
 * (one transaction, the step's event id guarding repeats), paid orders are watched until they ship,
 * and the bot, the 360, macros and the 催单 job read them back. Keys: shared/store/keys.ts.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ShipmentEvent } from '#shared/api/shop-events.ts';
import { backoff, commit, MAX_ATTEMPTS, type TransactItem } from '#shared/members/store.ts';
import { keys } from '#shared/store/keys.ts';
import { contactForCustomer } from '#shared/store/shop-events.ts';
import { db, tableName } from '#shared/store/table.ts';
import { DEFAULT_LOGISTICS_SETTINGS, type DispatchWatch, dispatchDueAt, type LogisticsSettings } from './stall.ts';
import { decideShipment, type Lang, type ShipmentRecord, settled, shipmentText, sortTrace, type TraceLine } from './trace.ts';

/** Shards of the 催单 indexes (a busy day's writes spread over partitions; the job reads them all). */
export const WATCH_SHARDS = 4;
/** Shipments and their trace are kept a year after their last change. */
const KEEP_SECONDS = 365 * 86_400;

/** The shard of an order (stable, so a shipment's index entry moves within one partition). */
export function shardOf(orderId: string): number {
  let h = 0;
  for (const ch of orderId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % WATCH_SHARDS;
}

const ttlFrom = (at: string) => Math.floor(Date.parse(at) / 1000) + KEEP_SECONDS;

function shipmentFromItem(item: Record<string, unknown>): ShipmentRecord {
  return {
    orderId: String(item.orderId),
    trackingNumber: String(item.trackingNumber),
    contactId: String(item.contactId),
    customerId: String(item.customerId),
    ...(typeof item.carrier === 'string' ? { carrier: item.carrier } : {}),
    shippedAt: String(item.shippedAt),
    latest: item.latest as TraceLine,
    status: item.status as ShipmentRecord['status'],
    ...(typeof item.nudgedFor === 'string' ? { nudgedFor: item.nudgedFor } : {}),
    ...(typeof item.escalatedFor === 'string' ? { escalatedFor: item.escalatedFor } : {}),
    version: Number(item.version ?? 0),
  };
}

/** Still worth watching: not delivered and its current stall not escalated yet. */
function watched(s: ShipmentRecord): boolean {
  return !settled(s.status) && s.escalatedFor !== s.latest.at;
}

/** The shipment item as written (its 催单 index entry only while it is watched). */
export function shipmentItem(s: ShipmentRecord, version: number): Record<string, unknown> {
  const { version: _v, ...fields } = s;
  return {
    ...keys.shipment(s.orderId, s.trackingNumber),
    ...keys.shipmentOfContact(s.contactId, s.shippedAt, s.orderId, s.trackingNumber),
    ...(watched(s) ? keys.shipmentWatch(shardOf(s.orderId), s.latest.at, s.orderId, s.trackingNumber) : {}),
    ...fields,
    version,
    ttl: ttlFrom(s.latest.at),
  };
}

/** The conditional put of a shipment read at `version` (0: must not exist yet). */
export function shipmentPut(s: ShipmentRecord, readVersion: number): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: shipmentItem(s, readVersion + 1),
      ...(readVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': readVersion } }),
    },
  };
}

/** Reads one shipment (strongly consistent: it is read before a conditional write). */
export async function readShipment(orderId: string, trackingNumber: string): Promise<ShipmentRecord | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.shipment(orderId, trackingNumber), ConsistentRead: true }));
  return res.Item ? shipmentFromItem(res.Item) : undefined;
}

/**
 * Applies one shipment event: its step joins the trace and, when it is the newest, becomes the
 * shipment's state; the order stops being watched for dispatch. A repeated event id changes nothing.
 */
export async function applyShipmentEvent(shopId: string, event: ShipmentEvent): Promise<'applied' | 'stale'> {
  const d = event.data;
  const contactId = await contactForCustomer(shopId, d.customerId, event.occurredAt);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const previous = await readShipment(d.orderId, d.trackingNumber);
    const { shipment, line } = decideShipment(previous, event, previous?.contactId ?? contactId);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: tableName(),
          Item: {
            ...keys.shipmentTrace(d.orderId, d.trackingNumber, line.at, line.eventId),
            orderId: d.orderId,
            trackingNumber: d.trackingNumber,
            ...line,
            ttl: ttlFrom(line.at),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      shipmentPut(shipment, previous?.version ?? 0),
      { Delete: { TableName: tableName(), Key: keys.dispatchWatch(d.orderId) } },
    ];
    const outcome = await commit(items, 0);
    if (outcome === 'committed') return 'applied';
    if (outcome === 'duplicate') return 'stale';
    await backoff(attempt);
  }
  throw new Error('shipment event: too much contention on one shipment');
}

const _UNSHIPPED = new Set(['created', 'paid']);

/**
 * The 催单 watch item of a paid, unshipped order (written by the shop-event consumer in the order
 * event's transaction; shipped, delivered or refunded deletes it): due when the order should have
 * shipped, listed in its shard by due time, kept a year past it.
 */
export function dispatchWatchItem(watch: DispatchWatch, settings: LogisticsSettings): Record<string, unknown> {
  const dueAt = dispatchDueAt(watch, settings);
  return {
    ...keys.dispatchWatch(watch.orderId),
    ...keys.dispatchWatchIndex(shardOf(watch.orderId), dueAt, watch.orderId),
    ...watch,
    dueAt,
    ttl: ttlFrom(dueAt),
  };
}

/** Whether an order has any shipment yet. */
export async function hasShipment(orderId: string): Promise<boolean> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': keys.shipment(orderId, '').pk, ':p': keys.shipmentPrefix() },
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  return (res.Items ?? []).length > 0;
}

/** A contact's shipments, newest first. */
export async function listContactShipments(contactId: string, limit: number): Promise<ShipmentRecord[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.contactShipmentsPartition(contactId).gsi1pk },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (res.Items ?? []).map(shipmentFromItem);
}

/** One shipment's trace, newest first (at most `limit` steps, the newest kept). */
export async function readTrace(orderId: string, trackingNumber: string, limit = 50): Promise<TraceLine[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': keys.shipment(orderId, trackingNumber).pk, ':p': keys.shipmentTracePrefix(trackingNumber) },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return sortTrace(
    (res.Items ?? []).map((i) => ({
      eventId: String(i.eventId),
      at: String(i.at),
      status: i.status as TraceLine['status'],
      ...(typeof i.location === 'string' ? { location: i.location } : {}),
      ...(typeof i.description === 'string' ? { description: i.description } : {}),
    })),
  );
}

/** The `{{shipment.latest}}` macro value: the requester's newest shipment in one redacted line. */
export async function latestShipmentLine(contactId: string, lang: Lang): Promise<string | undefined> {
  const [latest] = await listContactShipments(contactId, 1);
  return latest ? shipmentText(latest, lang) : undefined;
}

/** The 催单 settings (defaults until an admin saves them). */
export async function readLogisticsSettings(): Promise<LogisticsSettings> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.logisticsSettings() }));
  if (!res.Item) return DEFAULT_LOGISTICS_SETTINGS;
  const { pk: _pk, sk: _sk, updatedBy: _by, updatedAt: _at, ...rest } = res.Item;
  return { ...DEFAULT_LOGISTICS_SETTINGS, ...(rest as Partial<LogisticsSettings>) };
}

/** Saves the 催单 settings read at `version` (409 through the caller when someone saved first). */
export async function saveLogisticsSettings(
  next: Omit<LogisticsSettings, 'version'>,
  version: number,
  actor: string,
  now: Date,
): Promise<LogisticsSettings | 'conflict'> {
  const saved: LogisticsSettings = { ...next, version: version + 1 };
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.logisticsSettings(), ...saved, updatedBy: actor, updatedAt: now.toISOString() },
        ...(version === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': version } }),
      }),
    );
    return saved;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return 'conflict';
    throw error;
  }
}
