/**
 * Churn state on the contact profile: rescoring one contact (orders from gsi1 + cheap service
 * signals), the early-warning list (gsi2 `CHURN#{level}`, highest risk first), the thresholds item
 * and the shop reference. The churn attributes are their own sub-document on the profile, guarded
 * by `churnVersion` rather than the member `version`, so a rescore never makes an order or points
 * transaction retry (and vice versa); UpdateItem touches only these attributes.
 */
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ServiceSignals } from '#shared/ai/churn.ts';
import { conflict } from '#shared/http/errors.ts';
import { newId } from '#shared/ids.ts';
import type { TransactItem } from '#shared/members/store.ts';
import { keys } from '#shared/store/keys.ts';
import { db, queryAll, setRemove, tableName } from '#shared/store/table.ts';
import { scoreContactFitted } from './fitted-score.ts';
import { historyText } from './history.ts';
import { activeSpec } from './model-store.ts';
import {
  CHURN_LEVELS,
  type ChurnLevel,
  type ChurnReference,
  type ChurnSettings,
  type ContactOrder,
  churnChange,
  DEFAULT_CHURN_SETTINGS,
  scoreContact,
} from './score.ts';

const CACHE_MS = 30_000;
let settingsCache: { at: number; value: ChurnSettings } | undefined;
let referenceCache: { at: number; value: ChurnReference | undefined } | undefined;

/** Risk thresholds (cached per container for 30 s; an edit reaches every container within that). */
export async function churnSettings(now = Date.now()): Promise<ChurnSettings> {
  if (settingsCache && now - settingsCache.at < CACHE_MS) return settingsCache.value;
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.churnSettings(), ConsistentRead: true }));
  const item = res.Item;
  const value: ChurnSettings = item
    ? {
        mediumAt: Number(item.mediumAt),
        highAt: Number(item.highAt),
        version: Number(item.version ?? 0),
        ...(typeof item.updatedAt === 'string' ? { updatedAt: item.updatedAt } : {}),
        ...(typeof item.updatedBy === 'string' ? { updatedBy: item.updatedBy } : {}),
      }
    : DEFAULT_CHURN_SETTINGS;
  settingsCache = { at: now, value };
  return value;
}

/** Saves new thresholds when `version` is still the stored one (409 otherwise). */
export async function saveChurnSettings(input: { mediumAt: number; highAt: number; version: number }, by: string, now: Date): Promise<ChurnSettings> {
  const next: ChurnSettings = { mediumAt: input.mediumAt, highAt: input.highAt, version: input.version + 1, updatedAt: now.toISOString(), updatedBy: by };
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.churnSettings(), ...next },
        ...(input.version === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': input.version } }),
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException')
      throw conflict({ en: 'the churn thresholds were changed by someone else; reload and try again', zh: '流失风险阈值已被他人修改，请重新加载后再试' });
    throw error;
  }
  settingsCache = undefined;
  return next;
}

/** The shop reference written by the daily run (undefined before its first run). */
export async function churnReference(now = Date.now()): Promise<ChurnReference | undefined> {
  if (referenceCache && now - referenceCache.at < CACHE_MS) return referenceCache.value;
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.churnReference() }));
  const item = res.Item;
  const value = item
    ? { medianAov: Number(item.medianAov), medianRatePerDay: Number(item.medianRatePerDay), members: Number(item.members), computedAt: String(item.computedAt) }
    : undefined;
  referenceCache = { at: now, value };
  return value;
}

/** Stores the shop reference. */
export async function saveChurnReference(reference: ChurnReference): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.churnReference(), ...reference } }));
  referenceCache = undefined;
}

/** Drops cached settings and reference (tests, and after edits in this container). */
export function forgetChurnCaches(): void {
  settingsCache = undefined;
  referenceCache = undefined;
}

/** A contact's counted (paid, not refunded) orders, from gsi1. */
export async function contactOrders(contactId: string): Promise<ContactOrder[]> {
  const items = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :p',
    ExpressionAttributeValues: { ':p': keys.contactOrdersPartition(contactId).gsi1pk },
  });
  return items
    .filter((o) => o.counted === true && o.refunded !== true && typeof o.placedAt === 'string')
    .map((o) => ({ placedAt: String(o.placedAt), amount: Number(o.countedAmount ?? o.amount ?? 0) }));
}

const SIGNAL_NAMES = ['slaBreaches', 'lowCsat', 'repeatContacts', 'openComplaints', 'botLoops'] as const;

/**
 * Service signals that cost two small queries: SLA breaches and open complaints from the contact's
 * tickets of the last 90 days, repeat contacts (conversations in 30 days beyond the first) and
 * bot loops (conversations with ≥ 2 bot fallbacks). Hook for other issues: a `serviceSignals` map
 * on the profile (e.g. `{ lowCsat: 1 }` kept by the feedback issue) is merged in, taking the larger
 * count per signal.
 */
export async function serviceSignals(contactId: string, now: Date, profile: Record<string, unknown>): Promise<ServiceSignals> {
  const from90 = new Date(now.getTime() - 90 * 86_400_000).toISOString();
  const from30 = new Date(now.getTime() - 30 * 86_400_000).toISOString();
  const [tickets, conversations] = await Promise.all([
    queryAll({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p AND gsi1sk >= :from',
      ExpressionAttributeValues: { ':p': keys.contactTicketsPartition(contactId).gsi1pk, ':from': from90 },
    }),
    queryAll({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p AND gsi1sk >= :from',
      ExpressionAttributeValues: { ':p': keys.contactConversationsPartition(contactId).gsi1pk, ':from': from90 },
    }),
  ]);
  const active = (status: unknown) => status !== 'solved' && status !== 'closed';
  const counted: Required<ServiceSignals> = {
    slaBreaches: tickets.reduce(
      (sum, t) => sum + (Array.isArray((t.sla as { breached?: unknown[] } | undefined)?.breached) ? (t.sla as { breached: unknown[] }).breached.length : 0),
      0,
    ),
    openComplaints: tickets.filter((t) => active(t.status) && (t.category === 'FEEDBACK' || (Array.isArray(t.tags) && t.tags.includes('complaint')))).length,
    repeatContacts: Math.max(0, conversations.filter((c) => String(c.createdAt ?? '') >= from30).length - 1),
    botLoops: conversations.filter((c) => Number((c.bot as { fallbacks?: number } | undefined)?.fallbacks ?? 0) >= 2).length,
    lowCsat: 0,
  };
  const hook = (profile.serviceSignals ?? {}) as Partial<Record<(typeof SIGNAL_NAMES)[number], unknown>>;
  const out: ServiceSignals = {};
  for (const name of SIGNAL_NAMES) {
    const stored = typeof hook[name] === 'number' ? (hook[name] as number) : 0;
    const n = Math.max(counted[name], stored);
    if (n > 0) out[name] = n;
  }
  return out;
}

export type RescoreOutcome =
  | { status: 'no_contact' }
  | { status: 'no_orders' | 'unchanged' | 'scored'; level?: ChurnLevel; risk?: number; crossedIntoHigh?: boolean };

/** What the scorer reads besides the contact: thresholds, shop reference, active model (all cached per container). */
export interface ChurnContext {
  settings: ChurnSettings;
  reference: ChurnReference | undefined;
  model: Awaited<ReturnType<typeof activeSpec>>;
}

export async function churnContext(now: Date): Promise<ChurnContext> {
  const [settings, reference, model] = await Promise.all([churnSettings(now.getTime()), churnReference(now.getTime()), activeSpec(now.getTime())]);
  return { settings, reference, model };
}

/**
 * A rescore planned against a profile read at `version` (its `churnVersion`): the attributes to
 * SET and REMOVE on the profile, and the timeline + outbox items when it crosses into high risk.
 * Callers write it with their own UpdateItem or fold it into a larger transaction.
 */
export interface ChurnPlan {
  changed: boolean;
  outcome: RescoreOutcome;
  version: number;
  set: Record<string, unknown>;
  remove: string[];
  items: TransactItem[];
}

/** The churn-version guard of a plan (for a ConditionExpression; `:cv` is its only placeholder). */
export function churnGuard(version: number): { expression: string; values: Record<string, unknown> } {
  return version === 0 ? { expression: 'attribute_not_exists(churnVersion)', values: {} } : { expression: 'churnVersion = :cv', values: { ':cv': version } };
}

/** Signals still fresh on the profile (scored within a day by a rescore), merged with the profile hook; undefined when stale. */
export function storedSignals(profile: Record<string, unknown>, now: Date): ServiceSignals | undefined {
  const scoredAt = typeof profile.churnScoredAt === 'string' ? Date.parse(profile.churnScoredAt) : Number.NaN;
  if (!(now.getTime() - scoredAt < 86_400_000) || typeof profile.churnSignals !== 'object' || profile.churnSignals === null) return undefined;
  const out: ServiceSignals = {};
  for (const name of SIGNAL_NAMES) {
    const n = Math.max(
      Number((profile.churnSignals as Record<string, unknown>)[name] ?? 0) || 0,
      Number(((profile.serviceSignals ?? {}) as Record<string, unknown>)[name] ?? 0) || 0,
    );
    if (n > 0) out[name] = n;
  }
  return out;
}

/** Plans a rescore (pure): what changes on the profile given its counted orders and service signals. */
export function planChurn(
  contactId: string,
  profile: Record<string, unknown>,
  orders: readonly ContactOrder[],
  signals: ServiceSignals,
  now: Date,
  ctx: ChurnContext,
): ChurnPlan {
  const { settings, reference, model } = ctx;
  // The fitted model when the daily refit promoted one (model-store.ts), else the hand-set score.
  const score = model ? scoreContactFitted(model, orders, now, signals, settings) : scoreContact(contactId, orders, now, signals, settings, reference);
  // The purchase history the daily refit learns from (model-store.ts), kept on the profile.
  const history = historyText(orders);
  const prev = {
    ...(typeof profile.churnLevel === 'string' ? { level: profile.churnLevel } : {}),
    ...(typeof profile.churnRisk === 'number' ? { risk: profile.churnRisk } : {}),
    ...(Array.isArray(profile.churnReasonCodes) ? { reasonCodes: profile.churnReasonCodes as string[] } : {}),
  };
  const change = churnChange(prev, score);
  if (score && profile.churnHistory !== history) change.changed = true;
  const version = typeof profile.churnVersion === 'number' ? profile.churnVersion : 0;
  const unchanged: RescoreOutcome = score ? { status: 'unchanged', level: score.level, risk: score.risk } : { status: 'no_orders' };
  if (!change.changed) return { changed: false, outcome: unchanged, version, set: {}, remove: [], items: [] };
  const at = now.toISOString();
  if (!score)
    return {
      changed: true,
      outcome: { status: 'no_orders' },
      version,
      set: { churnVersion: version + 1, churnScoredAt: at },
      remove: ['churnRisk', 'churnLevel', 'churnReasons', 'churnReasonCodes', 'churnFeatures', 'churnSignals', 'churnHistory', 'gsi2pk', 'gsi2sk'],
      items: [],
    };
  const listing = keys.churnListing(score.level, score.risk, contactId);
  const items: TransactItem[] = [];
  if (change.crossedIntoHigh) {
    const eventId = newId('evt', now.getTime());
    const payload = {
      type: 'member.churn_high_risk',
      contactId,
      shopId: profile.shopId,
      risk: score.risk,
      from: prev.level ?? null,
      reasons: score.reasons,
      at,
    };
    items.push(
      { Put: { TableName: tableName(), Item: { ...keys.contactTimeline(contactId, at, eventId), eventId, ...payload } } },
      { Put: { TableName: tableName(), Item: { ...keys.outboxEvent(eventId), ...keys.outboxPending(at, eventId), eventId, ...payload } } },
    );
  }
  return {
    changed: true,
    outcome: { status: 'scored', level: score.level, risk: score.risk, crossedIntoHigh: change.crossedIntoHigh },
    version,
    set: {
      churnRisk: score.risk,
      churnLevel: score.level,
      churnReasons: score.reasons,
      churnReasonCodes: score.reasons.map((r) => r.code),
      churnFeatures: score.features,
      // The counted service signals, for the retention view's service-quality tally (daily.ts).
      churnSignals: signals,
      churnHistory: history,
      churnScoredAt: at,
      churnVersion: version + 1,
      gsi2pk: listing.gsi2pk,
      gsi2sk: listing.gsi2sk,
    },
    remove: [],
    items,
  };
}

/**
 * Recomputes a contact's churn score and stores it when it changed; when the contact crosses into
 * high risk, a timeline entry and an outbox event (`member.churn_high_risk`) are written in the
 * same transaction. Retries when a concurrent rescore won.
 */
export async function rescoreContact(contactId: string, now: Date): Promise<RescoreOutcome> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.contact(contactId), ConsistentRead: true }));
    const profile = res.Item as Record<string, unknown> | undefined;
    if (!profile) return { status: 'no_contact' };
    const [orders, ctx] = await Promise.all([contactOrders(contactId), churnContext(now)]);
    const signals = orders.length > 0 ? await serviceSignals(contactId, now, profile) : {};
    const plan = planChurn(contactId, profile, orders, signals, now, ctx);
    if (!plan.changed) return plan.outcome;
    const guard = churnGuard(plan.version);
    const sr = setRemove(plan.set, plan.remove);
    const update = {
      TableName: tableName(),
      Key: keys.contact(contactId),
      UpdateExpression: [sr.set, sr.remove].filter(Boolean).join(' '),
      ConditionExpression: `attribute_exists(pk) AND ${guard.expression}`,
      ExpressionAttributeNames: sr.names,
      ExpressionAttributeValues: { ...sr.values, ...guard.values },
    };
    try {
      if (plan.items.length > 0) await db().send(new TransactWriteCommand({ TransactItems: [{ Update: update }, ...plan.items] }));
      else await db().send(new UpdateCommand(update));
      return plan.outcome;
    } catch (error) {
      const name = (error as Error).name;
      if (name !== 'ConditionalCheckFailedException' && name !== 'TransactionCanceledException') throw error;
    }
  }
  throw new Error('churn rescore: too much contention on one contact');
}

/** One row of the early-warning list. */
export interface ChurnRow {
  contactId: string;
  name?: string;
  tierId?: string;
  risk: number;
  level: ChurnLevel;
  reasons: { code: string; zh: string; en: string }[];
  scoredAt?: string;
  lastOrderAt?: string;
  orderCount: number;
  totalSpend: number;
  pointsBalance: number;
}

function rowOf(item: Record<string, unknown>): ChurnRow {
  return {
    contactId: String(item.contactId),
    ...(typeof item.name === 'string' ? { name: item.name } : {}),
    ...(typeof item.tierId === 'string' ? { tierId: item.tierId } : {}),
    risk: Number(item.churnRisk),
    level: item.churnLevel as ChurnLevel,
    reasons: (item.churnReasons ?? []) as ChurnRow['reasons'],
    ...(typeof item.churnScoredAt === 'string' ? { scoredAt: item.churnScoredAt } : {}),
    ...(typeof item.lastOrderAt === 'string' ? { lastOrderAt: item.lastOrderAt } : {}),
    orderCount: Number(item.orderCount ?? 0),
    totalSpend: Number(item.totalSpend ?? 0),
    pointsBalance: Number(item.pointsBalance ?? 0),
  };
}

/** Where a page of the list resumes: the level and the last returned row's index key. */
export interface ChurnCursor {
  level: ChurnLevel;
  key?: Record<string, string>;
}

/**
 * A page of the early-warning list: levels in the order asked (default high → medium → low), each
 * highest risk first, through gsi2 — a Query per level, never a Scan. Tier and reason filters are
 * applied to the index pages; a page reads at most ~1,000 index items and returns a cursor.
 */
export async function listChurn(input: {
  levels: readonly ChurnLevel[];
  tier?: string;
  reason?: string;
  limit: number;
  cursor?: ChurnCursor;
}): Promise<{ items: ChurnRow[]; cursor?: ChurnCursor }> {
  const levels = input.levels;
  let levelIndex = input.cursor ? Math.max(0, levels.indexOf(input.cursor.level)) : 0;
  let start: Record<string, unknown> | undefined = input.cursor?.key;
  let read = 0;
  const filters: string[] = [];
  const values: Record<string, unknown> = {};
  if (input.tier) {
    filters.push('tierId = :tier');
    values[':tier'] = input.tier;
  }
  if (input.reason) {
    filters.push('contains(churnReasonCodes, :reason)');
    values[':reason'] = input.reason;
  }
  const rows: { row: ChurnRow; level: ChurnLevel; key: Record<string, string> }[] = [];
  const page = () => rows.map((r) => r.row);
  while (levelIndex < levels.length) {
    const level = levels[levelIndex] as ChurnLevel;
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :p',
        ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
        ExpressionAttributeValues: { ':p': keys.churnPartition(level).gsi2pk, ...values },
        Limit: filters.length ? 200 : input.limit - rows.length + 1,
        ExclusiveStartKey: start,
      }),
    );
    read += res.ScannedCount ?? 0;
    for (const item of (res.Items ?? []) as Record<string, unknown>[]) {
      if (rows.length === input.limit) {
        const last = rows[rows.length - 1] as (typeof rows)[number];
        return { items: page(), cursor: { level: last.level, key: last.key } };
      }
      rows.push({ row: rowOf(item), level, key: { pk: String(item.pk), sk: String(item.sk), gsi2pk: String(item.gsi2pk), gsi2sk: String(item.gsi2sk) } });
    }
    start = res.LastEvaluatedKey;
    if (!start) {
      levelIndex++;
      continue;
    }
    if (rows.length === input.limit || read >= 1000) return { items: page(), cursor: { level, key: start as Record<string, string> } };
  }
  return { items: page() };
}

export { CHURN_LEVELS };
