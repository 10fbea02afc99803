/**
 * Campaign records. The header (`CAMPAIGN#{id}` / `CAMPAIGN`) holds the definition, the status
 * (guarded by `version`: marketing's edits and status actions are conditional on the version they
 * read) and the fan-out progress (cursor, hop, queued count — updated with their own conditions so
 * progress never makes a marketing action 409). Per-send outcomes are counted in sharded counter
 * items updated in the same transaction as each send item, so they are exact and no single item
 * takes every send's write; a completed campaign keeps a recount of its send records. Open send
 * batches (`BATCH#…`) are the outbox of the `campaign-sends` messages: written before a message is
 * queued, deleted once every member in it has an outcome.
 */

import { createHash } from 'node:crypto';
import { BatchWriteCommand, type BatchWriteCommandOutput, DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conflict } from '#shared/http/errors.ts';
import type { TransactItem } from '#shared/members/store.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import type { Channel, FrequencyCap, Offer, SegmentConditions, Variant } from './model.ts';
import type { QuietHours } from './quiet-hours.ts';
import type { AudienceCursor } from './segments.ts';

export type CampaignStatus = 'draft' | 'scheduled' | 'sending' | 'paused' | 'completed' | 'cancelled';

export interface Campaign {
  campaignId: string;
  name: string;
  segmentId: string;
  channels: Channel[];
  variants: Variant[];
  offer: Offer;
  schedule?: { at: string };
  holdoutRatio: number;
  frequencyCap: FrequencyCap;
  quietHours: QuietHours | null;
  attributionDays: number;
  status: CampaignStatus;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  /** The segment's conditions, copied at launch (later segment edits do not change a running audience). */
  conditions?: SegmentConditions;
  launchedAt?: string;
  launchedBy?: string;
  /** When sending began: the start of the attribution window. */
  startedAt?: string;
  completedAt?: string;
  cancelledAt?: string;
  pausedFrom?: 'scheduled' | 'sending';
  /** Public base URL for links in messages. */
  linkBase?: string;
  fanoutHop: number;
  fanoutCursor?: AudienceCursor;
  fanoutDone: boolean;
  fanoutBeatAt?: string;
  /** Audience pages whose sends are queued (the page counter makes a page's `queued` count once, even when a crash re-runs it). */
  fanoutPages: number;
  /** Audience members queued for sending, counted once per page. */
  queued: number;
  /** Index items the fan-out read. */
  audienceRead: number;
  /** Send messages held back (quiet hours, pause). */
  deferred: number;
  /** Send batches the fan-out wrote as open rows (counted once per page); absent on campaigns launched before the rows existed. */
  batches?: number;
  /** Outcome counts recounted from the send records when the campaign completed (exact, whatever the counters say). */
  final?: FinalCounts;
}

/** The outcome counts of a completed campaign, recounted from its send records. */
export interface FinalCounts {
  sent: number;
  holdout: number;
  failed: number;
  suppressed: Record<string, number>;
  variants: Record<string, number>;
  /** Send records (members with an outcome). */
  records: number;
}

export const DEFAULT_FREQUENCY_CAP: FrequencyCap = { max: 1, windowHours: 72 };
export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '09:00', timeZone: 'Asia/Shanghai' };
export const DEFAULT_ATTRIBUTION_DAYS = 14;

/** The due time that orders a campaign inside its status partition (scheduled: send time; sending: last heartbeat). */
export function dueAtOf(c: Pick<Campaign, 'status' | 'schedule' | 'fanoutBeatAt' | 'startedAt' | 'updatedAt'>): string {
  if (c.status === 'scheduled' && c.schedule) return c.schedule.at;
  if (c.status === 'sending') return c.fanoutBeatAt ?? c.startedAt ?? c.updatedAt;
  return c.updatedAt;
}

function fromItem(item: Record<string, unknown>): Campaign {
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...rest } = item;
  return rest as unknown as Campaign;
}

/** Reads a campaign header (strongly consistent: status decisions depend on it). */
export async function getCampaign(campaignId: string): Promise<Campaign | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.campaign(campaignId), ConsistentRead: true }));
  return res.Item ? fromItem(res.Item) : undefined;
}

/** Writes a new campaign, or replaces a draft at the version read (409 otherwise). */
export async function putCampaign(c: Campaign, expectedVersion: number | undefined): Promise<void> {
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.campaign(c.campaignId),
          ...keys.campaignListing(c.createdAt, c.campaignId),
          ...keys.campaignByStatus(c.status, dueAtOf(c), c.campaignId),
          ...c,
        },
        ...(expectedVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'version = :v AND #s = :draft',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':v': expectedVersion, ':draft': 'draft' },
            }),
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException')
      throw conflict({
        en: 'the campaign was changed or launched since you read it; reload and try again',
        zh: '营销活动在您读取后已被修改或启动，请重新加载后再试',
      });
    throw error;
  }
}

/**
 * Sets fields on the header under a condition; returns false when the condition failed. The status
 * index keys follow `status`/`dueAt` when given.
 */
export async function updateCampaign(
  campaignId: string,
  set: Record<string, unknown>,
  opts: {
    remove?: string[];
    add?: Record<string, number>;
    condition?: string;
    values?: Record<string, unknown>;
    index?: { status: CampaignStatus; dueAt: string };
  } = {},
): Promise<boolean> {
  const names: Record<string, string> = opts.condition?.includes('#s') ? { '#s': 'status' } : {};
  const values: Record<string, unknown> = { ...(opts.values ?? {}) };
  const fields = { ...set, ...(opts.index ? keys.campaignByStatus(opts.index.status, opts.index.dueAt, campaignId) : {}) };
  const sets = Object.entries(fields).map(([name, value], i) => {
    names[`#f${i}`] = name;
    values[`:f${i}`] = value;
    return `#f${i} = :f${i}`;
  });
  const adds = Object.entries(opts.add ?? {}).map(([name, value], i) => {
    names[`#a${i}`] = name;
    values[`:a${i}`] = value;
    return `#a${i} :a${i}`;
  });
  const removes = (opts.remove ?? []).map((name, i) => {
    names[`#r${i}`] = name;
    return `#r${i}`;
  });
  const expression = [
    sets.length ? `SET ${sets.join(', ')}` : '',
    adds.length ? `ADD ${adds.join(', ')}` : '',
    removes.length ? `REMOVE ${removes.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.campaign(campaignId),
        UpdateExpression: expression,
        ConditionExpression: opts.condition ? `attribute_exists(pk) AND (${opts.condition})` : 'attribute_exists(pk)',
        ExpressionAttributeNames: names,
        ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Campaigns newest first (gsi1 `CAMPAIGNS`), a page at a time. */
export async function listCampaigns(limit: number, cursor?: Record<string, string>): Promise<{ items: Campaign[]; next?: Record<string, unknown> }> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.campaignsPartition().gsi1pk },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: cursor,
    }),
  );
  return { items: (res.Items ?? []).map((i) => fromItem(i)), ...(res.LastEvaluatedKey ? { next: res.LastEvaluatedKey } : {}) };
}

/** Campaigns in one status with due time up to `until` (gsi2 `CAMPAIGNS#{status}`), for the tick. */
export async function campaignsByStatus(status: CampaignStatus, until: string): Promise<Campaign[]> {
  const out: Campaign[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :p AND gsi2sk <= :until',
        ExpressionAttributeValues: { ':p': keys.campaignStatusPartition(status).gsi2pk, ':until': `${until}~` },
        ExclusiveStartKey: start,
      }),
    );
    out.push(...(res.Items ?? []).map((i) => fromItem(i)));
    start = res.LastEvaluatedKey;
  } while (start);
  return out;
}

/** Counter shards per campaign. */
export const COUNTER_SHARDS = 8;

/** The counter shard of a member (stable). */
export function counterShard(contactId: string): number {
  return createHash('sha1').update(contactId).digest()[0]! % COUNTER_SHARDS;
}

/** The transaction item that adds to a member's counter shard. */
export function counterItem(campaignId: string, contactId: string, deltas: Record<string, number>): TransactItem {
  return shardCounterItem(campaignId, counterShard(contactId), deltas);
}

/** The transaction item that adds to one counter shard (a batch adds its members' outcomes per shard). */
export function shardCounterItem(campaignId: string, shard: number, deltas: Record<string, number>): TransactItem {
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const parts = Object.entries(deltas).map(([name, n], i) => {
    names[`#n${i}`] = name;
    values[`:n${i}`] = n;
    return `#n${i} :n${i}`;
  });
  return {
    Update: {
      TableName: tableName(),
      Key: keys.campaignCounter(campaignId, shard),
      UpdateExpression: `ADD ${parts.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

export interface Progress {
  queued: number;
  deferred: number;
  sent: number;
  holdout: number;
  failed: number;
  suppressed: Record<string, number>;
  suppressedTotal: number;
  /** Sent per A/B variant. */
  variants: Record<string, number>;
  /** Members with a final outcome. */
  processed: number;
}

/** Sums the counter shards of a campaign; a completed campaign reports its recount instead. */
export async function readProgress(c: Pick<Campaign, 'campaignId' | 'queued' | 'deferred' | 'final'>): Promise<Progress> {
  if (c.final) {
    const suppressedTotal = Object.values(c.final.suppressed).reduce((a, b) => a + b, 0);
    const { sent, holdout, failed, suppressed, variants } = c.final;
    return {
      queued: c.queued ?? 0,
      deferred: c.deferred ?? 0,
      sent,
      holdout,
      failed,
      suppressed,
      suppressedTotal,
      variants,
      processed: sent + holdout + failed + suppressedTotal,
    };
  }
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': keys.campaign(c.campaignId).pk, ':p': keys.campaignCounterPrefix() },
      ConsistentRead: true,
    }),
  );
  const p: Progress = {
    queued: c.queued ?? 0,
    deferred: c.deferred ?? 0,
    sent: 0,
    holdout: 0,
    failed: 0,
    suppressed: {},
    suppressedTotal: 0,
    variants: {},
    processed: 0,
  };
  for (const item of res.Items ?? []) {
    for (const [name, value] of Object.entries(item)) {
      if (typeof value !== 'number') continue;
      if (name === 'sent' || name === 'holdout' || name === 'failed') p[name] += value;
      else if (name.startsWith('suppressed_')) {
        const reason = name.slice('suppressed_'.length);
        p.suppressed[reason] = (p.suppressed[reason] ?? 0) + value;
        p.suppressedTotal += value;
      } else if (name.startsWith('variant_')) {
        const v = name.slice('variant_'.length);
        p.variants[v] = (p.variants[v] ?? 0) + value;
      }
    }
  }
  p.processed = p.sent + p.holdout + p.failed + p.suppressedTotal;
  return p;
}

/** One member's send record. */
export interface SendRecord {
  campaignId: string;
  contactId: string;
  /** `sent` is recorded when the send is claimed; `delivered` turns true once every channel has it. */
  state: 'sent' | 'holdout' | 'suppressed' | 'failed';
  arm: 'treatment' | 'holdout' | 'none';
  variantId?: string;
  reason?: string;
  channels?: Channel[];
  at: string;
  delivered?: boolean;
  deliveredAt?: string;
}

/** Reads one send record (consistent: it is the exactly-once guard). */
export async function getSend(campaignId: string, contactId: string): Promise<SendRecord | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.campaignSend(campaignId, contactId), ConsistentRead: true }));
  if (!res.Item) return undefined;
  const { pk: _pk, sk: _sk, ...rest } = res.Item;
  return rest as SendRecord;
}

/** Every send record of a campaign, page by page (the report's input). */
export async function* sendRecords(campaignId: string): AsyncGenerator<SendRecord[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': keys.campaign(campaignId).pk, ':p': keys.campaignSendPrefix() },
        ExclusiveStartKey: start,
      }),
    );
    yield (res.Items ?? []).map(({ pk: _pk, sk: _sk, ...rest }) => rest as SendRecord);
    start = res.LastEvaluatedKey;
  } while (start);
}

/**
 * Recounts a campaign's outcomes from its send records (one Query pass over `SEND#`, consistent):
 * run once when the campaign completes, so its final figures are exact even if a counter update
 * was lost (the local transaction emulation can half-apply a transaction when the process is killed).
 */
export async function recountSends(campaignId: string): Promise<FinalCounts> {
  const out: FinalCounts = { sent: 0, holdout: 0, failed: 0, suppressed: {}, variants: {}, records: 0 };
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ProjectionExpression: '#st, variantId, reason',
        ExpressionAttributeNames: { '#st': 'state' },
        ExpressionAttributeValues: { ':pk': keys.campaign(campaignId).pk, ':p': keys.campaignSendPrefix() },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of res.Items ?? []) {
      out.records++;
      const state = item.state as SendRecord['state'];
      if (state === 'sent') {
        out.sent++;
        const v = String(item.variantId ?? 'a');
        out.variants[v] = (out.variants[v] ?? 0) + 1;
      } else if (state === 'holdout' || state === 'failed') out[state]++;
      else if (state === 'suppressed') {
        const reason = String(item.reason ?? 'unknown');
        out.suppressed[reason] = (out.suppressed[reason] ?? 0) + 1;
      }
    }
    start = res.LastEvaluatedKey;
  } while (start);
  return out;
}

/**
 * A send batch as stored from the fan-out's decision until every member in it has an outcome: the
 * outbox row of its `campaign-sends` message, so a message lost with the local queue or parked in
 * the DLQ is re-derived from the table (shared/campaigns/reconcile.ts).
 */
export interface BatchRow {
  campaignId: string;
  batchId: string;
  contactIds: string[];
  /** When the batch is presumed lost if still open (the tick re-queues it then). */
  dueAt: string;
  /** How often the tick has re-queued it. */
  redrives: number;
}

/** A batch that is neither done nor re-queued by then is presumed lost (longer than a busy queue's backlog). */
export const BATCH_LEASE_MS = 15 * 60_000;
/** Open batch rows of a cancelled or abandoned campaign expire after this long. */
const BATCH_TTL_DAYS = 60;

/** The id of the `n`th batch of audience page `page` (stable: a re-run of the page writes the same rows). */
export function batchIdOf(page: number, n: number): string {
  return `${String(page).padStart(7, '0')}#${String(n).padStart(3, '0')}`;
}

function batchItem(row: BatchRow): Record<string, unknown> {
  return {
    ...keys.campaignBatch(row.campaignId, row.batchId),
    ...keys.campaignBatchDue(row.campaignId, row.dueAt, row.batchId),
    ...row,
    ttl: Math.floor(Date.parse(row.dueAt) / 1000) + BATCH_TTL_DAYS * 86_400,
  };
}

/** Writes open batch rows (BatchWriteItem, 25 a call), before their messages are queued. */
export async function putBatches(rows: readonly BatchRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 25) {
    let pending = rows.slice(i, i + 25).map((row) => ({ PutRequest: { Item: batchItem(row) } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 5) throw new Error('BatchWriteItem kept returning unprocessed batch rows');
      if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      const res: BatchWriteCommandOutput = await db().send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending } }));
      pending = (res.UnprocessedItems?.[tableName()] ?? []) as typeof pending;
    }
  }
}

/** Closes a batch whose members all have an outcome. */
export async function deleteBatch(campaignId: string, batchId: string): Promise<void> {
  await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.campaignBatch(campaignId, batchId) }));
}

/** Moves an open batch's due time (held for quiet hours, or re-queued by the tick); false when it is already closed. */
export async function deferBatch(campaignId: string, batchId: string, dueAt: string, redrives?: number): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.campaignBatch(campaignId, batchId),
        UpdateExpression: `SET dueAt = :due, gsi1sk = :sk${redrives === undefined ? '' : ', redrives = :r'}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: {
          ':due': dueAt,
          ':sk': keys.campaignBatchDue(campaignId, dueAt, batchId).gsi1sk,
          ...(redrives === undefined ? {} : { ':r': redrives }),
        },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Open batches of a campaign due by `until`, oldest first (gsi1; eventually consistent, a stale row only means one more harmless re-queue). */
export async function dueBatches(campaignId: string, until: string, limit: number): Promise<BatchRow[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p AND gsi1sk <= :until',
      ExpressionAttributeValues: { ':p': keys.campaignBatchDuePartition(campaignId).gsi1pk, ':until': `${until}~` },
      Limit: limit,
    }),
  );
  return (res.Items ?? []).map((i) => ({
    campaignId,
    batchId: String(i.batchId),
    contactIds: (i.contactIds as string[]) ?? [],
    dueAt: String(i.dueAt),
    redrives: Number(i.redrives ?? 0),
  }));
}

/** True while any batch of the campaign is open (a consistent read of the base table: closed rows are deleted, so one item answers). */
export async function hasOpenBatches(campaignId: string): Promise<boolean> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': keys.campaign(campaignId).pk, ':p': keys.campaignBatchPrefix() },
      ProjectionExpression: 'sk',
      ConsistentRead: true,
      Limit: 1,
    }),
  );
  return (res.Items ?? []).length > 0;
}
