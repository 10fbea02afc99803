/**
 * Crash recovery of the real local runtime (`node infra/local/start.ts`), run as a child process:
 * dynalite keeps its data on disk, local SQS keeps its messages in memory. The runtime is killed
 * with SIGKILL while a campaign is sending and while survey requests wait on their SQS delay;
 * after a restart on the same data dir every targeted member must have exactly one send and one
 * widget message, the campaign must complete with every member counted, and every survey must go
 * out exactly once — all re-derived from the table by the scheduled jobs, nothing from the lost
 * queue. The restarted runtime stands 30 minutes ahead (KEFU_CLOCK_OFFSET_MS, local stage only),
 * so leases and survey due times have passed, and runs its every-minute schedules every second
 * (`--tick 1`); no step waits on a fixed sleep.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { localDynamoClient } from '#infra/local/dynamo.ts';
import { surveyIdFor } from '#shared/feedback/trigger.ts';
import { keys } from '#shared/store/keys.ts';
import { type MemberSeed, seedMembers } from '../../bench/campaign-fanout.ts';
import { apiClient } from '../support/api.ts';
import { until } from '../support/until.ts';

const REPO = resolve(import.meta.dirname, '../..');
/** Campaign audience: large enough that the kill lands mid-send, small enough for a busy 2-core machine. */
const N = 400;
const SURVEYS = 15;
/** The restarted runtime's clock stands this far ahead: past the batch lease and the survey delay. */
const AHEAD_MS = 30 * 60_000;

interface Runtime {
  child: ChildProcess;
  api: string;
  db: DynamoDBDocumentClient;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

const started: Runtime[] = [];

/** Starts `node infra/local/start.ts` on `dataDir` and waits for its banner (API and DynamoDB URLs). */
async function startRuntime(dataDir: string, env: Record<string, string> = {}): Promise<Runtime> {
  const child = spawn(process.execPath, ['infra/local/start.ts', '--data-dir', dataDir, '--port', '0', '--quiet', '--tick', '1'], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-20_000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const runtime: Runtime = { child, api: '', db: undefined as never, exited, output: () => `${out}\n${err}` };
  started.push(runtime);
  await until(
    () => {
      if (child.exitCode !== null) throw new Error(`the local runtime exited (${child.exitCode}): ${err}`);
      return out.includes('Press Ctrl-C');
    },
    { timeoutMs: 180_000, what: 'the local runtime to start', everyMs: 50 },
  );
  const api = /API\s+(http:\/\/\S+)/.exec(out)?.[1];
  const dynamo = /DynamoDB\s+(http:\/\/\S+)/.exec(out)?.[1];
  if (!api || !dynamo) throw new Error(`no API/DynamoDB URL in the banner:\n${out}`);
  runtime.api = api;
  runtime.db = DynamoDBDocumentClient.from(localDynamoClient(dynamo), { marshallOptions: { removeUndefinedValues: true } });
  return runtime;
}

async function queryAll(db: DynamoDBDocumentClient, input: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db.send(new QueryCommand({ TableName: 'Kefu', ConsistentRead: true, ...input, ExclusiveStartKey: start } as never));
    out.push(...((res.Items ?? []) as Record<string, unknown>[]));
    start = res.LastEvaluatedKey;
  } while (start);
  return out;
}

const partition = (db: DynamoDBDocumentClient, pk: string, prefix: string) =>
  queryAll(db, { KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', ExpressionAttributeValues: { ':p': pk, ':s': prefix } });

async function getMany(db: DynamoDBDocumentClient, wanted: { pk: string; sk: string }[]): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < wanted.length; i += 100) {
    let pending: Record<string, unknown>[] | undefined = wanted.slice(i, i + 100);
    while (pending && pending.length > 0) {
      const res = await db.send(new BatchGetCommand({ RequestItems: { Kefu: { Keys: pending, ConsistentRead: true } } }));
      for (const item of res.Responses?.Kefu ?? []) out.set(`${item.pk as string}|${item.sk as string}`, item);
      pending = res.UnprocessedKeys?.Kefu?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return out;
}

const dataDir = mkdtempSync(join(tmpdir(), 'kefu-crash-'));

afterAll(async () => {
  for (const r of started) {
    if (r.child.exitCode === null && r.child.signalCode === null) {
      r.child.kill('SIGTERM');
      await r.exited;
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('kill -9 of the local runtime mid-campaign, with surveys waiting on their delay', () => {
  it('resends nothing twice and loses nothing: every member gets one message, every survey goes out once', async () => {
    const t0 = Date.now();
    const first = await startRuntime(dataDir);
    const client = apiClient(first.api);
    const marketing = await client.staff('marketing@demo.kefu');
    const agent = await client.staff('agent@demo.kefu');

    const members: MemberSeed[] = Array.from({ length: N }, (_, i) => ({
      contactId: `con_crash${String(i).padStart(4, '0')}`,
      name: `Member ${i}`,
      locale: i % 2 ? 'en' : 'zh-CN',
      churn: { level: 'high', risk: 0.7 + (i % 250) / 1000 },
      consent: { widget: true },
    }));
    await seedMembers(first.db, members);

    // Fifteen resolved conversations: each requests a survey on the `surveys` queue, delayed 300 s.
    const surveys: { surveyId: string; contactId: string }[] = [];
    for (let i = 0; i < SURVEYS; i++) {
      const v = await client.visitor();
      const created = await client.call('POST', '/widget/conversations', {
        token: v.token,
        body: { clientMessageId: `crash-${i}-${t0}`, text: `订单 ${i} 的问题 / question ${i}` },
      });
      expect(created.status).toBe(201);
      const conversationId = created.json.conversation.conversationId as string;
      expect((await client.call('POST', `/conversations/${conversationId}/status`, { token: agent, body: { status: 'resolved' } })).status).toBe(200);
      surveys.push({ surveyId: surveyIdFor('conversation_resolved', conversationId), contactId: v.contactId });
    }
    for (const s of surveys) expect((await client.call('GET', `/surveys/${s.surveyId}`, { token: agent })).status).toBe(404);

    expect(
      (await client.call('PUT', '/segments/crash-high', { token: marketing, body: { name: 'Crash test: high risk', conditions: { churnLevels: ['high'] } } }))
        .status,
    ).toBe(200);
    const text = { title: '回来看看 / Come back', body: '{{name}}，我们想您了 / we miss you' };
    const created = await client.call('POST', '/campaigns', {
      token: marketing,
      body: {
        name: 'Crash recall',
        segmentId: 'crash-high',
        channels: ['widget'],
        variants: [{ variantId: 'a', weight: 1, content: { widget: { zh: text, en: text } } }],
        offer: { kind: 'none' },
        holdoutRatio: 0,
        quietHours: null,
      },
    });
    expect(created.status).toBe(201);
    const campaignId = created.json.campaignId as string;
    expect((await client.call('POST', `/campaigns/${campaignId}/status`, { token: marketing, body: { action: 'launch', version: 1 } })).status).toBe(200);

    // Kill when a quarter of the sends are recorded but not all (observed in the table, never a sleep).
    const countSends = async (db: DynamoDBDocumentClient) =>
      (
        await db.send(
          new QueryCommand({
            TableName: 'Kefu',
            KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
            ExpressionAttributeValues: { ':p': keys.campaign(campaignId).pk, ':s': keys.campaignSendPrefix() },
            Select: 'COUNT',
            ConsistentRead: true,
          }),
        )
      ).Count ?? 0;
    const atKill = await until(
      async () => {
        const n = await countSends(first.db);
        if (n >= N) throw new Error('the campaign finished before the kill: raise N');
        return n >= N / 4 ? n : undefined;
      },
      { timeoutMs: 120_000, everyMs: 5, what: 'the first campaign sends' },
    );
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(atKill).toBeLessThan(N);

    // Restart on the same data dir, 30 minutes later as far as the runtime's clocks are concerned.
    const second = await startRuntime(dataDir, { KEFU_CLOCK_OFFSET_MS: String(AHEAD_MS) });
    const db = second.db;
    const surveyKeys = surveys.map((s) => keys.survey(s.surveyId));
    let seen = '';
    await until(
      async () => {
        const header = (await getMany(db, [keys.campaign(campaignId)])).values().next().value;
        const sent = [...(await getMany(db, surveyKeys)).values()].filter((s) => s.status === 'sent');
        seen = `campaign ${String(header?.status)} with ${await countSends(db)}/${N} send records (${atKill} at the kill), ${sent.length}/${SURVEYS} surveys sent`;
        return header?.status === 'completed' && sent.length === SURVEYS;
      },
      { timeoutMs: 420_000, everyMs: 250, what: 'the campaign to complete and every survey to be sent after the restart' },
    ).catch((error: Error) => {
      throw new Error(`${error.message}; last seen: ${seen}`);
    });

    // Every targeted member: exactly one send record (sent and delivered), one widget message, one cap touch.
    const sends = await partition(db, keys.campaign(campaignId).pk, keys.campaignSendPrefix());
    expect(sends).toHaveLength(N);
    expect(new Set(sends.map((s) => s.contactId)).size).toBe(N);
    expect(new Set(sends.map((s) => s.contactId))).toEqual(new Set(members.map((m) => m.contactId)));
    const undelivered = sends.filter((s) => s.state !== 'sent' || s.delivered !== true);
    expect(undelivered, 'sends left half-applied').toEqual([]);
    const messages = await getMany(
      db,
      members.map((m) => keys.campaignMessage(m.contactId, campaignId)),
    );
    expect(messages.size).toBe(N);
    const caps = await getMany(
      db,
      members.map((m) => keys.contactCap(m.contactId)),
    );
    for (const m of members) {
      const touches = ((caps.get(`${keys.contactCap(m.contactId).pk}|CAP`)?.touches ?? []) as { ref: string }[]).filter((t) => t.ref === campaignId);
      expect(touches.length, m.contactId).toBeLessThanOrEqual(1);
    }
    const again = apiClient(second.api);
    const progress = (await again.call('GET', `/campaigns/${campaignId}`, { token: await again.staff('marketing@demo.kefu') })).json.progress;
    expect(progress).toMatchObject({ queued: N, sent: N, failed: 0, processed: N });

    // Every survey: sent once (one survey item, one survey touch, counted once), no request left pending.
    const surveyItems = await getMany(db, surveyKeys);
    for (const s of surveys) {
      expect(surveyItems.get(`${keys.survey(s.surveyId).pk}|SURVEY`)?.status, s.surveyId).toBe('sent');
      const ofContact = await queryAll(db, {
        IndexName: 'gsi1',
        ConsistentRead: false,
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': keys.contactSurveysPartition(s.contactId).gsi1pk },
      });
      expect(ofContact.map((x) => x.surveyId)).toEqual([s.surveyId]);
    }
    const surveyCaps = await getMany(
      db,
      surveys.map((s) => keys.contactCap(s.contactId)),
    );
    for (const s of surveys) {
      const touches = ((surveyCaps.get(`${keys.contactCap(s.contactId).pk}|CAP`)?.touches ?? []) as { kind: string; ref: string }[]).filter(
        (t) => t.kind === 'survey',
      );
      expect(
        touches.map((t) => t.ref),
        s.contactId,
      ).toEqual([s.surveyId]);
    }
    const days = await partition(db, 'QUALITY#all', 'DAY#');
    expect(days.reduce((sum, d) => sum + Number(d.sv_sent ?? 0), 0)).toBe(SURVEYS);
    const pending = await getMany(
      db,
      surveys.map((s) => keys.surveyRequest(s.surveyId)),
    );
    expect([...pending.values()].filter((r) => r.gsi2pk !== undefined)).toEqual([]);
    expect(await partition(db, keys.campaign(campaignId).pk, keys.campaignBatchPrefix())).toEqual([]);

    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    console.log(`crash test: killed after ${atKill}/${N} sends; whole run ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 600_000);
});
