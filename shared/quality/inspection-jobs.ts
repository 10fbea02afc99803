/**
 * The inspection sweep (every minute, off the reply path): inspects every conversation an agent
 * replied in or closed since the last run (the reply path only left a mark), stores the result,
 * records pre-sales enquiries for 询单转化率, and fills the review sample — a share of closed
 * conversations, every automatically flagged one, and (from the survey and SLA facts, read past a
 * cursor) every one with a low CSAT or an SLA breach. Idempotent: a rerun recomputes the same result
 * and sample reasons are a set.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { listArticles } from '#shared/kb/store.ts';
import { logger } from '#shared/log.ts';
import { getConversation, listMessages } from '#shared/store/conversations.ts';
import { keys } from '#shared/store/keys.ts';
import { db, queryAll, tableName } from '#shared/store/table.ts';
import { categoryOf } from './hooks.ts';
import { inspectConversation, type ReferenceTexts } from './inspection.ts';
import type { InspectionSettings, SampleReason } from './inspection-model.ts';
import { addToSample, clearPending, PENDING_SHARDS, readPending, readSettings, type StoredInspection } from './inspection-store.ts';
import { draw } from './inspection-text.ts';
import { dayOf, shiftDay } from './metrics.ts';
import { factPut } from './store.ts';
import { shopTimeZone } from './zone.ts';

/** Messages of a thread the inspection reads (the newest, when a thread is longer). */
const THREAD_LIMIT = 300;
/** Marks taken per shard and run; the rest wait for the next minute. */
const PER_SHARD = 25;
/** Survey and SLA facts read per source, day and run. */
const FACTS_PER_RUN = 100;

export interface SweepContext {
  settings: InspectionSettings;
  refs: ReferenceTexts;
  timeZone: string;
  now: Date;
}

/** Shared macros and published articles: what a reply may have reused. */
export async function loadReferences(): Promise<ReferenceTexts> {
  const [macros, articles] = await Promise.all([
    queryAll({ TableName: tableName(), KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': keys.macroPartition('shared') } }),
    listArticles('published'),
  ]);
  return {
    macros: macros.map((m) => {
      const text = (m.text ?? {}) as Record<string, string>;
      return { id: String(m.macroId), texts: Object.values(text).filter((t) => typeof t === 'string') };
    }),
    articles: articles.map((a) => ({ id: a.articleId, title: a.title })),
  };
}

/** The sample day of a conversation: the one it already has, else `day` (set once). */
async function claimSampleDay(conversationId: string, day: string): Promise<string> {
  const res = await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.conversationInspection(conversationId),
      UpdateExpression: 'SET sampleDay = if_not_exists(sampleDay, :d), conversationId = :c',
      ExpressionAttributeValues: { ':d': day, ':c': conversationId },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return String(res.Attributes?.sampleDay ?? day);
}

/** Writes the result's fields, leaving the sample day alone. */
async function writeResult(result: Omit<StoredInspection, 'sampleDay'>): Promise<StoredInspection> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(result).map(([k, v], i) => {
    names[`#a${i}`] = k;
    values[`:a${i}`] = v;
    return `#a${i} = :a${i}`;
  });
  const res = await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.conversationInspection(result.conversationId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_NEW',
    }),
  );
  return { ...result, ...(res.Attributes?.sampleDay ? { sampleDay: String(res.Attributes.sampleDay) } : {}) };
}

/** Adds a conversation to the review sample for a reason (on the day it was first sampled). */
export async function sampleConversation(
  conversationId: string,
  reasons: readonly SampleReason[],
  ctx: SweepContext,
  opts: { agent?: string; flags?: StoredInspection['flags'] } = {},
) {
  const day = await claimSampleDay(conversationId, dayOf(ctx.now.toISOString(), ctx.timeZone));
  await addToSample(day, conversationId, reasons, { ...opts, now: ctx.now });
}

/** Inspects one conversation from its stored thread and samples it when it should be reviewed. */
export async function inspectById(conversationId: string, ctx: SweepContext): Promise<StoredInspection | undefined> {
  const conversation = await getConversation(conversationId);
  if (!conversation) return undefined;
  const [thread, category] = await Promise.all([listMessages(conversationId, { limit: THREAD_LIMIT, includeInternal: false }), categoryOf(conversation)]);
  const result = inspectConversation({
    conversation: {
      conversationId,
      status: conversation.status,
      ...(conversation.assignee ? { assignee: conversation.assignee } : {}),
      ...(conversation.bot?.handoff?.at ? { handoffAt: conversation.bot.handoff.at } : {}),
      ...(category ? { category } : {}),
    },
    messages: thread.items,
    settings: ctx.settings,
    refs: ctx.refs,
  });
  const stored = await writeResult({ ...result, inspectedAt: ctx.now.toISOString() });
  const reasons: SampleReason[] = [];
  if (result.flags.length > 0) reasons.push('flag');
  if (result.closed && draw(`sample#${conversationId}`) < ctx.settings.samplePercent * 100) reasons.push('share');
  const agent = result.agent ? { agent: result.agent } : {};
  if (reasons.length > 0) await sampleConversation(conversationId, reasons, ctx, { ...agent, flags: result.flags });
  else if (stored.sampleDay) await addToSample(stored.sampleDay, conversationId, [], { ...agent, flags: result.flags, now: ctx.now });
  if (result.preSales) {
    const fact = factPut({
      metric: 'presales',
      day: dayOf(conversation.createdAt, ctx.timeZone),
      at: conversation.createdAt,
      id: conversationId,
      data: { conversationId, contactId: conversation.contactId, ...agent },
    });
    await db().send(new PutCommand(fact.Put!));
  }
  return stored;
}

/** Low CSAT answers and SLA breaches of a day past the cursor join the sample. */
async function sampleFromFacts(source: 'response' | 'sla_breach', day: string, ctx: SweepContext): Promise<number> {
  const cursorKey = keys.inspectionCursor(source, day);
  const cursor = (await db().send(new GetCommand({ TableName: tableName(), Key: cursorKey }))).Item?.after as string | undefined;
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: cursor ? 'pk = :p AND sk > :c' : 'pk = :p',
      ExpressionAttributeValues: { ':p': keys.qualityFactPartition(day, source), ...(cursor ? { ':c': cursor } : {}) },
      Limit: FACTS_PER_RUN,
    }),
  );
  const items = res.Items ?? [];
  let sampled = 0;
  for (const item of items) {
    if (source === 'response') {
      const csat = (item.scores as { csat?: number } | undefined)?.csat;
      const low = item.detractor === true || (typeof csat === 'number' && csat <= ctx.settings.lowCsatAtMost);
      if (!low || typeof item.conversationId !== 'string') continue;
      await sampleConversation(item.conversationId, ['low_csat'], ctx, typeof item.agent === 'string' ? { agent: item.agent } : {});
    } else {
      const ticket = await db().send(
        new GetCommand({ TableName: tableName(), Key: keys.ticket(String(item.ticketId)), ProjectionExpression: 'conversationId' }),
      );
      const conversationId = ticket.Item?.conversationId;
      if (typeof conversationId !== 'string') continue;
      await sampleConversation(conversationId, ['sla_breach'], ctx, typeof item.assignee === 'string' ? { agent: item.assignee } : {});
    }
    sampled++;
  }
  const last = items[items.length - 1];
  if (last) await db().send(new PutCommand({ TableName: tableName(), Item: { ...cursorKey, after: String(last.sk) } }));
  return sampled;
}

/** One run of the sweep: the marked conversations, then the day's survey and SLA facts. */
export async function runInspectionSweep(now: Date): Promise<{ inspected: number; sampledFromFacts: number }> {
  const [settings, timeZone, refs] = await Promise.all([readSettings(), shopTimeZone(), loadReferences()]);
  const ctx: SweepContext = { settings, refs, timeZone, now };
  let inspected = 0;
  for (let shard = 0; shard < PENDING_SHARDS; shard++) {
    for (const mark of await readPending(shard, PER_SHARD)) {
      try {
        await inspectById(mark.conversationId, ctx);
        await clearPending(mark.conversationId, mark.at);
        inspected++;
      } catch (error) {
        logger.error('inspection failed', { conversationId: mark.conversationId, errorName: (error as Error).name });
      }
    }
  }
  const today = dayOf(now.toISOString(), timeZone);
  let sampledFromFacts = 0;
  for (const day of [shiftDay(today, -1), today]) {
    sampledFromFacts += await sampleFromFacts('response', day, ctx);
    sampledFromFacts += await sampleFromFacts('sla_breach', day, ctx);
  }
  return { inspected, sampledFromFacts };
}
