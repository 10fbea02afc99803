/**
 * Campaign fan-out benchmark on the local runtime (127.0.0.1 only, bounded in size and time).
 * Seeds N/5 members (1 % of them at high churn risk), runs a recall campaign over the high-risk
 * segment, grows the table to N members (still 1 % high risk) and runs it again, reporting:
 *   - fan-out throughput: members/s queued (audience resolved and queued to SQS) and sent
 *     (send guard, cap, widget message, email outbox item, counters);
 *   - DynamoDB operations per targeted member, counted on the functions' own client.
 * Printed next to baselines measured in the same run: the same 1 % audience selected by a
 * condition no index serves (a full member walk, whose cost grows with N), and the raw PutItem
 * rate of the same local store. `BENCH_MEMBERS` overrides N (default 100,000; the whole run takes
 * ≈ 80 s here when the machine is otherwise idle, several minutes when it is shared).
 */
import { BatchWriteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalStack } from '#infra/local/stack.ts';
import { keys } from '#shared/store/keys.ts';
import { db } from '#shared/store/table.ts';

export interface MemberSeed {
  contactId: string;
  shopUserId?: string;
  name?: string;
  email?: string;
  locale?: 'zh-CN' | 'en';
  tierId?: string;
  points?: number;
  orderCount?: number;
  totalSpend?: number;
  lastOrderAt?: string;
  churn?: { level: 'low' | 'medium' | 'high'; risk: number; reasons?: string[] };
  consent?: { email?: boolean; widget?: boolean; webhook?: boolean };
  labels?: string[];
}

/** The profile item of a seeded member, shaped as the members and churn code write it. */
export function memberItem(m: MemberSeed, now: Date): Record<string, unknown> {
  const at = now.toISOString();
  const tierId = m.tierId ?? 'bronze';
  const reviewAt = new Date(now.getTime() + 30 * 86_400_000).toISOString();
  const item: Record<string, unknown> = {
    ...keys.contact(m.contactId),
    ...keys.memberOfTier(tierId, reviewAt, m.contactId),
    contactId: m.contactId,
    shopId: 'demo',
    verified: true,
    ...(m.shopUserId ? { shopUserId: m.shopUserId } : {}),
    ...(m.name ? { name: m.name } : {}),
    ...(m.email ? { email: m.email } : {}),
    locale: m.locale ?? 'zh-CN',
    createdAt: at,
    updatedAt: at,
    version: 1,
    tierId,
    tierSince: at,
    tierReviewAt: reviewAt,
    pointsBalance: m.points ?? 0,
    pointsEarned: m.points ?? 0,
    orderCount: m.orderCount ?? 1,
    totalSpend: m.totalSpend ?? 100,
    firstOrderAt: m.lastOrderAt ?? '2025-01-01T00:00:00.000Z',
    lastOrderAt: m.lastOrderAt ?? '2025-01-01T00:00:00.000Z',
    ...(m.labels ? { labels: m.labels } : {}),
  };
  if (m.churn) {
    const reasons = (m.churn.reasons ?? ['long_since_last_purchase']).map((code) => ({ code, zh: code, en: code }));
    Object.assign(item, keys.churnListing(m.churn.level, m.churn.risk, m.contactId), {
      churnLevel: m.churn.level,
      churnRisk: m.churn.risk,
      churnReasons: reasons,
      churnReasonCodes: reasons.map((r) => r.code),
      churnScoredAt: at,
      churnVersion: 1,
    });
  }
  for (const [channel, granted] of Object.entries(m.consent ?? {})) {
    const name = `consent${channel[0]!.toUpperCase()}${channel.slice(1)}`;
    item[name] = granted ? 'granted' : 'revoked';
    item[`${name}At`] = at;
  }
  return item;
}

/** Writes members (profile + shop-user uniqueness item) in parallel batches of 25. */
export async function seedMembers(client: DynamoDBDocumentClient, members: readonly MemberSeed[], now = new Date(), parallel = 8): Promise<void> {
  const items = members.flatMap((m) => [
    memberItem(m, now),
    ...(m.shopUserId ? [{ ...keys.contactByShopUser('demo', m.shopUserId), contactId: m.contactId }] : []),
  ]);
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 8) throw new Error('seed: BatchWrite kept returning unprocessed items');
        const res = await client.send(new BatchWriteCommand({ RequestItems: { Kefu: pending } }));
        pending = (res.UnprocessedItems?.Kefu ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** 100,000 members: the whole run (seeding included) takes ≈ 80 s on an otherwise idle dev machine. */
const TOTAL = Number(process.env.BENCH_MEMBERS ?? 100_000);
const TIME_LIMIT_MS = 300_000;

interface Counts {
  requests: number;
  itemsRead: number;
  itemsWritten: number;
}

/** Counts DynamoDB requests and items on the functions' own client (the handlers run in this process). */
function countOperations(): { snapshot: () => Counts } {
  const counts: Counts = { requests: 0, itemsRead: 0, itemsWritten: 0 };
  db().middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as Record<string, unknown>;
      counts.requests++;
      const result = await next(args);
      const output = result.output as Record<string, unknown>;
      if (Array.isArray(input.TransactItems)) counts.itemsWritten += input.TransactItems.length;
      else if (input.RequestItems && !Array.isArray(input.RequestItems)) {
        for (const value of Object.values(input.RequestItems as Record<string, unknown>)) {
          if (Array.isArray(value)) counts.itemsWritten += value.length;
          else counts.itemsRead += ((value as { Keys?: unknown[] }).Keys ?? []).length;
        }
      } else if (typeof output.ScannedCount === 'number') counts.itemsRead += output.ScannedCount;
      else if ('Item' in output || (input.Key && !input.UpdateExpression)) counts.itemsRead += 1;
      else counts.itemsWritten += 1;
      return result;
    },
    { step: 'initialize', name: 'benchCountOperations' },
  );
  return { snapshot: () => ({ ...counts }) };
}

function seeds(from: number, to: number): MemberSeed[] {
  return Array.from({ length: to - from }, (_, n) => {
    const i = from + n;
    const target = i % 100 === 0;
    return {
      contactId: `con_bench${String(i).padStart(8, '0')}`,
      email: `bench${i}@example.com`,
      locale: i % 2 ? 'en' : 'zh-CN',
      tierId: ['bronze', 'silver', 'gold'][i % 3] as string,
      churn: target ? { level: 'high', risk: 0.8 } : i % 7 === 0 ? { level: 'medium', risk: 0.5 } : { level: 'low', risk: 0.2 },
      consent: { widget: true, email: true },
      ...(target ? { labels: ['bench-target'] } : {}),
    };
  });
}

interface CampaignFigures {
  audience: number;
  fanoutMs: number;
  sendMs: number;
  queuedPerSecond: number;
  sentPerSecond: number;
  requestsPerMember: number;
  itemsReadPerMember: number;
  itemsWrittenPerMember: number;
  audienceItemsRead: number;
}

/** Runs the benchmark and returns its figures (also printed). */
export async function runCampaignFanoutBench() {
  const started = performance.now();
  const previousLogLevel = process.env.POWERTOOLS_LOG_LEVEL;
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  // Imported after silencing the logger, which reads its level when the module loads.
  const { lifecyclePorts } = await import('#shared/campaigns/adapters.ts');
  const { changeStatus, saveDraft } = await import('#shared/campaigns/lifecycle.ts');
  const { saveSegment } = await import('#shared/campaigns/segments.ts');
  const stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  const counter = countOperations();
  const ports = lifecyclePorts();
  const widget = { zh: { title: '回归礼', body: '{{name}}，我们想念您' }, en: { title: 'Welcome back', body: '{{name}}, we miss you' } };
  const email = { zh: { subject: '{{name}}，我们想念您', body: '回来看看吧' }, en: { subject: '{{name}}, we miss you', body: 'Come back and see' } };
  let run = 0;

  /** Campaign progress read through the bench's own client, so polling is not counted as campaign work. */
  async function watch(campaignId: string): Promise<{ fanoutDone: boolean; audienceRead: number; processed: number }> {
    const header = (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: keys.campaign(campaignId), ConsistentRead: true }))).Item ?? {};
    const shards = await stack.db.send(
      new QueryCommand({
        TableName: 'Kefu',
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': keys.campaign(campaignId).pk, ':p': keys.campaignCounterPrefix() },
        ConsistentRead: true,
      }),
    );
    let processed = 0;
    for (const item of shards.Items ?? []) {
      for (const [name, value] of Object.entries(item))
        if (typeof value === 'number' && (name === 'sent' || name === 'holdout' || name === 'failed' || name.startsWith('suppressed_'))) processed += value;
    }
    return { fanoutDone: header.fanoutDone === true, audienceRead: Number(header.audienceRead ?? 0), processed };
  }

  async function campaign(segmentId: string, audience: number): Promise<CampaignFigures> {
    run++;
    const now = new Date();
    const draft = await saveDraft(
      {
        name: `bench ${run}`,
        segmentId,
        channels: ['widget', 'email'],
        variants: [{ variantId: 'a', weight: 1, content: { widget, email } }],
        offer: { kind: 'none' },
        holdoutRatio: 0.1,
        frequencyCap: { max: 50, windowHours: 1 },
        quietHours: null,
      },
      undefined,
      'bench',
      now,
    );
    const before = counter.snapshot();
    const t0 = performance.now();
    await changeStatus(draft.campaignId, 'launch', draft.version, 'bench', 'http://127.0.0.1', ports);
    let fanoutMs = 0;
    for (;;) {
      if (performance.now() - started > TIME_LIMIT_MS) throw new Error('campaign fan-out bench: time limit reached');
      const c = await watch(draft.campaignId);
      const progress = c;
      if (c?.fanoutDone && !fanoutMs) fanoutMs = performance.now() - t0;
      if (c?.fanoutDone && progress && progress.processed >= audience) {
        const sendMs = performance.now() - t0;
        const after = counter.snapshot();
        return {
          audience,
          fanoutMs,
          sendMs,
          queuedPerSecond: audience / (fanoutMs / 1000),
          sentPerSecond: audience / (sendMs / 1000),
          requestsPerMember: (after.requests - before.requests) / audience,
          itemsReadPerMember: (after.itemsRead - before.itemsRead) / audience,
          itemsWrittenPerMember: (after.itemsWritten - before.itemsWritten) / audience,
          audienceItemsRead: c.audienceRead,
        };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  try {
    await saveSegment(
      {
        segmentId: 'bench-indexed',
        name: 'High churn risk (index)',
        conditions: { churnLevels: ['high'] },
        updatedAt: new Date().toISOString(),
        updatedBy: 'bench',
      },
      0,
    );
    await saveSegment(
      {
        segmentId: 'bench-walk',
        name: 'Label (member walk)',
        conditions: { labels: { any: ['bench-target'] } },
        updatedAt: new Date().toISOString(),
        updatedBy: 'bench',
      },
      0,
    );

    const small = Math.round(TOTAL / 5);
    const seedStarted = performance.now();
    await seedMembers(stack.db, seeds(0, small));
    const smallIndexed = await campaign('bench-indexed', Math.ceil(small / 100));
    const smallWalk = await campaign('bench-walk', Math.ceil(small / 100));
    await seedMembers(stack.db, seeds(small, TOTAL));
    const seedMs = performance.now() - seedStarted - smallIndexed.sendMs - smallWalk.sendMs;
    const bigIndexed = await campaign('bench-indexed', Math.ceil(TOTAL / 100));
    const bigWalk = await campaign('bench-walk', Math.ceil(TOTAL / 100));
    const putStarted = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < 100; i++) await db().send(new PutCommand({ TableName: 'Kefu', Item: { pk: `BENCH#${w}#${i}`, sk: 'X', n: i } }));
      }),
    );
    const putsPerSecond = 800 / ((performance.now() - putStarted) / 1000);
    const totalSeconds = (performance.now() - started) / 1000;

    const row = (label: string, n: number, f: CampaignFigures) =>
      `  ${label.padEnd(26)} N=${String(n).padStart(7)}  segment ${String(f.audience).padStart(5)}  queued ${f.queuedPerSecond.toFixed(0).padStart(6)}/s  sent ${f.sentPerSecond.toFixed(1).padStart(6)}/s  ` +
      `requests/member ${f.requestsPerMember.toFixed(2).padStart(6)}  items read/member ${f.itemsReadPerMember.toFixed(1).padStart(7)}  written/member ${f.itemsWrittenPerMember.toFixed(2)}  audience index items ${f.audienceItemsRead}`;
    console.log('\ncampaign fan-out (local runtime: dynalite + local SQS, 127.0.0.1; 1 % of members targeted; widget + email; no offer)');
    console.log(row('index segment (churn)', small, smallIndexed));
    console.log(row('index segment (churn)', TOTAL, bigIndexed));
    console.log(row('baseline: member walk', small, smallWalk));
    console.log(row('baseline: member walk', TOTAL, bigWalk));
    console.log(`  baseline PutItem           ${putsPerSecond.toFixed(0)} items/s on the same store (8 writers)`);
    console.log(
      `  items read per targeted member: indexed ${smallIndexed.itemsReadPerMember.toFixed(1)} → ${bigIndexed.itemsReadPerMember.toFixed(1)} as N grows ${TOTAL / small}× (cost follows the segment); ` +
        `member walk ${smallWalk.itemsReadPerMember.toFixed(1)} → ${bigWalk.itemsReadPerMember.toFixed(1)} (≈ N / segment: cost follows N)`,
    );
    console.log(`  seeding ${TOTAL} members took ${(seedMs / 1000).toFixed(1)} s; whole run ${totalSeconds.toFixed(1)} s`);
    return { members: TOTAL, smallIndexed, bigIndexed, smallWalk, bigWalk, putsPerSecond, seedSeconds: seedMs / 1000, totalSeconds };
  } finally {
    await stack.stop();
    if (previousLogLevel === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
    else process.env.POWERTOOLS_LOG_LEVEL = previousLogLevel;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runCampaignFanoutBench();
