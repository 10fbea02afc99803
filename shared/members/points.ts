/**
 * Points operations against the table: earn for an action, staff adjustments, redemptions,
 * expiry of due lots and the scheduled tier review. Each plans with the pure ledger/tier rules,
 * writes one transaction guarded by the profile version and the ledger source guard, and retries
 * with fresh reads when a concurrent change won.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { newId } from '#shared/ids.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import { addMonths, credit, debit, expireLot, type LedgerChange, type LedgerEntry, type LedgerError } from './ledger.ts';
import {
  backoff,
  commit,
  EXPIRY_SHARDS,
  ledgerItems,
  loyaltyConfig,
  MAX_ATTEMPTS,
  profileItem,
  readLedger,
  readMember,
  type TransactItem,
  tierChangeItems,
  windowMetrics,
} from './store.ts';
import { DEFAULT_TIERS, initialTier, reviewTier, type TierChange, upgradeOnEvent } from './tiers.ts';

export interface PointsRequest {
  contactId: string;
  /** `earn` for actions (survey answered …), `adjust` by staff (signed), `redeem` by the shop. */
  kind: 'earn' | 'adjust' | 'redeem';
  /** Positive, except adjustments which may be negative. */
  points: number;
  /** Unique per change: a repeat with the same source id changes nothing. */
  sourceId: string;
  at: string;
  reason?: string;
  actor?: string;
}

export type PointsOutcome =
  | { status: 'applied'; entry: LedgerEntry; balance: number; tierChange?: TierChange }
  | { status: 'duplicate'; balance: number }
  | { status: LedgerError | 'no_member' };

/** Applies one points change exactly once per source id; the balance never goes below zero. */
export async function changePoints(req: PointsRequest): Promise<PointsOutcome> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const member = await readMember(req.contactId);
    if (!member) return { status: 'no_member' };
    const config = await loyaltyConfig();
    const tier = member.tier ?? initialTier(config.tiers, config.settings, req.at);
    const entryId = newId('pt', Date.parse(req.at) || Date.now());
    let change: LedgerChange | LedgerError;
    if (req.points > 0 && req.kind !== 'redeem') {
      const expiresAt = addMonths(req.at, config.settings.pointsExpiryMonths);
      change = credit(
        { balance: member.balance, lots: [] },
        { kind: req.kind === 'adjust' ? 'adjust' : 'earn', points: req.points, sourceId: req.sourceId, entryId, at: req.at, expiresAt, ...extras(req) },
      );
    } else {
      const ledger = await readLedger(member);
      change = debit(ledger, {
        kind: req.kind === 'redeem' ? 'redeem' : 'adjust',
        points: Math.abs(req.points),
        sourceId: req.sourceId,
        entryId,
        at: req.at,
        ...extras(req),
      });
    }
    if (typeof change === 'string') return (await sourceSeen(req.sourceId)) ? { status: 'duplicate', balance: member.balance } : { status: change };
    let tierState = tier;
    let tierChange: TierChange | undefined;
    if (change.entry.kind === 'earn') {
      const metrics = await windowMetrics(member.contactId, config, req.at, { extraPoints: change.entry.points });
      const upgraded = upgradeOnEvent(tier, config.tiers, metrics, config.settings, req.at);
      tierState = upgraded.state;
      tierChange = upgraded.change;
    }
    const earnedDelta = change.entry.kind === 'earn' ? change.entry.points : 0;
    const items: TransactItem[] = [
      ...ledgerItems(member.contactId, change),
      profileItem(member, { ledger: { balance: change.entry.balanceAfter, earned: member.earned + earnedDelta }, tier: tierState }),
      ...(tierChange ? tierChangeItems(member.contactId, member.shopId, tierChange, req.at, req.sourceId) : []),
    ];
    const outcome = await commit(items, 0);
    if (outcome === 'committed') return { status: 'applied', entry: change.entry, balance: change.entry.balanceAfter, ...(tierChange ? { tierChange } : {}) };
    if (outcome === 'duplicate') return { status: 'duplicate', balance: member.balance };
    await backoff(attempt);
  }
  throw new Error('points change: too much contention on one member');
}

/** Whether a ledger change with this source id was already made (a refused plan may be a repeat). */
async function sourceSeen(sourceId: string): Promise<boolean> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.pointsSource(sourceId), ConsistentRead: true }));
  return res.Item !== undefined;
}

function extras(req: PointsRequest): { reason?: string; actor?: string } {
  return { ...(req.reason !== undefined ? { reason: req.reason } : {}), ...(req.actor !== undefined ? { actor: req.actor } : {}) };
}

/** Expires one lot (idempotent: a gone or empty lot, or a repeated expiry, changes nothing). */
export async function expireOneLot(contactId: string, lotId: string, now: string): Promise<'expired' | 'nothing'> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const member = await readMember(contactId);
    if (!member) return 'nothing';
    const ledger = await readLedger(member);
    const change = expireLot(ledger, lotId, newId('pt', Date.parse(now)), now);
    if (!change) return 'nothing';
    const items = [...ledgerItems(contactId, change), profileItem(member, { ledger: { balance: change.entry.balanceAfter, earned: member.earned } })];
    const outcome = await commit(items, 0);
    if (outcome === 'committed') return 'expired';
    if (outcome === 'duplicate') return 'nothing';
    await backoff(attempt);
  }
  throw new Error('points expiry: too much contention on one member');
}

/**
 * Expires every lot due by `now`, reading the sharded expiry index (never a Scan). Stops early
 * when `timeLeftMs` runs low; the next run picks up where this one stopped.
 */
export async function expireDuePoints(
  now: string,
  timeLeftMs: () => number = () => Infinity,
): Promise<{ expired: number; checked: number; complete: boolean }> {
  let expired = 0;
  let checked = 0;
  for (let shard = 0; shard < EXPIRY_SHARDS; shard++) {
    let start: Record<string, unknown> | undefined;
    do {
      if (timeLeftMs() < 5_000) return { expired, checked, complete: false };
      const res = await db().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :p AND gsi2sk < :bound',
          ExpressionAttributeValues: { ':p': keys.pointsExpiryPartition(shard).gsi2pk, ':bound': `${now}$` },
          Limit: 100,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of res.Items ?? []) {
        checked++;
        if ((await expireOneLot(String(item.contactId), String(item.lotId), now)) === 'expired') expired++;
      }
      start = res.LastEvaluatedKey;
    } while (start);
  }
  return { expired, checked, complete: true };
}

/** Reviews one member's tier now (keep, grace, downgrade or catch-up upgrade). */
export async function reviewOneMember(contactId: string, now: string): Promise<string> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const member = await readMember(contactId);
    if (!member?.tier) return 'nothing';
    if (member.tier.reviewAt > now) return 'not_due';
    const config = await loyaltyConfig();
    const metrics = await windowMetrics(contactId, config, now);
    const reviewed = reviewTier(member.tier, config.tiers, metrics, config.settings, now);
    const items = [
      profileItem(member, { tier: reviewed.state }),
      ...(reviewed.change ? tierChangeItems(contactId, member.shopId, reviewed.change, now, 'review') : []),
    ];
    if ((await commit(items)) === 'committed') return reviewed.outcome;
    await backoff(attempt);
  }
  throw new Error('tier review: too much contention on one member');
}

/** Reviews every member whose review date has come, tier by tier through gsi3 (never a Scan). */
export async function reviewDueTiers(now: string, timeLeftMs: () => number = () => Infinity): Promise<{ reviewed: Record<string, number>; complete: boolean }> {
  const config = await loyaltyConfig();
  const tierIds = [...new Set([...config.tiers.map((t) => t.tierId), ...DEFAULT_TIERS.map((t) => t.tierId)])];
  const reviewed: Record<string, number> = {};
  for (const tierId of tierIds) {
    let start: Record<string, unknown> | undefined;
    do {
      if (timeLeftMs() < 5_000) return { reviewed, complete: false };
      const res = await db().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'gsi3',
          KeyConditionExpression: 'gsi3pk = :p AND gsi3sk < :bound',
          ExpressionAttributeValues: { ':p': keys.tierPartition(tierId).gsi3pk, ':bound': `${now}$` },
          Limit: 100,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of res.Items ?? []) {
        const outcome = await reviewOneMember(String(item.contactId), now);
        reviewed[outcome] = (reviewed[outcome] ?? 0) + 1;
      }
      start = res.LastEvaluatedKey;
    } while (start);
  }
  return { reviewed, complete: true };
}
