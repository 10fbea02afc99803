/**
 * Applying new churn thresholds to the stored levels. A member's level is their stored risk cut by
 * the thresholds, and the early-warning list and segments read the level's index partition
 * (gsi2 `CHURN#{level}`, ordered by risk). A threshold change does not change anyone's risk, so it
 * needs no rescore: the members whose risk now falls outside their partition's band are found with
 * at most four range queries on gsi2 (only movers are read) and moved, each write guarded by the
 * profile's `churnVersion` and risk so a concurrent rescore wins.
 *
 * `applyThresholds` runs right after a save (within a time budget, so a small shop's list changes at
 * once) and at the start of every hourly churn run (finishing a large shop's move, and catching a
 * member a rescore with thresholds cached before the save put back in the old level). Progress is
 * kept on the thresholds item (`apply`), so the screen can say how far it is. Moving a member is not
 * a change in their behaviour: no `member.churn_high_risk` event is written for it.
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import { type ChurnLevel, type ChurnReference, type ChurnSettings, DEFAULT_CHURN_SETTINGS, levelOf } from './score.ts';

/** Progress of applying a thresholds version to the stored levels. */
export interface ApplyState {
  /** The thresholds version being applied. */
  version: number;
  /** Index into `relevelSteps`; `done` once past the last. */
  step: number;
  cursor?: Record<string, unknown>;
  /** Members moved to another level under this version (all passes). */
  moved: number;
  done: boolean;
  startedAt: string;
  /** When the last pass over every partition finished. */
  finishedAt?: string;
}

/** The thresholds with how far they are applied (read uncached, for the settings screen). */
export type ChurnSettingsStatus = ChurnSettings & { apply?: ApplyState };

/** One range query: the part of a level's partition where members may no longer belong. */
export interface RelevelStep {
  level: ChurnLevel;
  /** `gsi2sk < to` (higher risk than the band) or `gsi2sk >= from` (lower risk). */
  bound: { to: string } | { from: string };
}

const pad = (n: number) => String(Math.min(99_999, Math.max(0, n))).padStart(5, '0');
/** gsi2sk numbers are round((1 − risk) · 10 000): higher risk, smaller key. */
const keyNumber = (risk: number) => (1 - risk) * 10_000;

/**
 * The range queries that find every member whose level changes under `settings` (pure). Each range
 * is a little wider than exact (rounding in the key), the exact test is `levelOf` on the stored risk.
 */
export function relevelSteps(settings: Pick<ChurnSettings, 'mediumAt' | 'highAt'>): RelevelStep[] {
  const above = (threshold: number) => ({ to: pad(Math.ceil(keyNumber(threshold)) + 1) });
  const below = (threshold: number) => ({ from: pad(Math.floor(keyNumber(threshold)) - 1) });
  return [
    { level: 'high', bound: below(settings.highAt) },
    { level: 'medium', bound: above(settings.highAt) },
    { level: 'medium', bound: below(settings.mediumAt) },
    { level: 'low', bound: above(settings.mediumAt) },
  ];
}

/** Why a thresholds body is refused beyond its schema (bilingual, at its field), or undefined. */
export function thresholdProblem(body: { mediumAt: number; highAt: number }): { path: string; zh: string; en: string } | undefined {
  if (body.mediumAt < body.highAt) return undefined;
  return { path: 'mediumAt', zh: '中风险的起点必须低于高风险的起点', en: 'mediumAt must be below highAt' };
}

function settingsOf(item: Record<string, unknown> | undefined): ChurnSettingsStatus {
  if (!item) return DEFAULT_CHURN_SETTINGS;
  return {
    mediumAt: Number(item.mediumAt),
    highAt: Number(item.highAt),
    version: Number(item.version ?? 0),
    ...(typeof item.updatedAt === 'string' ? { updatedAt: item.updatedAt } : {}),
    ...(typeof item.updatedBy === 'string' ? { updatedBy: item.updatedBy } : {}),
    ...(item.apply && typeof item.apply === 'object' ? { apply: item.apply as ApplyState } : {}),
  };
}

/** The stored thresholds and their apply progress, read consistently (no cache). */
export async function churnSettingsStatus(): Promise<ChurnSettingsStatus> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.churnSettings(), ConsistentRead: true }));
  return settingsOf(res.Item);
}

async function saveApply(state: ApplyState): Promise<void> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.churnSettings(),
        UpdateExpression: 'SET #a = :a',
        ConditionExpression: 'version = :v',
        ExpressionAttributeNames: { '#a': 'apply' },
        ExpressionAttributeValues: { ':a': state, ':v': state.version },
      }),
    );
  } catch (error) {
    // Newer thresholds were saved meanwhile: their own pass takes over.
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
}

/** Moves one member to the level of their risk; false when a rescore changed them meanwhile. */
async function moveMember(item: Record<string, unknown>, level: ChurnLevel): Promise<boolean> {
  const contactId = String(item.contactId);
  const risk = Number(item.churnRisk);
  const version = typeof item.churnVersion === 'number' ? item.churnVersion : undefined;
  const listing = keys.churnListing(level, risk, contactId);
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.contact(contactId),
        UpdateExpression: 'SET churnLevel = :l, gsi2pk = :g2, gsi2sk = :g2s, churnVersion = :nv',
        ConditionExpression: `churnRisk = :r AND ${version === undefined ? 'attribute_not_exists(churnVersion)' : 'churnVersion = :cv'}`,
        ExpressionAttributeValues: {
          ':l': level,
          ':g2': listing.gsi2pk,
          ':g2s': listing.gsi2sk,
          ':nv': (version ?? 0) + 1,
          ':r': risk,
          ...(version === undefined ? {} : { ':cv': version }),
        },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

export interface ApplyPorts {
  now: () => Date;
  timeLeftMs: () => number;
  /** Stop (and keep the cursor) when less time than this is left. */
  reserveMs: number;
}

/**
 * Runs (or resumes) a pass that puts every member in the level their risk has under the stored
 * thresholds; undefined while the built-in defaults apply (nothing was ever changed). A finished
 * pass of the same version starts again only when `again` (the hourly run's check).
 */
export async function applyThresholds(ports: ApplyPorts, again = false): Promise<ApplyState | undefined> {
  const settings = await churnSettingsStatus();
  if (settings.version === 0) return undefined;
  const at = ports.now().toISOString();
  const previous = settings.apply?.version === settings.version ? settings.apply : undefined;
  if (previous?.done && !again) return previous;
  const state: ApplyState =
    previous && !previous.done
      ? { ...previous }
      : {
          version: settings.version,
          step: 0,
          moved: previous?.moved ?? 0,
          done: false,
          startedAt: at,
          ...(previous?.finishedAt ? { finishedAt: previous.finishedAt } : {}),
        };
  const steps = relevelSteps(settings);
  while (state.step < steps.length) {
    if (ports.timeLeftMs() < ports.reserveMs) {
      await saveApply(state);
      return state;
    }
    const step = steps[state.step] as RelevelStep;
    const range = 'to' in step.bound ? { cond: 'gsi2sk < :b', value: step.bound.to } : { cond: 'gsi2sk >= :b', value: step.bound.from };
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi2',
        KeyConditionExpression: `gsi2pk = :p AND ${range.cond}`,
        ExpressionAttributeValues: { ':p': keys.churnPartition(step.level).gsi2pk, ':b': range.value },
        Limit: 100,
        ExclusiveStartKey: state.cursor,
      }),
    );
    const movers = ((res.Items ?? []) as Record<string, unknown>[]).filter(
      (item) => typeof item.churnRisk === 'number' && item.sk === keys.contact(String(item.contactId)).sk && levelOf(item.churnRisk, settings) !== step.level,
    );
    for (let i = 0; i < movers.length; i += 10) {
      const moved = await Promise.all(movers.slice(i, i + 10).map((item) => moveMember(item, levelOf(Number(item.churnRisk), settings))));
      state.moved += moved.filter(Boolean).length;
    }
    if (res.LastEvaluatedKey) state.cursor = res.LastEvaluatedKey;
    else {
      delete state.cursor;
      state.step++;
    }
  }
  state.done = true;
  state.finishedAt = ports.now().toISOString();
  await saveApply(state);
  return state;
}

/** The level names the screens show. */
export const LEVEL_NAMES: Record<ChurnLevel, { zh: string; en: string }> = {
  low: { zh: '低风险', en: 'Low risk' },
  medium: { zh: '中风险', en: 'Medium risk' },
  high: { zh: '高风险', en: 'High risk' },
};

/** The answer of `GET /churn/settings` (the console reads it through `import type`). */
export type ChurnSettingsResponse = ChurnSettingsStatus & {
  levels: typeof LEVEL_NAMES;
  reference: ChurnReference | null;
};
