/**
 * DynamoDB side of service quality: the per-conversation quality state, the day counter items of
 * each scope (`QUALITY#{scope}` / `DAY#{day}`, one Query per scope for any period), the backlog
 * gauge and the drill-down facts. A quality event is one transaction: the state item (conditional
 * on its version) plus every counter it adds, so a redelivered event counts nothing twice.
 */
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/store/keys.ts';
import { db, queryAll, tableName } from '#shared/store/table.ts';
import type { StaffEntry } from './agents.ts';
import { type ConversationFacts, deltaScopes, type Fact, type MetricDelta, type QualityEvent, type QualityState, scopesOf, step } from './metrics.ts';
import type { DayCounters } from './summary.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Drill-down facts are kept this long (TTL). */
const FACT_TTL_DAYS = 400;
const ATTEMPTS = 5;

/**
 * The deltas of one step summed per scope and day (one update per item: a transaction may touch an
 * item once). Counters credited to another agent than the assignee (who replied, who resolved)
 * count in that agent's scope; per-agent workload (`agentOnly`) counts in that agent's scope alone.
 */
function scopedCounters(
  deltas: readonly MetricDelta[],
  counted: Pick<ConversationFacts, 'agent' | 'channel' | 'category'>,
): [string, string, Record<string, number>][] {
  const sums = new Map<string, [string, string, Record<string, number>]>();
  for (const d of deltas) {
    for (const scope of deltaScopes(d, counted)) {
      const key = `${scope}\n${d.day}`;
      const entry = sums.get(key) ?? [scope, d.day, {}];
      for (const [k, v] of Object.entries(d.counters)) entry[2][k] = (entry[2][k] ?? 0) + v;
      sums.set(key, entry);
    }
  }
  return [...sums.values()];
}

/** Update items that add `counters` to the day item of every scope (attribute names are flat). */
export function counterUpdates(scopes: readonly string[], day: string, counters: Readonly<Record<string, number>>): TransactItem[] {
  const entries = Object.entries(counters).filter(([, v]) => v !== 0);
  if (entries.length === 0) return [];
  const names: Record<string, string> = { '#scope': 'scope', '#day': 'day' };
  const values: Record<string, unknown> = { ':day': day };
  const adds: string[] = [];
  entries.forEach(([name, value], i) => {
    names[`#c${i}`] = name;
    values[`:c${i}`] = value;
    adds.push(`#c${i} :c${i}`);
  });
  return scopes.map((scope) => ({
    Update: {
      TableName: tableName(),
      Key: keys.qualityDay(scope, day),
      UpdateExpression: `SET #scope = :scope, #day = :day ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ...values, ':scope': scope },
    },
  }));
}

/** Update items that move the backlog gauge of some scopes. */
export function gaugeUpdates(scopes: readonly string[], backlog: number): TransactItem[] {
  if (backlog === 0) return [];
  return scopes.map((scope) => ({
    Update: {
      TableName: tableName(),
      Key: keys.qualityGauge(scope),
      UpdateExpression: 'ADD backlog :d',
      ExpressionAttributeValues: { ':d': backlog },
    },
  }));
}

/** A drill-down entry: the conversation (and survey) behind a number on a day. */
export function factPut(fact: { metric: string; day: string; at: string; id: string; data?: Record<string, unknown> }): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...keys.qualityFact(fact.day, fact.metric, fact.at, fact.id),
        metric: fact.metric,
        day: fact.day,
        at: fact.at,
        id: fact.id,
        ...(fact.data ?? {}),
        ttl: Math.floor(Date.parse(fact.at) / 1000) + FACT_TTL_DAYS * 86_400,
      },
    },
  };
}

async function readState(conversationId: string): Promise<QualityState | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.conversationQuality(conversationId), ConsistentRead: true }));
  if (!res.Item) return undefined;
  const { pk: _pk, sk: _sk, ...state } = res.Item;
  return state as QualityState;
}

function isConditionFailure(error: unknown): boolean {
  return (error as Error).name === 'TransactionCanceledException';
}

/**
 * Applies one conversation event exactly once: folds it into the stored state and writes the new
 * state with every counter, gauge and fact in one transaction (retried on a concurrent change).
 * Returns what was counted, or undefined when the event changed nothing (a repeat).
 */
export async function applyQualityEvent(facts: ConversationFacts, event: QualityEvent): Promise<{ state: QualityState; facts: Fact[] } | undefined> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const prev = await readState(facts.conversationId);
    const result = step(prev, facts, event);
    if (!result) return undefined;
    const counted = { ...facts, agent: result.state.agent ?? facts.agent, category: result.state.category ?? facts.category };
    const items: TransactItem[] = [
      {
        Put: {
          TableName: tableName(),
          Item: { ...keys.conversationQuality(facts.conversationId), ...result.state },
          ConditionExpression: prev ? 'version = :v' : 'attribute_not_exists(pk)',
          ...(prev ? { ExpressionAttributeValues: { ':v': prev.version } } : {}),
        },
      },
      ...scopedCounters(result.deltas, counted).flatMap(([scope, day, counters]) => counterUpdates([scope], day, counters)),
      ...gaugeUpdates(scopesOf({ channel: facts.channel }), result.backlog),
      ...result.facts.map((f) =>
        factPut({
          metric: f.metric,
          day: f.day,
          at: f.at,
          id: facts.conversationId,
          data: { conversationId: facts.conversationId, ...(counted.agent ? { agent: counted.agent } : {}), channel: facts.channel },
        }),
      ),
    ];
    try {
      await db().send(new TransactWriteCommand({ TransactItems: items }));
      return { state: result.state, facts: result.facts };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  throw new Error('quality event: too much contention on one conversation');
}

/** Adds counters outside a conversation fold (bot verified resolutions, survey sends, opt-outs). */
export async function addCounters(scopes: readonly string[], day: string, counters: Readonly<Record<string, number>>): Promise<void> {
  const items = counterUpdates(scopes, day, counters);
  if (items.length === 0) return;
  await db().send(new TransactWriteCommand({ TransactItems: items }));
}

const STRIP = new Set(['pk', 'sk', 'scope', 'day']);

/** Day counter items of one scope in [from, to] (one paged Query). */
export async function readQualityDays(scope: string, from: string, to: string): Promise<{ days: DayCounters[]; reads: number }> {
  const range = keys.qualityDayRange(scope, from, to);
  const days: DayCounters[] = [];
  let startKey: Record<string, unknown> | undefined;
  let reads = 0;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
        ExpressionAttributeValues: { ':p': range.pk, ':a': range.from, ':b': range.to },
        ExclusiveStartKey: startKey,
      }),
    );
    reads++;
    for (const item of res.Items ?? []) days.push({ day: String(item.day), counters: numbersOf(item) });
    startKey = res.LastEvaluatedKey;
  } while (startKey);
  return { days, reads };
}

function numbersOf(item: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(item)) if (!STRIP.has(k) && typeof v === 'number') out[k] = v;
  return out;
}

/** Every calendar day in [from, to] (day strings: the same for any time zone). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** The bot's day counters (written by shared/bot as `METRIC#bot#{day}`) for [from, to], by BatchGet. */
export async function readBotDays(from: string, to: string): Promise<{ days: DayCounters[]; reads: number }> {
  const all = daysBetween(from, to);
  const days: DayCounters[] = [];
  let reads = 0;
  for (let i = 0; i < all.length; i += 100) {
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
      [tableName()]: { Keys: all.slice(i, i + 100).map((d) => ({ ...keys.metric('bot', d) })) },
    };
    while (request && Object.keys(request).length > 0) {
      const res = await db().send(new BatchGetCommand({ RequestItems: request }));
      reads++;
      for (const item of res.Responses?.[tableName()] ?? []) {
        const day = String(item.pk).slice(-10);
        days.push({ day, counters: numbersOf(item) });
      }
      request = res.UnprocessedKeys as typeof request;
    }
  }
  days.sort((a, b) => (a.day < b.day ? -1 : 1));
  return { days, reads };
}

/** The staff (one paged Query on the staff listing in gsi1: bounded by the team's size). */
export async function readStaff(): Promise<StaffEntry[]> {
  const items = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :p',
    ExpressionAttributeValues: { ':p': keys.staffListing('').gsi1pk },
  });
  return items.map((s) => ({
    sub: String(s.sub),
    name: typeof s.name === 'string' ? s.name : '',
    email: typeof s.email === 'string' ? s.email : '',
    roles: Array.isArray(s.roles) ? (s.roles as string[]) : [],
  }));
}

/** The running backlog of a scope. */
export async function readBacklog(scope: string): Promise<number> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.qualityGauge(scope) }));
  return Math.max(0, Number(res.Item?.backlog ?? 0));
}

/** The conversations behind one metric on one day, newest first. */
export async function readFacts(
  day: string,
  metric: string,
  limit: number,
  cursor?: Record<string, string>,
): Promise<{ items: Record<string, unknown>[]; next?: Record<string, unknown> }> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': keys.qualityFactPartition(day, metric) },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: cursor,
    }),
  );
  const items = (res.Items ?? []).map(({ pk: _p, sk: _s, ttl: _t, ...rest }) => rest);
  return { items, ...(res.LastEvaluatedKey ? { next: res.LastEvaluatedKey } : {}) };
}
