/**
 * DynamoDB side of members: the member figures on the contact profile, the points ledger and its
 * lots, loyalty configuration, window metrics and the transaction that writes a change. Every
 * multi-item change (ledger entry + source guard + lots + balance [+ order, timeline, outbox]) is
 * one TransactWriteItems guarded by the profile's `version`; callers re-read and retry on conflict.
 */
import { createHash } from 'node:crypto';
import { GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { newId } from '#shared/ids.ts';
import { keys } from '#shared/store/keys.ts';
import { db, queryAll, tableName } from '#shared/store/table.ts';
import type { LedgerChange, LedgerEntry, LedgerState, Lot } from './ledger.ts';
import { EMPTY_RFM, type OrderRecord, type Rfm } from './orders.ts';
import {
  addDays,
  DEFAULT_SETTINGS,
  DEFAULT_TIERS,
  type LoyaltySettings,
  metricsNeeded,
  sortTiers,
  type TierChange,
  type TierDef,
  type TierState,
  type WindowMetrics,
} from './tiers.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Shards of the expiring-lots index (spreads the writes of busy days over partitions). */
export const EXPIRY_SHARDS = 8;

/** The member figures kept on a contact profile. */
export interface MemberRecord {
  contactId: string;
  shopId?: string;
  /** 0 when the profile has no version attribute yet. */
  version: number;
  rfm: Rfm;
  balance: number;
  /** Lifetime points earned. */
  earned: number;
  tier?: TierState;
  /** The whole profile item (for the 360 view). */
  item: Record<string, unknown>;
}

/** Reads the member figures of a contact (strongly consistent); undefined when there is no contact. */
export async function readMember(contactId: string): Promise<MemberRecord | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.contact(contactId), ConsistentRead: true }));
  return res.Item ? memberFromItem(res.Item) : undefined;
}

/** Member figures from a raw profile item. */
export function memberFromItem(item: Record<string, unknown>): MemberRecord {
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const tierId = str(item.tierId);
  const tier: TierState | undefined = tierId
    ? {
        tierId,
        since: str(item.tierSince) ?? '',
        reviewAt: str(item.tierReviewAt) ?? '',
        ...(str(item.tierGraceUntil) ? { graceUntil: str(item.tierGraceUntil) as string } : {}),
      }
    : undefined;
  const firstOrderAt = str(item.firstOrderAt);
  const lastOrderAt = str(item.lastOrderAt);
  return {
    contactId: String(item.contactId),
    ...(str(item.shopId) ? { shopId: str(item.shopId) as string } : {}),
    version: num(item.version),
    rfm: {
      ...EMPTY_RFM,
      orderCount: num(item.orderCount),
      totalSpend: num(item.totalSpend),
      ...(firstOrderAt ? { firstOrderAt } : {}),
      ...(lastOrderAt ? { lastOrderAt } : {}),
    },
    balance: num(item.pointsBalance),
    earned: num(item.pointsEarned),
    ...(tier ? { tier } : {}),
    item,
  };
}

/** The open lots of a member, oldest expiry first (consistent; paged to the end). */
export async function readLots(contactId: string): Promise<Lot[]> {
  const lots: Lot[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.contact(contactId).pk, ':prefix': keys.pointsLotPrefix() },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of res.Items ?? []) lots.push({ lotId: String(item.lotId), expiresAt: String(item.expiresAt), remaining: Number(item.remaining) });
    start = res.LastEvaluatedKey;
  } while (start);
  return lots;
}

/** The ledger state the pure functions plan against. */
export async function readLedger(member: MemberRecord): Promise<LedgerState> {
  return { balance: member.balance, lots: await readLots(member.contactId) };
}

export interface LoyaltyConfig {
  tiers: TierDef[];
  settings: LoyaltySettings;
  /** False while the shop still runs on the built-in defaults. */
  stored: boolean;
  /** Versions of stored items, for conditional admin edits. */
  versions: Record<string, number>;
}

let configCache: { at: number; value: LoyaltyConfig } | undefined;
const CONFIG_MAX_AGE_MS = 30_000;

/** Tiers and settings (cached per container for 30 s; admin edits reach every container within that). */
export async function loyaltyConfig(now = Date.now()): Promise<LoyaltyConfig> {
  if (configCache && now - configCache.at < CONFIG_MAX_AGE_MS) return configCache.value;
  const [tierRes, settingsRes] = await Promise.all([
    db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.loyaltySettings().pk, ':prefix': keys.tierDefPrefix() },
        ConsistentRead: true,
      }),
    ),
    db().send(new GetCommand({ TableName: tableName(), Key: keys.loyaltySettings(), ConsistentRead: true })),
  ]);
  const versions: Record<string, number> = {};
  const stored = (tierRes.Items ?? []).map((item) => {
    versions[String(item.tierId)] = Number(item.version ?? 0);
    return tierFromItem(item);
  });
  const settingsItem = settingsRes.Item;
  if (settingsItem) versions.settings = Number(settingsItem.version ?? 0);
  const settings: LoyaltySettings = settingsItem
    ? {
        pointsPerUnit: Number(settingsItem.pointsPerUnit ?? DEFAULT_SETTINGS.pointsPerUnit),
        pointsExpiryMonths: Number(settingsItem.pointsExpiryMonths ?? DEFAULT_SETTINGS.pointsExpiryMonths),
        windowDays: Number(settingsItem.windowDays ?? DEFAULT_SETTINGS.windowDays),
        reviewEveryDays: Number(settingsItem.reviewEveryDays ?? DEFAULT_SETTINGS.reviewEveryDays),
        graceDays: Number(settingsItem.graceDays ?? DEFAULT_SETTINGS.graceDays),
      }
    : DEFAULT_SETTINGS;
  const value: LoyaltyConfig = {
    tiers: stored.length > 0 ? sortTiers(stored) : sortTiers(DEFAULT_TIERS),
    settings,
    stored: stored.length > 0,
    versions,
  };
  configCache = { at: now, value };
  return value;
}

/** Drops the cached configuration (after an admin edit in this container, and in tests). */
/** The benefits of a member tier (priority, SLA policy, team, perks), or undefined for an unknown tier. */
export async function tierBenefits(tierId: string): Promise<TierDef['benefits'] | undefined> {
  return (await loyaltyConfig()).tiers.find((t) => t.tierId === tierId)?.benefits;
}

export function forgetLoyaltyConfig(): void {
  configCache = undefined;
}

/** A tier definition from its config item. */
export function tierFromItem(item: Record<string, unknown>): TierDef {
  const benefits = (item.benefits ?? {}) as Partial<TierDef['benefits']>;
  return {
    tierId: String(item.tierId),
    rank: Number(item.rank),
    name: item.name as TierDef['name'],
    ...(typeof item.minSpend === 'number' ? { minSpend: item.minSpend } : {}),
    ...(typeof item.minPoints === 'number' ? { minPoints: item.minPoints } : {}),
    benefits: { priorityBoost: 0, pointsMultiplier: 1, perks: [], ...benefits },
  };
}

/**
 * Spend and net points earned over `windowDays` up to `at`. The order being changed is left out
 * of the query and passed in with its new state (`current`), and `extraPoints` is the change being
 * planned, so the figures describe the state the transaction will leave.
 */
export async function windowMetrics(
  contactId: string,
  config: LoyaltyConfig,
  at: string,
  adjust: { current?: OrderRecord; extraPoints?: number } = {},
): Promise<WindowMetrics> {
  const from = addDays(at, -config.settings.windowDays);
  const need = metricsNeeded(config.tiers);
  const [orders, entries] = await Promise.all([
    need.spend
      ? queryAll({
          TableName: tableName(),
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p AND gsi1sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':p': keys.contactOrdersPartition(contactId).gsi1pk, ':from': from, ':to': `${at}~` },
        })
      : [],
    need.points
      ? queryAll({
          TableName: tableName(),
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': keys.contact(contactId).pk,
            ':from': `${keys.pointsEntryPrefix()}${from}`,
            ':to': `${keys.pointsEntryPrefix()}${at}~`,
          },
          ConsistentRead: true,
        })
      : [],
  ]);
  return metricsFromItems(orders, entries, config, at, adjust);
}

/**
 * The window metrics from already-read items (pure): order items of the contact (gsi1 copies)
 * and its ledger entry items; items outside the window are ignored, the changed order is taken
 * from `adjust.current` and the planned points from `adjust.extraPoints`.
 */
export function metricsFromItems(
  orders: readonly Record<string, unknown>[],
  entries: readonly Record<string, unknown>[],
  config: LoyaltyConfig,
  at: string,
  adjust: { current?: OrderRecord; extraPoints?: number } = {},
): WindowMetrics {
  const from = addDays(at, -config.settings.windowDays);
  const need = metricsNeeded(config.tiers);
  let spend = 0;
  let points = 0;
  if (need.spend) {
    const to = `${at}~`;
    for (const item of orders) {
      const sk = String(item.gsi1sk ?? '');
      if (sk < from || sk > to || item.orderId === adjust.current?.orderId) continue;
      if (item.counted && !item.refunded) spend += Number(item.countedAmount ?? 0);
    }
    const cur = adjust.current;
    if (cur?.counted && !cur.refunded && cur.placedAt > from && cur.placedAt <= at) spend += cur.countedAmount ?? 0;
  }
  if (need.points) {
    const prefix = keys.pointsEntryPrefix();
    const lo = `${prefix}${from}`;
    const hi = `${prefix}${at}~`;
    for (const item of entries) {
      const sk = String(item.sk ?? '');
      if (sk < lo || sk > hi) continue;
      if (item.kind === 'earn' || item.kind === 'reverse') points += Number(item.points ?? 0);
    }
    points += adjust.extraPoints ?? 0;
  }
  return { spend: Math.round(spend * 100) / 100, points };
}

/** The expiry-index shard of a contact (stable). */
export function expiryShard(contactId: string): number {
  return createHash('sha1').update(contactId).digest()[0]! % EXPIRY_SHARDS;
}

/**
 * The writes of one ledger change: source guard, entry, new lot or lot decrements/deletions. The
 * guard is left out (`guard: false`) where another conditional write of the same change already
 * makes it exactly-once — an order's points: the order item records them under its version.
 */
export function ledgerItems(contactId: string, change: LedgerChange, options: { guard?: boolean } = {}): TransactItem[] {
  const TableName = tableName();
  const { entry } = change;
  const items: TransactItem[] = [
    ...(options.guard === false
      ? []
      : [
          {
            Put: {
              TableName,
              Item: { ...keys.pointsSource(entry.sourceId), sourceId: entry.sourceId, contactId, entryId: entry.entryId, at: entry.at },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ]),
    {
      Put: {
        TableName,
        Item: { ...keys.pointsEntry(contactId, entry.at, entry.entryId), contactId, ...entry },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
  if (change.newLot) {
    const lot = change.newLot;
    items.push({
      Put: {
        TableName,
        Item: {
          ...keys.pointsLot(contactId, lot.expiresAt, lot.lotId),
          ...keys.pointsExpiry(expiryShard(contactId), lot.expiresAt, contactId, lot.lotId),
          contactId,
          lotId: lot.lotId,
          expiresAt: lot.expiresAt,
          remaining: lot.remaining,
          points: lot.remaining,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  for (const take of change.takes) {
    const Key = keys.pointsLot(contactId, take.expiresAt, take.lotId);
    items.push(
      take.take === take.before
        ? { Delete: { TableName, Key, ConditionExpression: 'remaining = :before', ExpressionAttributeValues: { ':before': take.before } } }
        : {
            Update: {
              TableName,
              Key,
              UpdateExpression: 'SET remaining = :after',
              ConditionExpression: 'remaining = :before',
              ExpressionAttributeValues: { ':before': take.before, ':after': take.before - take.take },
            },
          },
    );
  }
  return items;
}

/** What a change sets on the profile (undefined values are removed). */
export interface ProfilePatch {
  rfm?: Rfm;
  ledger?: { balance: number; earned: number };
  tier?: TierState;
  /** Further attributes of the same write (e.g. a churn rescore) and the condition that guards them. */
  extra?: { set: Record<string, unknown>; remove: string[]; condition?: { expression: string; values: Record<string, unknown> } };
}

/** The attributes a change sets and removes on the profile (version + 1 included). */
export function profileChanges(member: MemberRecord, patch: ProfilePatch): { set: Record<string, unknown>; remove: string[] } {
  const set: Record<string, unknown> = {};
  const remove: string[] = [];
  if (patch.rfm) {
    set.orderCount = patch.rfm.orderCount;
    set.totalSpend = patch.rfm.totalSpend;
    if (patch.rfm.firstOrderAt) set.firstOrderAt = patch.rfm.firstOrderAt;
    if (patch.rfm.lastOrderAt) set.lastOrderAt = patch.rfm.lastOrderAt;
  }
  if (patch.ledger) {
    set.pointsBalance = patch.ledger.balance;
    set.pointsEarned = patch.ledger.earned;
  }
  if (patch.tier) {
    set.tierId = patch.tier.tierId;
    set.tierSince = patch.tier.since;
    set.tierReviewAt = patch.tier.reviewAt;
    if (patch.tier.graceUntil) set.tierGraceUntil = patch.tier.graceUntil;
    else remove.push('tierGraceUntil');
    Object.assign(set, keys.memberOfTier(patch.tier.tierId, patch.tier.reviewAt, member.contactId));
  }
  if (patch.extra) {
    Object.assign(set, patch.extra.set);
    remove.push(...patch.extra.remove);
  }
  set.version = member.version + 1;
  return { set, remove };
}

/** The conditional profile update of a change: member figures, tier index entry, version + 1. */
export function profileItem(member: MemberRecord, patch: ProfilePatch): TransactItem {
  const { set, remove } = profileChanges(member, patch);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const assignments = Object.entries(set).map(([name, value], i) => {
    names[`#a${i}`] = name;
    values[`:a${i}`] = value;
    return `#a${i} = :a${i}`;
  });
  const removals = remove.map((name, i) => {
    names[`#r${i}`] = name;
    return `#r${i}`;
  });
  values[':v'] = member.version;
  return {
    Update: {
      TableName: tableName(),
      Key: keys.contact(member.contactId),
      UpdateExpression: `SET ${assignments.join(', ')}${removals.length ? ` REMOVE ${removals.join(', ')}` : ''}`,
      ConditionExpression: `${member.version === 0 ? 'attribute_exists(pk) AND (attribute_not_exists(version) OR version = :v)' : 'version = :v'}${
        patch.extra?.condition ? ` AND ${patch.extra.condition.expression}` : ''
      }`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ...values, ...patch.extra?.condition?.values },
    },
  };
}

/** Timeline entry and outbox event of a tier change (both in the change's transaction). */
export function tierChangeItems(
  contactId: string,
  shopId: string | undefined,
  change: TierChange,
  at: string,
  cause: string,
  eventId = newId('evt'),
): TransactItem[] {
  const payload = { type: 'member.tier_changed', contactId, shopId, from: change.from, to: change.to, direction: change.direction, cause, at };
  return [
    { Put: { TableName: tableName(), Item: { ...keys.contactTimeline(contactId, at, eventId), eventId, ...payload } } },
    { Put: { TableName: tableName(), Item: { ...keys.outboxEvent(eventId), ...keys.outboxPending(at, eventId), eventId, ...payload } } },
  ];
}

export type CommitOutcome = 'committed' | 'duplicate' | 'conflict';

/**
 * Writes a change. `guardIndex` is the position of the ledger source guard (if any): when only
 * that condition failed, the change was already made (a duplicate); any other failed condition is
 * a concurrent change, and the caller re-reads and plans again.
 */
export async function commit(items: TransactItem[], guardIndex?: number): Promise<CommitOutcome> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
    return 'committed';
  } catch (error) {
    const e = error as { name?: string; CancellationReasons?: { Code?: string }[] };
    if (e.name !== 'TransactionCanceledException') throw error;
    const reasons = e.CancellationReasons ?? [];
    if (reasons.some((r) => r.Code && r.Code !== 'None' && r.Code !== 'ConditionalCheckFailed')) {
      if (reasons.some((r) => r.Code === 'TransactionConflict')) return 'conflict';
      throw error;
    }
    if (guardIndex !== undefined && reasons[guardIndex]?.Code === 'ConditionalCheckFailed') return 'duplicate';
    return 'conflict';
  }
}

/** Short random pause before a retry (spreads contending writers). */
export function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random())));
}

export const MAX_ATTEMPTS = 8;

/** A page of a member's ledger, newest first. */
export async function listLedger(
  contactId: string,
  limit: number,
  cursor?: Record<string, string>,
): Promise<{ items: LedgerEntry[]; next?: Record<string, unknown> }> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.contact(contactId).pk, ':prefix': keys.pointsEntryPrefix() },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: cursor,
    }),
  );
  const items = (res.Items ?? []).map((item) => {
    const { pk: _pk, sk: _sk, contactId: _c, ...entry } = item;
    return entry as LedgerEntry;
  });
  return { items, ...(res.LastEvaluatedKey ? { next: res.LastEvaluatedKey } : {}) };
}

/** A contact's most recent orders (newest first). */
export async function listRecentOrders(contactId: string, limit: number): Promise<Record<string, unknown>[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.contactOrdersPartition(contactId).gsi1pk },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (res.Items ?? []).map(({ pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _gs, version: _v, ...order }) => order);
}

/** A contact's timeline (tier changes …), newest first. */
export async function listTimeline(contactId: string, limit: number): Promise<Record<string, unknown>[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.contact(contactId).pk, ':prefix': keys.contactTimelinePrefix() },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (res.Items ?? []).map(({ pk: _pk, sk: _sk, contactId: _c, ...event }) => event);
}
