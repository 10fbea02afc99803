/**
 * DynamoDB side of feedback: survey settings and definitions, survey instances (with the shared
 * per-contact cap item), responses, follow-ups and the survey-reward window. Multi-item changes
 * are one TransactWriteItems with conditions, so a survey is created once, a response is counted
 * once and a detractor opens exactly one follow-up.
 */

import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { addTouch, capVerdict, capWriteItem, readCap } from '#shared/campaigns/cap.ts';
import { conflict } from '#shared/http/errors.ts';
import { scopesOf } from '#shared/quality/metrics.ts';
import { counterUpdates, factPut, type TransactItem } from '#shared/quality/store.ts';
import { shopDay } from '#shared/quality/zone.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import {
  BUILTIN_DEFINITIONS,
  DEFAULT_SETTINGS,
  type FollowUp,
  type SuppressReason,
  type SurveyDefinition,
  type SurveyInstance,
  type SurveyResponse,
  type SurveySettings,
} from './model.ts';
import type { CreateOutcome, FeedbackStore, PendingRequest, ResponseCommit, RewardSlot, SurveyRequest } from './ports.ts';
import { fatigueRules } from './trigger.ts';

/** Ticket categories (and tag) that count as a complaint while the ticket is active. */
export const COMPLAINT_CATEGORIES: ReadonlySet<string> = new Set(['COMPLAINT', 'FEEDBACK']);
const ACTIVE_TICKET = new Set(['new', 'open', 'pending', 'on_hold']);

const STRIP = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'ttl']);
function clean<T>(item: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !STRIP.has(k))) as T;
}

function cancelReasons(error: unknown): string[] | undefined {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (e.name !== 'TransactionCanceledException') return undefined;
  return (e.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

/** The scopes a survey's response counts in. */
export function surveyScopes(s: Pick<SurveyInstance, 'agent' | 'channel' | 'category'>): string[] {
  return scopesOf({ channel: s.channel ?? '', ...(s.agent ? { agent: s.agent } : {}), ...(s.category ? { category: s.category } : {}) });
}

function surveyItem(s: SurveyInstance): Record<string, unknown> {
  return { ...keys.survey(s.surveyId), ...keys.surveyOfContact(s.contactId, s.createdAt, s.surveyId), ...s };
}

/** Settings with defaults for anything never saved. */
export async function readSettings(): Promise<SurveySettings> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.surveySettings() }));
  const saved = res.Item ? clean<Partial<SurveySettings>>(res.Item) : {};
  return { ...DEFAULT_SETTINGS, ...saved, triggers: { ...DEFAULT_SETTINGS.triggers, ...(saved.triggers ?? {}) } };
}

/** Saves settings (409 unless `version` is the one read). */
export async function saveSettings(next: SurveySettings, expectedVersion: number): Promise<SurveySettings> {
  const item = { ...next, version: expectedVersion + 1 };
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.surveySettings(), ...item },
        ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
        ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':v': expectedVersion } }),
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException')
      throw conflict({ en: 'survey settings changed meanwhile; reload and retry', zh: '问卷设置已被他人修改，请重新加载后再试' });
    throw error;
  }
  return item;
}

/** Admin-saved definitions plus the built-ins not overridden (one Query). */
export async function listDefinitions(): Promise<SurveyDefinition[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': keys.surveyConfigPartition(), ':s': keys.surveyDefinitionPrefix() },
    }),
  );
  const saved = (res.Items ?? []).map((i) => clean<SurveyDefinition>(i));
  const ids = new Set(saved.map((d) => d.definitionId));
  return [...BUILTIN_DEFINITIONS.filter((d) => !ids.has(d.definitionId)), ...saved];
}

/** Creates or replaces a definition (versioned; instances keep the questions they were sent with). */
export async function saveDefinition(def: SurveyDefinition, expectedVersion: number | undefined): Promise<SurveyDefinition> {
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.surveyDefinition(def.definitionId), ...def },
        ConditionExpression: expectedVersion === undefined ? 'attribute_not_exists(pk)' : 'version = :v',
        ...(expectedVersion === undefined ? {} : { ExpressionAttributeValues: { ':v': expectedVersion } }),
      }),
    );
    return def;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') {
      throw conflict(
        expectedVersion === undefined
          ? { en: 'this definition exists; send its version to replace it', zh: '该问卷已存在，如要替换请附上它的版本号（version）' }
          : { en: 'the definition changed meanwhile; reload and retry', zh: '该问卷已被他人修改，请重新加载后再试' },
      );
    }
    throw error;
  }
}

/** A contact's surveys, newest first (gsi1). */
export async function listContactSurveys(contactId: string, limit = 20): Promise<SurveyInstance[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.contactSurveysPartition(contactId).gsi1pk },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (res.Items ?? []).map((i) => clean<SurveyInstance>(i));
}

/** Records a contact's survey opt-out; true when it was not set before. */
export async function setOptOut(contactId: string, at: string): Promise<boolean> {
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.surveyOptOut(contactId), contactId, at },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Follow-ups by status, oldest first (the team leads' queue, gsi2). */
export async function listFollowUps(
  status: 'open' | 'closed',
  limit: number,
  cursor?: Record<string, string>,
): Promise<{ items: FollowUp[]; next?: Record<string, unknown> }> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :p',
      ExpressionAttributeValues: { ':p': keys.followUpQueuePartition(status).gsi2pk },
      ScanIndexForward: status === 'open',
      Limit: limit,
      ExclusiveStartKey: cursor,
    }),
  );
  return { items: (res.Items ?? []).map((i) => clean<FollowUp>(i)), ...(res.LastEvaluatedKey ? { next: res.LastEvaluatedKey } : {}) };
}

function followUpItem(f: FollowUp): Record<string, unknown> {
  return {
    ...keys.surveyFollowUp(f.surveyId),
    ...keys.followUpQueue(f.status, f.createdAt, f.surveyId),
    ...keys.followUpOfContact(f.contactId, f.status, f.createdAt, f.surveyId),
    ...f,
  };
}

/** Reads a follow-up. */
export async function getFollowUp(surveyId: string): Promise<FollowUp | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.surveyFollowUp(surveyId), ConsistentRead: true }));
  return res.Item ? clean<FollowUp>(res.Item) : undefined;
}

/** Closes a follow-up (409 unless `version` is current). */
export async function closeFollowUp(prev: FollowUp, by: string, note: string | undefined, at: string): Promise<FollowUp> {
  const next: FollowUp = { ...prev, status: 'closed', closedAt: at, closedBy: by, ...(note ? { note } : {}), version: prev.version + 1 };
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: followUpItem(next),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': prev.version },
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException')
      throw conflict({ en: 'the follow-up changed meanwhile; reload and retry', zh: '该跟进已被他人修改，请重新加载后再试' });
    throw error;
  }
  return next;
}

/** Writes a tag correction: the response (conditional on its version) and the counter changes together. */
export async function commitCorrection(survey: SurveyInstance, prev: SurveyResponse, next: SurveyResponse, counters: Record<string, number>): Promise<void> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: { ...keys.surveyResponse(next.surveyId), ...next },
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: { ':v': prev.version },
            },
          },
          ...counterUpdates(surveyScopes(survey), prev.metricDay, counters),
        ],
      }),
    );
  } catch (error) {
    if (cancelReasons(error)) throw conflict({ en: 'the response changed meanwhile; reload and retry', zh: '该回答已被他人修改，请重新加载后再试' });
    throw error;
  }
}

/** Shards of the pending-request index (gsi2 `SURVEYDUE#{0..7}`): no single partition takes every trigger. */
export const REQUEST_SHARDS = 8;
/** A pending request row outlives its due time by this much at most (TTL; the sweep clears it long before). */
const REQUEST_TTL_DAYS = 30;

/** The sweep shard of a survey (stable). */
export function requestShard(surveyId: string): number {
  return createHash('sha1').update(surveyId).digest()[0]! % REQUEST_SHARDS;
}

function pendingFrom(item: Record<string, unknown>): PendingRequest {
  return { request: item.request as SurveyRequest, dueAt: String(item.dueAt), attempts: Number(item.attempts ?? 0) };
}

/** The DynamoDB implementation of the feedback store port. */
export const dynamoFeedbackStore: FeedbackStore = {
  settings: readSettings,

  async definition(definitionId) {
    const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.surveyDefinition(definitionId) }));
    return res.Item ? clean<SurveyDefinition>(res.Item) : BUILTIN_DEFINITIONS.find((d) => d.definitionId === definitionId);
  },

  async getSurvey(surveyId) {
    const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.survey(surveyId), ConsistentRead: true }));
    return res.Item ? clean<SurveyInstance>(res.Item) : undefined;
  },

  async getResponse(surveyId) {
    const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.surveyResponse(surveyId), ConsistentRead: true }));
    return res.Item ? clean<SurveyResponse>(res.Item) : undefined;
  },

  async hasOpenComplaint(contactId) {
    const [followUps, tickets] = await Promise.all([
      db().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p AND begins_with(gsi1sk, :s)',
          ExpressionAttributeValues: { ':p': keys.contactFollowUpsPartition(contactId).gsi1pk, ':s': 'open#' },
          Limit: 1,
        }),
      ),
      db().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': keys.contactTicketsPartition(contactId).gsi1pk },
          ScanIndexForward: false,
          Limit: 20,
        }),
      ),
    ]);
    if ((followUps.Items ?? []).length > 0) return true;
    return (tickets.Items ?? []).some((t) => {
      const tags = Array.isArray(t.tags) ? (t.tags as string[]) : [];
      return ACTIVE_TICKET.has(String(t.status)) && (COMPLAINT_CATEGORIES.has(String(t.category ?? '')) || tags.includes('complaint'));
    });
  },

  async createSurvey(survey, fatigueDays): Promise<CreateOutcome> {
    const at = survey.sentAt ?? survey.createdAt;
    const now = new Date(at);
    const day = await shopDay(at);
    for (let attempt = 0; attempt < 6; attempt++) {
      const cap = await readCap(survey.contactId);
      const verdict = capVerdict(cap, fatigueRules(fatigueDays), now, survey.surveyId);
      if (!verdict.allowed) return 'fatigue';
      try {
        await db().send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: tableName(), Item: surveyItem(survey), ConditionExpression: 'attribute_not_exists(pk)' } },
              { ConditionCheck: { TableName: tableName(), Key: keys.surveyOptOut(survey.contactId), ConditionExpression: 'attribute_not_exists(pk)' } },
              ...(verdict.already ? [] : [capWriteItem(survey.contactId, undefined, cap, addTouch(cap, { at, kind: 'survey', ref: survey.surveyId }, now))]),
              ...counterUpdates(surveyScopes(survey), day, { sv_sent: 1 }),
            ],
          }),
        );
        return 'created';
      } catch (error) {
        const reasons = cancelReasons(error);
        if (!reasons) throw error;
        if (reasons[0] === 'ConditionalCheckFailed') return 'duplicate';
        if (reasons[1] === 'ConditionalCheckFailed') return 'opt_out';
        if (!reasons.some((r) => r === 'ConditionalCheckFailed' || r === 'TransactionConflict')) throw error;
      }
    }
    throw new Error('survey cap: too much contention on one contact');
  },

  async suppress(survey, reason: SuppressReason) {
    try {
      await db().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName(),
                Item: surveyItem({ ...survey, status: 'suppressed', suppressedReason: reason }),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...counterUpdates(['all'], await shopDay(survey.createdAt), { [`sv_suppressed_${reason}`]: 1 }),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (cancelReasons(error)) return false;
      throw error;
    }
  },

  async optedOut(contactId) {
    const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.surveyOptOut(contactId), ConsistentRead: true }));
    return res.Item !== undefined;
  },

  async saveResponse(c: ResponseCommit) {
    const { survey, response, prev } = c;
    const items: TransactItem[] = [
      {
        Put: {
          TableName: tableName(),
          Item: { ...keys.surveyResponse(response.surveyId), ...response },
          ConditionExpression: prev ? 'version = :v' : 'attribute_not_exists(pk)',
          ...(prev ? { ExpressionAttributeValues: { ':v': prev.version } } : {}),
        },
      },
      ...(prev
        ? []
        : [
            {
              Update: {
                TableName: tableName(),
                Key: keys.survey(survey.surveyId),
                UpdateExpression: 'SET #s = :answered, answeredAt = :at ADD version :one',
                ConditionExpression: '#s = :sent',
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: { ':answered': 'answered', ':sent': 'sent', ':at': response.submittedAt, ':one': 1 },
              },
            },
          ]),
      ...counterUpdates(surveyScopes(survey), response.metricDay, c.counters),
      factPut({
        metric: 'response',
        day: response.metricDay,
        at: response.submittedAt,
        id: response.surveyId,
        data: {
          surveyId: response.surveyId,
          ...(survey.conversationId ? { conversationId: survey.conversationId } : {}),
          ...(survey.agent ? { agent: survey.agent } : {}),
          scores: response.scores,
          ...(response.comment ? { comment: response.comment } : {}),
          ...(response.sentiment ? { sentiment: response.sentiment } : {}),
          topics: response.topics,
          detractor: response.detractor,
        },
      }),
      ...(c.followUp
        ? [
            { Put: { TableName: tableName(), Item: followUpItem(c.followUp), ConditionExpression: 'attribute_not_exists(pk)' } },
            factPut({
              metric: 'detractor',
              day: response.metricDay,
              at: response.submittedAt,
              id: response.surveyId,
              data: { surveyId: response.surveyId, ...(survey.conversationId ? { conversationId: survey.conversationId } : {}), reasons: c.followUp.reasons },
            }),
          ]
        : []),
    ];
    try {
      await db().send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (cancelReasons(error)) return false;
      throw error;
    }
  },

  async claimRewardSlot(contactId, period, surveyId, max): Promise<RewardSlot> {
    try {
      await db().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.surveyPointsWindow(contactId, period),
          UpdateExpression: 'ADD rewarded :one, surveyIds :ids',
          ConditionExpression: '(attribute_not_exists(rewarded) OR rewarded < :max) AND (attribute_not_exists(surveyIds) OR NOT contains(surveyIds, :id))',
          ExpressionAttributeValues: { ':one': 1, ':ids': new Set([surveyId]), ':max': max, ':id': surveyId },
        }),
      );
      return 'claimed';
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.surveyPointsWindow(contactId, period), ConsistentRead: true }));
      const ids = res.Item?.surveyIds as Set<string> | undefined;
      return ids?.has(surveyId) ? 'already' : 'capped';
    }
  },

  async contactVerified(contactId) {
    const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.contact(contactId) }));
    return res.Item?.verified === true;
  },

  async recordRequest(request, dueAt) {
    const shard = requestShard(request.surveyId);
    try {
      await db().send(
        new PutCommand({
          TableName: tableName(),
          Item: {
            ...keys.surveyRequest(request.surveyId),
            ...keys.surveyRequestDue(shard, dueAt, request.surveyId),
            surveyId: request.surveyId,
            request,
            dueAt,
            shard,
            attempts: 0,
            ttl: Math.floor(Date.parse(dueAt) / 1000) + REQUEST_TTL_DAYS * 86_400,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  },

  async clearRequest(surveyId) {
    await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.surveyRequest(surveyId) }));
  },

  async dueRequests(shard, until, limit) {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :p AND gsi2sk <= :until',
        ExpressionAttributeValues: { ':p': keys.surveyRequestDuePartition(shard).gsi2pk, ':until': `${until}~` },
        Limit: limit,
      }),
    );
    return (res.Items ?? []).map(pendingFrom);
  },

  async retryRequest(surveyId, attempts, dueAt) {
    const shard = requestShard(surveyId);
    try {
      await db().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.surveyRequest(surveyId),
          ...(dueAt
            ? {
                UpdateExpression: 'SET attempts = :a, dueAt = :due, gsi2sk = :sk',
                ExpressionAttributeValues: { ':a': attempts, ':due': dueAt, ':sk': keys.surveyRequestDue(shard, dueAt, surveyId).gsi2sk },
              }
            : { UpdateExpression: 'SET attempts = :a, failed = :t REMOVE gsi2pk, gsi2sk', ExpressionAttributeValues: { ':a': attempts, ':t': true } }),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  },
};
