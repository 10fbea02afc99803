/**
 * Coupon pools in the table. Each code is its own item; while unclaimed it is listed in a sharded
 * index under a random slot, so concurrent claimants start at different places. A claim is one
 * conditional UpdateItem on the code (`attribute_not_exists(claimedBy)`): a code is given out at
 * most once however many campaigns or care rules claim at the same time. A claim key (who it is
 * for) makes a repeated claim return the same code. Stock = codes added − codes claimed (sharded
 * counters, added to after each claim). A redemption (the shop's `coupon.redeemed`) marks the code
 * and its claim once, in one transaction with the pool's sharded `redeemed` counter.
 */
import { randomInt } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/store/keys.ts';
import { batchGetItems, db, queryAll, tableName } from '#shared/store/table.ts';
import { planRedemption, type StoredCode } from './redemption.ts';

/** Shards of a pool's free-code index and of its claim counter. */
export const COUPON_SHARDS = 8;
/** How many free codes a claimant reads before picking one at random. */
const CANDIDATES = 8;
const MAX_ATTEMPTS = 20;

export interface CouponPool {
  poolId: string;
  name: { zh: string; en: string };
  /** Yuan off. */
  value: number;
  /** Minimum order amount the coupon applies to (0: none). */
  threshold: number;
  expiresAt: string;
  createdAt: string;
  /** Codes added to the pool. */
  total: number;
}

export type ClaimOutcome = { code: string; repeated: boolean } | 'out_of_stock' | 'expired' | 'no_pool';

const conditionFailed = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';
const slot = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

/** Creates a pool (its id is new: a repeat is refused). */
export async function createPool(pool: Omit<CouponPool, 'total'>): Promise<CouponPool> {
  const item: CouponPool = { ...pool, total: 0 };
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.couponPool(pool.poolId), ...keys.couponPoolListing(pool.createdAt, pool.poolId), ...item },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return item;
}

export async function getPool(poolId: string): Promise<CouponPool | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.couponPool(poolId), ConsistentRead: true }));
  if (!res.Item) return undefined;
  const { pk: _p, sk: _s, gsi1pk: _g, gsi1sk: _h, ...pool } = res.Item;
  return pool as CouponPool;
}

/** Pools, newest first. */
export async function listPools(limit = 50): Promise<CouponPool[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.couponPoolsPartition().gsi1pk },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (res.Items ?? []).map(({ pk: _p, sk: _s, gsi1pk: _g, gsi1sk: _h, ...pool }) => pool as CouponPool);
}

/**
 * Adds codes to a pool, each once (a code already in the pool is counted as a duplicate, never
 * overwritten: it may have been given out). `inFlight` bounds the parallel writes.
 */
export async function addCodes(poolId: string, codes: readonly string[], inFlight = 16): Promise<{ added: number; duplicates: string[] }> {
  const duplicates: string[] = [];
  let added = 0;
  let next = 0;
  const worker = async () => {
    while (next < codes.length) {
      const code = codes[next++]!;
      try {
        await db().send(
          new PutCommand({
            TableName: tableName(),
            Item: { ...keys.couponCode(poolId, code), ...keys.couponFree(poolId, randomInt(0, COUPON_SHARDS), slot(), code), poolId, code },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        added++;
      } catch (error) {
        if (!conditionFailed(error)) throw error;
        duplicates.push(code);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, codes.length) }, worker));
  if (added > 0) {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.couponPool(poolId),
        UpdateExpression: 'ADD #t :n',
        ExpressionAttributeNames: { '#t': 'total' },
        ExpressionAttributeValues: { ':n': added },
      }),
    );
  }
  return { added, duplicates };
}

/** A few free codes of one shard from a random place (wrapping round to the start). */
async function candidates(poolId: string, shard: number): Promise<string[]> {
  const from = slot();
  const query = async (condition: string) =>
    (
      await db().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'gsi1',
          KeyConditionExpression: `gsi1pk = :p AND ${condition}`,
          ExpressionAttributeValues: { ':p': keys.couponFreePartition(poolId, shard).gsi1pk, ':s': from },
          Limit: CANDIDATES,
        }),
      )
    ).Items ?? [];
  const after = await query('gsi1sk >= :s');
  const items = after.length > 0 ? after : await query('gsi1sk < :s');
  return items.map((i) => String(i.code));
}

async function claimedBefore(poolId: string, claimKey: string): Promise<string | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.couponClaim(poolId, claimKey), ConsistentRead: true }));
  return typeof res.Item?.code === 'string' ? res.Item.code : undefined;
}

/** Takes one free code for `claimKey` (the same code again for a repeated key). */
export async function claimCode(poolId: string, claimKey: string, now: Date): Promise<ClaimOutcome> {
  const known = await claimedBefore(poolId, claimKey);
  if (known) return { code: known, repeated: true };
  const pool = await getPool(poolId);
  if (!pool) return 'no_pool';
  if (pool.expiresAt <= now.toISOString()) return 'expired';
  const start = randomInt(0, COUPON_SHARDS);
  let emptyShards = 0;
  for (let attempt = 0; attempt < MAX_ATTEMPTS && emptyShards < COUPON_SHARDS; attempt++) {
    const shard = (start + attempt) % COUPON_SHARDS;
    const free = await candidates(poolId, shard);
    if (free.length === 0) {
      emptyShards++;
      continue;
    }
    emptyShards = 0;
    const code = free[randomInt(0, free.length)]!;
    try {
      await db().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.couponCode(poolId, code),
          UpdateExpression: 'SET claimedBy = :k, claimedAt = :at REMOVE gsi1pk, gsi1sk',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(claimedBy)',
          ExpressionAttributeValues: { ':k': claimKey, ':at': now.toISOString() },
        }),
      );
    } catch (error) {
      if (conditionFailed(error)) continue; // someone else took it a moment ago: try another
      throw error;
    }
    return recordClaim(poolId, claimKey, code, now);
  }
  return 'out_of_stock';
}

/** After winning a code: the claim key's record (a concurrent claim for the same key keeps its own code; ours goes back). */
async function recordClaim(poolId: string, claimKey: string, code: string, now: Date): Promise<ClaimOutcome> {
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.couponClaim(poolId, claimKey), poolId, claimKey, code, at: now.toISOString() },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!conditionFailed(error)) throw error;
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.couponCode(poolId, code),
        UpdateExpression: 'SET gsi1pk = :gp, gsi1sk = :gs REMOVE claimedBy, claimedAt',
        ConditionExpression: 'claimedBy = :k',
        ExpressionAttributeValues: { ...prefixed(keys.couponFree(poolId, randomInt(0, COUPON_SHARDS), slot(), code)), ':k': claimKey },
      }),
    );
    const winner = await claimedBefore(poolId, claimKey);
    if (!winner) throw new Error('coupon claim record vanished');
    return { code: winner, repeated: true };
  }
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.couponCounter(poolId, randomInt(0, COUPON_SHARDS)),
      UpdateExpression: 'ADD claimed :one',
      ExpressionAttributeValues: { ':one': 1 },
    }),
  );
  return { code, repeated: false };
}

const prefixed = (index: { gsi1pk: string; gsi1sk: string }) => ({ ':gp': index.gsi1pk, ':gs': index.gsi1sk });

/** Codes added and claimed so far. */
export async function poolStock(poolId: string): Promise<{ total: number; claimed: number; available: number }> {
  const { redeemed: _r, ...stock } = await poolCounts(poolId);
  return stock;
}

/** The stock and the codes redeemed so far (the shop's `coupon.redeemed`). */
export async function poolCounts(poolId: string): Promise<{ total: number; claimed: number; available: number; redeemed: number }> {
  const [pool, counters] = await Promise.all([
    getPool(poolId),
    db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': keys.couponPool(poolId).pk, ':p': keys.couponCounterPrefix() },
        ConsistentRead: true,
      }),
    ),
  ]);
  const total = pool?.total ?? 0;
  const claimed = (counters.Items ?? []).reduce((sum, i) => sum + Number(i.claimed ?? 0), 0);
  const redeemed = (counters.Items ?? []).reduce((sum, i) => sum + Number(i.redeemed ?? 0), 0);
  return { total, claimed, available: Math.max(0, total - claimed), redeemed };
}

export interface Redemption {
  eventId: string;
  occurredAt: string;
  orderId?: string;
  customerId?: string;
  amount?: number;
}

export type RedeemOutcome =
  | { outcome: 'redeemed'; poolId: string; campaignId?: string }
  | { outcome: 'repeated' | 'not_given' | 'unknown_code'; poolId?: string };

/**
 * Marks a code redeemed: the shop's event names the code only, so it is looked up in every pool
 * (one Query of the pool listing and one BatchGet per 100 pools). One transaction marks the code
 * (`attribute_not_exists(redeemedAt)`: a repeated event or a second redemption of the code counts
 * once), its claim record (which the campaign report reads) and the pool's sharded redeemed counter.
 */
export async function redeemCode(code: string, r: Redemption): Promise<RedeemOutcome> {
  const pools = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :p',
    ExpressionAttributeValues: { ':p': keys.couponPoolsPartition().gsi1pk },
  });
  const found = await batchGetItems(pools.map((p) => keys.couponCode(String(p.poolId), code)));
  const plan = planRedemption([...found.values()] as unknown as StoredCode[]);
  if ('ignore' in plan) return { outcome: plan.ignore };
  const { poolId, claimedBy } = plan.redeem;
  const campaignId = keys.campaignOfMember(claimedBy)?.campaignId;
  const details: Record<string, unknown> = {
    redeemedAt: r.occurredAt,
    redeemEventId: r.eventId,
    ...(r.orderId ? { redeemedOrderId: r.orderId } : {}),
    ...(r.customerId ? { redeemedCustomerId: r.customerId } : {}),
    ...(r.amount !== undefined ? { redeemedAmount: r.amount } : {}),
    ...(campaignId ? { campaignId } : {}),
  };
  const names = Object.keys(details);
  const set = {
    UpdateExpression: `SET ${names.map((_, i) => `#r${i} = :r${i}`).join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#r${i}`, n])),
    values: Object.fromEntries(names.map((n, i) => [`:r${i}`, details[n]])),
  };
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: keys.couponCode(poolId, code),
              UpdateExpression: set.UpdateExpression,
              ConditionExpression: 'claimedBy = :k AND attribute_not_exists(redeemedAt)',
              ExpressionAttributeNames: set.ExpressionAttributeNames,
              ExpressionAttributeValues: { ...set.values, ':k': claimedBy },
            },
          },
          {
            Update: {
              TableName: tableName(),
              Key: keys.couponClaim(poolId, claimedBy),
              UpdateExpression: set.UpdateExpression,
              ConditionExpression: 'code = :c',
              ExpressionAttributeNames: set.ExpressionAttributeNames,
              ExpressionAttributeValues: { ...set.values, ':c': code },
            },
          },
          {
            Update: {
              TableName: tableName(),
              Key: keys.couponCounter(poolId, randomInt(0, COUPON_SHARDS)),
              UpdateExpression: 'ADD redeemed :one',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
        ],
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'TransactionCanceledException') throw error;
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    if (!reasons.some((x) => x?.Code === 'ConditionalCheckFailed')) throw error;
    // redeemed a moment ago by a concurrent delivery, or the code went back unclaimed (a lost claim race)
    const now = await db().send(new GetCommand({ TableName: tableName(), Key: keys.couponCode(poolId, code), ConsistentRead: true }));
    return { outcome: typeof now.Item?.redeemedAt === 'string' ? 'repeated' : 'not_given', poolId };
  }
  return { outcome: 'redeemed', poolId, ...(campaignId ? { campaignId } : {}) };
}
