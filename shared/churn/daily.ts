/**
 * The daily churn run. Recency changes every day, so every member's score is refreshed once a day:
 * the run walks the members by tier (gsi3 `TIER#{tierId}`, the index the tier review uses; every
 * member with an order has a tier), queues their ids to `churn-rescore` in batches, and samples
 * their RFM figures for the shop reference (medians) that per-contact scores compare against.
 * Progress lives in one item, so an hourly trigger resumes a run that ran out of time and a day's
 * run completes once.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { loyaltyConfig } from '#shared/members/store.ts';
import { DEFAULT_TIERS } from '#shared/members/tiers.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import { chunkRow, churnModel, refit, saveReasonCounts, writeChunks } from './model-store.ts';
import { memberSample, referenceFrom } from './score.ts';
import { emptyServiceTally, lapsedOf, memberSignalCodes, type ServiceTally, serviceLink, tallyMember } from './service-link.ts';
import { saveChurnReference } from './store.ts';
import { applyThresholds } from './thresholds.ts';

/** Contact ids per `churn-rescore` message. */
export const RESCORE_BATCH = 25;
/** Members sampled for the shop medians (reservoir). */
export const REFERENCE_SAMPLE = 5_000;

export interface RescoreMessage {
  day: string;
  contactIds: string[];
}

export interface DailyRunState {
  day: string;
  tierIndex: number;
  cursor?: Record<string, unknown>;
  done: boolean;
  seen: number;
  queued: number;
  samples: { aov: number; rate: number }[];
  /** Fit chunks written so far (model-store.ts) and whether the walk and the refit are finished. */
  chunks: number;
  walked: boolean;
  /** Reason codes of members at medium or high risk (the retention view's aggregate). */
  atRisk: number;
  reasonCounts: Record<string, number>;
  /** Members with and without service signals (service-link.ts); the lapse horizon is the active card's, read once. */
  service: ServiceTally;
  serviceHorizon?: number | null;
}

/** Time the refit needs left in the invocation; with less, it runs at the next hourly call. */
export const REFIT_RESERVE_MS = 45_000;

export interface DailyPorts {
  now: () => Date;
  timeLeftMs: () => number;
  enqueue: (messages: RescoreMessage[]) => Promise<unknown>;
}

/** All tier partitions that may hold members (configured tiers and the defaults). */
export async function memberTierIds(): Promise<string[]> {
  const config = await loyaltyConfig();
  return [...new Set([...config.tiers.map((t) => t.tierId), ...DEFAULT_TIERS.map((t) => t.tierId)])].sort();
}

async function loadState(day: string): Promise<DailyRunState> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.churnRun(), ConsistentRead: true }));
  const item = res.Item;
  if (item && item.day === day) {
    return {
      day,
      tierIndex: Number(item.tierIndex ?? 0),
      ...(item.cursor ? { cursor: item.cursor as Record<string, unknown> } : {}),
      done: item.done === true,
      seen: Number(item.seen ?? 0),
      queued: Number(item.queued ?? 0),
      samples: (item.samples ?? []) as DailyRunState['samples'],
      chunks: Number(item.chunks ?? 0),
      walked: item.walked === true,
      atRisk: Number(item.atRisk ?? 0),
      reasonCounts: (item.reasonCounts ?? {}) as Record<string, number>,
      service: { ...emptyServiceTally(), ...((item.service ?? {}) as Partial<ServiceTally>) },
      ...(item.serviceHorizon !== undefined ? { serviceHorizon: item.serviceHorizon === null ? null : Number(item.serviceHorizon) } : {}),
    };
  }
  return {
    day,
    tierIndex: 0,
    done: false,
    seen: 0,
    queued: 0,
    samples: [],
    chunks: 0,
    walked: false,
    atRisk: 0,
    reasonCounts: {},
    service: emptyServiceTally(),
  };
}

async function saveState(state: DailyRunState): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.churnRun(), ...state } }));
}

/**
 * Runs (or resumes) today's churn refresh until done or out of time. Every (hourly) call first puts
 * members in the level their risk has under the current thresholds (thresholds.ts): it finishes
 * what a thresholds save could not do in its request, at the cost of a few range queries otherwise.
 */
export async function runDailyChurn(ports: DailyPorts): Promise<DailyRunState> {
  await applyThresholds({ now: ports.now, timeLeftMs: ports.timeLeftMs, reserveMs: 10_000 }, true);
  const now = ports.now();
  const day = now.toISOString().slice(0, 10);
  const state = await loadState(day);
  if (state.done) return state;
  const tiers = await memberTierIds();
  if (state.serviceHorizon === undefined) state.serviceHorizon = (await churnModel(now.getTime(), true))?.horizonDays ?? null;
  const today = Math.floor(now.getTime() / 86_400_000);
  while (!state.walked && state.tierIndex < tiers.length) {
    if (ports.timeLeftMs() < 10_000) {
      await saveState(state);
      return state;
    }
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :p',
        ExpressionAttributeValues: { ':p': keys.tierPartition(tiers[state.tierIndex] as string).gsi3pk },
        ProjectionExpression: 'contactId, orderCount, totalSpend, firstOrderAt, churnHistory, churnLevel, churnReasonCodes, churnSignals, serviceSignals',
        Limit: 500,
        ExclusiveStartKey: state.cursor,
      }),
    );
    const ids: string[] = [];
    const rows: string[] = [];
    for (const item of res.Items ?? []) {
      const contactId = String(item.contactId);
      ids.push(contactId);
      if (typeof item.churnHistory === 'string' && item.churnHistory) rows.push(chunkRow(contactId, tiers[state.tierIndex], item.churnHistory));
      const atRisk = item.churnLevel === 'high' || item.churnLevel === 'medium';
      if (atRisk) {
        state.atRisk++;
        for (const code of (item.churnReasonCodes ?? []) as string[]) state.reasonCounts[code] = (state.reasonCounts[code] ?? 0) + 1;
      }
      if (item.churnHistory) tallyMember(state.service, memberSignalCodes(item), atRisk, lapsedOf(item.churnHistory, today, state.serviceHorizon));
      const sample = memberSample(Number(item.orderCount ?? 0), Number(item.totalSpend ?? 0), item.firstOrderAt as string | undefined, now);
      if (!sample) continue;
      state.seen++;
      if (state.samples.length < REFERENCE_SAMPLE) state.samples.push(sample);
      else {
        const j = Math.floor(Math.random() * state.seen);
        if (j < REFERENCE_SAMPLE) state.samples[j] = sample;
      }
    }
    const messages: RescoreMessage[] = [];
    for (let i = 0; i < ids.length; i += RESCORE_BATCH) messages.push({ day, contactIds: ids.slice(i, i + RESCORE_BATCH) });
    if (messages.length) await ports.enqueue(messages);
    state.chunks = await writeChunks(day, state.chunks, rows, now);
    state.queued += ids.length;
    if (res.LastEvaluatedKey) state.cursor = res.LastEvaluatedKey;
    else {
      delete state.cursor;
      state.tierIndex++;
    }
  }
  if (!state.walked) {
    await saveChurnReference(referenceFrom(state.samples, state.seen, now));
    await saveReasonCounts({
      at: now.toISOString(),
      atRisk: state.atRisk,
      counts: state.reasonCounts,
      service: serviceLink(state.service, state.serviceHorizon ?? null),
    });
    state.walked = true;
    state.samples = [];
  }
  // The refit reads the histories this walk gathered; it waits for an invocation with time left.
  if (ports.timeLeftMs() < REFIT_RESERVE_MS) {
    await saveState(state);
    return state;
  }
  await refit(day, now);
  state.done = true;
  await saveState({ ...state, samples: [] });
  return state;
}
