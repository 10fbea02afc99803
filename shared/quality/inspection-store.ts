/**
 * DynamoDB side of quality inspection (质检): settings and versioned scorecards (`QACONFIG`), the
 * pending marks the reply path leaves (`QAPENDING#{shard}`, one PutItem), each conversation's
 * inspection result (`CONV#{id}` / `INSPECTION`) and the review sample by shop day
 * (`QASAMPLE#{day}`, also under its agent in gsi1). Reviews and the agent's answer are conditional
 * on the sample entry's version (409 on a concurrent change).
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conflict } from '#shared/http/errors.ts';
import { keys } from '#shared/store/keys.ts';
import { db, queryAll, setRemove, tableName } from '#shared/store/table.ts';
import type { Flag, InspectionResult } from './inspection.ts';
import {
  DEFAULT_SETTINGS,
  defaultRubric,
  type InspectionSettings,
  type InspectionSettingsBody,
  type Rubric,
  type RubricBody,
  type SampleReason,
} from './inspection-model.ts';
import { draw } from './inspection-text.ts';

/** Shards of the pending marks (a mark lives for a minute at most, so the partitions stay small). */
export const PENDING_SHARDS = 8;

const STRIP = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk']);
function clean<T>(item: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !STRIP.has(k))) as T;
}
function cancelled(error: unknown): boolean {
  const name = (error as Error).name;
  return name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException';
}

/** The settings in force (the defaults until a supervisor saves them). */
export async function readSettings(): Promise<InspectionSettings> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.inspectionSettings() }));
  return res.Item ? { ...DEFAULT_SETTINGS, ...clean<InspectionSettings>(res.Item) } : DEFAULT_SETTINGS;
}

/** Saves the settings as the next version (409 when someone saved since `version` was read). */
export async function saveSettings(body: InspectionSettingsBody, by: string, now: Date): Promise<InspectionSettings> {
  const { version: read = 0, ...fields } = body;
  const next: InspectionSettings = { ...fields, version: read + 1, updatedAt: now.toISOString(), updatedBy: by };
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.inspectionSettings(), ...next },
        ConditionExpression: read === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
        ...(read === 0 ? {} : { ExpressionAttributeValues: { ':v': read } }),
      }),
    );
  } catch (error) {
    if (cancelled(error)) throw conflict({ en: 'the settings were changed by someone else; reload them', zh: '设置已被他人修改，请重新加载' });
    throw error;
  }
  return next;
}

/** Every team's current scorecard (one Query on the config partition). */
export async function readRubrics(): Promise<Map<string, Rubric>> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :p AND begins_with(sk, :r)',
    ExpressionAttributeValues: { ':p': keys.inspectionConfigPartition(), ':r': 'RUBRIC#' },
  });
  return new Map(items.map((i) => clean<Rubric>(i)).map((r) => [r.teamId, r]));
}

/** A team's scorecard: its saved one, else the built-in one. */
export async function readRubric(teamId: string): Promise<Rubric> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.inspectionRubric(teamId) }));
  return res.Item ? clean<Rubric>(res.Item) : defaultRubric(teamId);
}

/** A scorecard as it was at a version (what a review was scored with). */
export async function readRubricVersion(teamId: string, version: number): Promise<Rubric> {
  if (version === 0) return defaultRubric(teamId);
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.inspectionRubricVersion(teamId, version) }));
  return res.Item ? clean<Rubric>(res.Item) : defaultRubric(teamId);
}

/** Saves a team's scorecard as a new version; earlier versions stay for the reviews scored with them. */
export async function saveRubric(teamId: string, body: RubricBody, by: string, now: Date): Promise<Rubric> {
  const { version: read = 0, ...fields } = body;
  const next: Rubric = { teamId, ...fields, version: read + 1, updatedAt: now.toISOString(), updatedBy: by };
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: { ...keys.inspectionRubric(teamId), ...next },
              ConditionExpression: read === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
              ...(read === 0 ? {} : { ExpressionAttributeValues: { ':v': read } }),
            },
          },
          { Put: { TableName: tableName(), Item: { ...keys.inspectionRubricVersion(teamId, next.version), ...next } } },
        ],
      }),
    );
  } catch (error) {
    if (cancelled(error)) throw conflict({ en: 'the scorecard was changed by someone else; reload it', zh: '评分表已被他人修改，请重新加载' });
    throw error;
  }
  return next;
}

/** Whether replies mark conversations for inspection (the benchmark turns it off to measure the reply path without it). */
export const inspectionMarks = { on: true };

/** The reply path's only inspection cost: one PutItem marking the conversation for the sweep. */
export async function markForInspection(conversationId: string, at: string): Promise<void> {
  if (!inspectionMarks.on) return;
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.inspectionPending(draw(conversationId) % PENDING_SHARDS, conversationId), at } }));
}

/** Marked conversations of one shard (oldest mark first is not needed: all are due). */
export async function readPending(shard: number, limit: number): Promise<{ conversationId: string; at: string }[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': keys.inspectionPendingPartition(shard) },
      Limit: limit,
    }),
  );
  return (res.Items ?? []).map((i) => ({ conversationId: String(i.sk), at: String(i.at) }));
}

/** Removes a mark unless a newer reply marked the conversation again meanwhile. */
export async function clearPending(conversationId: string, at: string): Promise<void> {
  try {
    await db().send(
      new DeleteCommand({
        TableName: tableName(),
        Key: keys.inspectionPending(draw(conversationId) % PENDING_SHARDS, conversationId),
        ConditionExpression: '#at = :at',
        ExpressionAttributeNames: { '#at': 'at' },
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  } catch (error) {
    if (!cancelled(error)) throw error;
  }
}

/** The stored inspection of a conversation, with the day of its sample entry when it has one. */
export type StoredInspection = InspectionResult & { inspectedAt: string; sampleDay?: string };

export async function readInspection(conversationId: string): Promise<StoredInspection | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.conversationInspection(conversationId) }));
  return res.Item ? clean<StoredInspection>(res.Item) : undefined;
}

/** Stores a conversation's inspection (a rerun overwrites it; the sample day is kept). */
export async function writeInspection(result: StoredInspection): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.conversationInspection(result.conversationId), ...result } }));
}

export interface Review {
  teamId: string;
  rubricVersion: number;
  scores: Record<string, number>;
  total: number;
  passed: boolean;
  comment?: string;
  by: string;
  byName: string;
  at: string;
}

export interface AgentAnswer {
  kind: 'acknowledge' | 'appeal';
  note?: string;
  at: string;
}

/** A conversation in the review sample. */
export interface SampleEntry {
  conversationId: string;
  day: string;
  agent?: string;
  reasons: SampleReason[];
  flagKinds: Flag['kind'][];
  flagCount: number;
  status: 'pending' | 'reviewed';
  review?: Review;
  answer?: AgentAnswer;
  sampledAt: string;
  version: number;
}

function entryOf(item: Record<string, unknown>): SampleEntry {
  const e = clean<SampleEntry & { reasons: Set<string> | string[] }>(item);
  return { ...e, reasons: [...(e.reasons ?? [])].sort() as SampleReason[], flagKinds: e.flagKinds ?? [], flagCount: e.flagCount ?? 0 };
}

/**
 * Adds a conversation to the sample of `day` or adds reasons to its entry (reasons are a set, so a
 * repeat adds nothing; a review already given is kept). `flags` refreshes the flag summary.
 */
export async function addToSample(
  day: string,
  conversationId: string,
  reasons: readonly SampleReason[],
  opts: { agent?: string; flags?: readonly Flag[]; now: Date },
): Promise<void> {
  const set: Record<string, unknown> = { conversationId, day };
  const keep: Record<string, unknown> = { status: 'pending', sampledAt: opts.now.toISOString(), version: 1 };
  if (opts.agent) Object.assign(set, { agent: opts.agent, ...keys.inspectionOfAgent(opts.agent, day, conversationId) });
  if (opts.flags) Object.assign(set, { flagKinds: [...new Set(opts.flags.map((f) => f.kind))], flagCount: opts.flags.length });
  const names: Record<string, string> = { '#reasons': 'reasons' };
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  Object.entries(set).forEach(([k, v], i) => {
    names[`#s${i}`] = k;
    values[`:s${i}`] = v;
    sets.push(`#s${i} = :s${i}`);
  });
  Object.entries(keep).forEach(([k, v], i) => {
    names[`#k${i}`] = k;
    values[`:k${i}`] = v;
    sets.push(`#k${i} = if_not_exists(#k${i}, :k${i})`);
  });
  const add = reasons.length > 0;
  if (add) values[':r'] = new Set(reasons);
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.inspectionSample(day, conversationId),
      UpdateExpression: `SET ${sets.join(', ')}${add ? ' ADD #reasons :r' : ''}`,
      ExpressionAttributeNames: add ? names : Object.fromEntries(Object.entries(names).filter(([k]) => k !== '#reasons')),
      ExpressionAttributeValues: values,
    }),
  );
}

export async function readSampleEntry(day: string, conversationId: string): Promise<SampleEntry | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.inspectionSample(day, conversationId), ConsistentRead: true }));
  return res.Item ? entryOf(res.Item) : undefined;
}

/** The sample of one shop day. */
export async function readSampleDay(day: string): Promise<SampleEntry[]> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :p',
    ExpressionAttributeValues: { ':p': keys.inspectionSamplePartition(day) },
  });
  return items.map(entryOf);
}

/** An agent's sampled conversations, newest day first. */
export async function readAgentSample(sub: string, limit: number): Promise<SampleEntry[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.inspectionOfAgentPartition(sub) },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (res.Items ?? []).map(entryOf);
}

/** Changes a sample entry if it is still at `version` (409 otherwise). */
async function updateEntry(
  entry: Pick<SampleEntry, 'day' | 'conversationId'>,
  version: number,
  set: Record<string, unknown>,
  remove: readonly string[] = [],
): Promise<void> {
  const update = setRemove(set, remove);
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.inspectionSample(entry.day, entry.conversationId),
        UpdateExpression: `${update.set} ADD version :one ${update.remove}`.trim(),
        ConditionExpression: 'version = :v',
        ExpressionAttributeNames: update.names,
        ExpressionAttributeValues: { ...update.values, ':v': version, ':one': 1 },
      }),
    );
  } catch (error) {
    if (cancelled(error)) throw conflict({ en: 'this review was changed by someone else; reload it', zh: '该评审已被他人修改，请重新加载' });
    throw error;
  }
}

/** Records a supervisor's review (a new review replaces the agent's earlier answer). */
export async function writeReview(entry: SampleEntry, version: number, review: Review): Promise<void> {
  await updateEntry(entry, version, { review, status: 'reviewed' }, ['answer']);
}

/** Records the agent's acknowledgement or appeal of a review. */
export async function writeAnswer(entry: SampleEntry, version: number, answer: AgentAnswer): Promise<void> {
  await updateEntry(entry, version, { answer });
}
