/**
 * A campaign send batch whose message ends in the DLQ (or is lost with the local in-memory queue)
 * must not shrink the campaign silently. Over the local stack: the fan-out queues every batch but
 * one — that one's message is the one that never gets processed — and the real consumers send the
 * rest. The campaign must stay `sending` with the gap visible (queued > processed); the tick
 * re-derives the batch from its open row once its lease has passed; if the re-queued message is
 * lost again and again, the members are recorded as `failed` after MAX_REDRIVES re-queues and
 * the campaign completes with every queued member counted. A survey request whose delayed message
 * is lost is delivered by the sweep, exactly once even when the message turns up late. The clocks
 * the tick and the sweep run on are passed in (standing minutes and hours ahead), so nothing waits
 * on a lease.
 */

import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { runFanout, type SendMessage } from '#shared/campaigns/fanout.ts';
import { changeStatus, type TickPorts, tickCampaigns } from '#shared/campaigns/lifecycle.ts';
import { MAX_REDRIVES, redriveLeaseMs } from '#shared/campaigns/reconcile.ts';
import { enqueueBatch } from '#shared/campaigns/sqs-batch.ts';
import { BATCH_LEASE_MS } from '#shared/campaigns/store.ts';
import { feedbackPorts } from '#shared/feedback/adapters.ts';
import type { FeedbackPorts, SurveyRequest } from '#shared/feedback/ports.ts';
import { deliverSurvey } from '#shared/feedback/service.ts';
import { MAX_SWEEP_ATTEMPTS, SWEEP_GRACE_MS, sweepSurveys } from '#shared/feedback/sweep.ts';
import { requestSurvey, surveyIdFor } from '#shared/feedback/trigger.ts';
import { keys } from '#shared/store/keys.ts';
import { type MemberSeed, seedMembers } from '../../bench/campaign-fanout.ts';
import { apiClient } from '../support/api.ts';
import { until } from '../support/until.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
let client: ReturnType<typeof apiClient>;
let marketing: string;

const PER_GROUP = 60;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  client = apiClient(stack.urls.api);
  marketing = await client.staff('marketing@demo.kefu');
  const group = (level: 'medium' | 'low'): MemberSeed[] =>
    Array.from({ length: PER_GROUP }, (_, i) => ({
      contactId: `con_dlq_${level}${String(i).padStart(3, '0')}`,
      name: `M${i}`,
      churn: { level, risk: level === 'medium' ? 0.5 : 0.2 },
      consent: { widget: true },
    }));
  await seedMembers(stack.db, [...group('medium'), ...group('low')]);
});
afterAll(async () => {
  await stack?.stop();
});

async function sendRecords(campaignId: string) {
  const res = await stack.db.send(
    new QueryCommand({
      TableName: 'Kefu',
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': keys.campaign(campaignId).pk, ':s': keys.campaignSendPrefix() },
      ConsistentRead: true,
    }),
  );
  return (res.Items ?? []) as Record<string, unknown>[];
}

const campaignOf = async (id: string) => (await client.call('GET', `/campaigns/${id}`, { token: marketing })).json;

/**
 * Launches a campaign on a churn level and runs its fan-out in the test: every batch is queued to the
 * real `campaign-sends` queue except the first, whose message is "lost" (returned instead).
 */
async function launchLosingOneBatch(level: 'medium' | 'low', now: Date): Promise<{ campaignId: string; lost: SendMessage }> {
  expect(
    (await client.call('PUT', `/segments/dlq-${level}`, { token: marketing, body: { name: `DLQ ${level}`, conditions: { churnLevels: [level] } } })).status,
  ).toBe(200);
  const text = { title: 'Hi', body: 'Hello {{name}}' };
  const created = await client.call('POST', '/campaigns', {
    token: marketing,
    body: {
      name: `DLQ ${level}`,
      segmentId: `dlq-${level}`,
      channels: ['widget'],
      variants: [{ variantId: 'a', weight: 1, content: { widget: { zh: text, en: text } } }],
      holdoutRatio: 0,
      quietHours: null,
    },
  });
  expect(created.status).toBe(201);
  const campaignId = created.json.campaignId as string;
  const launched = await changeStatus(campaignId, 'launch', 1, 'test', stack.urls.api, { now: () => now, kick: async () => {} });
  let lost: SendMessage | undefined;
  const outcome = await runFanout(
    { campaignId, hop: launched.fanoutHop },
    {
      now: () => now,
      timeLeftMs: () => 600_000,
      kick: async () => {},
      enqueueSends: async (messages) => {
        lost ??= messages[0];
        await enqueueBatch('campaign-sends', messages.slice(1));
      },
    },
  );
  expect(outcome).toBe('done');
  await stack.quiesce();
  return { campaignId, lost: lost! };
}

const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

describe('a send batch whose message ends in the DLQ', () => {
  it('is re-derived from its open row by the tick, and the campaign completes with every member sent', async () => {
    const now = new Date();
    const { campaignId, lost } = await launchLosingOneBatch('low', now);
    const queued = (requeue: SendMessage[]) => async (messages: SendMessage[]) => void requeue.push(...messages);
    const ports = (when: Date, enqueueSends: TickPorts['enqueueSends']): TickPorts => ({ now: () => when, kick: async () => {}, enqueueSends });

    // The other batches are done; the lost one keeps the campaign sending, the gap visible.
    let c = await campaignOf(campaignId);
    expect(c.progress).toMatchObject({ queued: PER_GROUP, processed: PER_GROUP - lost.contactIds.length });
    const early: SendMessage[] = [];
    expect(await tickCampaigns(ports(at(now, 60_000), queued(early)))).toMatchObject({ requeued: 0, completed: 0 });
    expect((await campaignOf(campaignId)).status).toBe('sending');

    // Past the lease: the tick re-queues exactly the lost batch from its row, and the real consumer sends it.
    const requeued: SendMessage[] = [];
    const result = await tickCampaigns(
      ports(at(now, BATCH_LEASE_MS + 60_000), async (m) => {
        requeued.push(...m);
        await enqueueBatch('campaign-sends', m);
      }),
    );
    expect(result).toMatchObject({ requeued: 1 });
    expect(requeued).toEqual([{ ...lost, redrive: 1 }]);
    await stack.quiesce();
    expect(await tickCampaigns(ports(at(now, BATCH_LEASE_MS + 120_000), queued([])))).toMatchObject({ requeued: 0, completed: 1 });
    c = await campaignOf(campaignId);
    expect(c.status).toBe('completed');
    expect(c.progress).toMatchObject({ queued: PER_GROUP, sent: PER_GROUP, failed: 0, processed: PER_GROUP });
    const sends = await sendRecords(campaignId);
    expect(sends).toHaveLength(PER_GROUP);
    expect(sends.every((s) => s.state === 'sent' && s.delivered === true)).toBe(true);
  });

  it('counts its members as failed, visibly, when every re-queue is lost too — never a silent shrink', async () => {
    const now = new Date();
    const { campaignId, lost } = await launchLosingOneBatch('medium', now);
    const dropped: SendMessage[] = [];
    const drop = async (messages: SendMessage[]) => void dropped.push(...messages);
    let when = now;
    for (let redrive = 1; redrive <= MAX_REDRIVES; redrive++) {
      when = at(when, (redrive === 1 ? BATCH_LEASE_MS : redriveLeaseMs(redrive - 1)) + 1_000);
      expect(await tickCampaigns({ now: () => when, kick: async () => {}, enqueueSends: drop })).toMatchObject({ requeued: 1, failed: 0, completed: 0 });
      const c = await campaignOf(campaignId);
      expect(c.status).toBe('sending');
      expect(c.progress.processed).toBe(PER_GROUP - lost.contactIds.length);
    }
    expect(dropped.map((m) => m.redrive)).toEqual(Array.from({ length: MAX_REDRIVES }, (_, i) => i + 1));
    expect(new Set(dropped.map((m) => m.batch))).toEqual(new Set([lost.batch]));

    // The last lease passes with the batch still open: its members are recorded as failed and the campaign completes.
    when = at(when, redriveLeaseMs(MAX_REDRIVES) + 1_000);
    expect(await tickCampaigns({ now: () => when, kick: async () => {}, enqueueSends: drop })).toMatchObject({
      requeued: 0,
      failed: lost.contactIds.length,
      completed: 1,
    });
    const c = await until(async () => {
      const x = await campaignOf(campaignId);
      return x.status === 'completed' ? x : undefined;
    });
    expect(c.progress).toMatchObject({ queued: PER_GROUP, sent: PER_GROUP - lost.contactIds.length, failed: lost.contactIds.length, processed: PER_GROUP });
    const sends = await sendRecords(campaignId);
    expect(sends).toHaveLength(PER_GROUP);
    const failed = sends.filter((s) => s.state === 'failed').map((s) => s.contactId);
    expect(new Set(failed)).toEqual(new Set(lost.contactIds));
  });
});

describe('a survey request whose delayed message ends in the DLQ', () => {
  const get = async (key: { pk: string; sk: string }) => (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: key, ConsistentRead: true }))).Item;
  const at2 = (base: Date, ms: number) => new Date(base.getTime() + ms);

  it('is delivered once by the sweep past its due time; the late message and a second sweep change nothing', async () => {
    const now = new Date();
    const lostMessages: SurveyRequest[] = [];
    const base = feedbackPorts();
    const contactId = 'con_dlq_low001';
    const surveyId = await requestSurvey(
      { store: base.store, now: () => now, enqueue: async (r) => void lostMessages.push(r) },
      { trigger: 'conversation_resolved', sourceId: 'cnv_dlq_1', contactId, conversationId: 'cnv_dlq_1', channel: 'chat' },
      'req_dlq_1',
    );
    expect(surveyId).toBe(surveyIdFor('conversation_resolved', 'cnv_dlq_1'));
    expect(lostMessages).toHaveLength(1);
    const settings = await base.store.settings();
    const due = at2(now, settings.delaySeconds * 1000);
    expect(await get(keys.surveyRequest(surveyId!))).toMatchObject({ dueAt: due.toISOString(), attempts: 0 });

    // Before due (plus grace) the sweep leaves it to the queue.
    expect(await sweepSurveys({ ...base, now: () => at2(due, SWEEP_GRACE_MS - 1_000) })).toMatchObject({ delivered: 0 });
    expect(await get(keys.survey(surveyId!))).toBeUndefined();
    const later: FeedbackPorts = { ...base, now: () => at2(due, SWEEP_GRACE_MS + 1_000) };
    expect(await sweepSurveys(later)).toMatchObject({ delivered: 1 });
    expect(await get(keys.survey(surveyId!))).toMatchObject({ status: 'sent', contactId });
    expect(await get(keys.surveyRequest(surveyId!))).toBeUndefined();
    expect(await sweepSurveys(later)).toMatchObject({ delivered: 0, duplicate: 0 });
    expect(await deliverSurvey(later, lostMessages[0]!)).toEqual({ status: 'duplicate' });
    const cap = await get(keys.contactCap(contactId));
    expect(((cap?.touches ?? []) as { kind: string; ref: string }[]).filter((t) => t.kind === 'survey').map((t) => t.ref)).toEqual([surveyId]);
  });

  it('is retried with growing gaps when delivery keeps failing, then set aside as failed (logged), never silently dropped', async () => {
    const now = new Date();
    const base = feedbackPorts();
    const surveyId = await requestSurvey(
      { store: base.store, now: () => now, enqueue: async () => {} },
      { trigger: 'conversation_resolved', sourceId: 'cnv_dlq_2', contactId: 'con_dlq_low002', conversationId: 'cnv_dlq_2', channel: 'chat' },
      'req_dlq_2',
    );
    const broken: FeedbackPorts = { ...base, store: { ...base.store, createSurvey: async () => Promise.reject(new Error('store down')) } };
    let when = at2(now, 3_600_000);
    for (let attempt = 1; attempt <= MAX_SWEEP_ATTEMPTS; attempt++) {
      const result = await sweepSurveys({ ...broken, now: () => when });
      expect(result).toMatchObject(attempt < MAX_SWEEP_ATTEMPTS ? { retried: 1, failed: 0 } : { retried: 0, failed: 1 });
      when = at2(when, 86_400_000);
    }
    expect(await get(keys.surveyRequest(surveyId!))).toMatchObject({ failed: true, attempts: MAX_SWEEP_ATTEMPTS });
    expect((await get(keys.surveyRequest(surveyId!)))?.gsi2pk).toBeUndefined();
    expect(await sweepSurveys({ ...base, now: () => when })).toMatchObject({ delivered: 0, failed: 0 });
  });
});
