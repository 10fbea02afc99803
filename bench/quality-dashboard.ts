/**
 * Quality dashboard cost: what one 30-day summary costs when it reads the pre-aggregated day
 * counters (`QUALITY#{scope}` / `DAY#{day}` + the bot's `METRIC#bot#{day}` + the backlog gauge)
 * against computing the same figures from raw conversations (one Query per day over that day's
 * conversation records, then the same fold in memory), measured in the same run on the local
 * runtime's DynamoDB (dynalite).
 *
 * Scale: 10,000 conversations/day for 30 days on the pre-aggregated side (the 30 day items are
 * written directly from folding 300,000 synthetic timelines in memory). The raw side stores only
 * BENCH_RAW_PER_DAY conversations per day (default 300) because loading 300,000 items into dynalite
 * takes too long; its items, bytes, RCUs and latency are measured at that size and extrapolated
 * linearly to 10,000/day (a Query per day reads every item of the day, so cost is linear in it).
 * Both sides compute the figures of the sample and must agree exactly.
 *
 *   npm run bench -- quality
 */
import { BatchWriteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalStack } from '#infra/local/stack.ts';
import { mulberry32 } from '#shared/ai/softmax.ts';
import { responseCounters } from '#shared/feedback/rules.ts';
import { type ConversationFacts, foldTimeline, type QualityEvent, sumCounters } from '#shared/quality/metrics.ts';
import { daysBetween, readBacklog, readBotDays, readQualityDays } from '#shared/quality/store.ts';
import { type DayCounters, figures, summarize } from '#shared/quality/summary.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

const PER_DAY = 10_000;
const DAYS = 30;
const RAW_PER_DAY = Number(process.env.BENCH_RAW_PER_DAY ?? 300);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const FROM = '2026-01-01';

const rng = mulberry32;

interface Synthetic {
  facts: ConversationFacts;
  events: QualityEvent[];
  csat?: number;
}

/** A plausible conversation: first reply ≈ minutes, resolution ≈ hours, some pending, some reopened, some rated. */
function synthetic(day: string, i: number, rand: () => number): Synthetic {
  const start = Date.parse(`${day}T00:00:00Z`) + Math.floor(rand() * 86_400_000);
  const iso = (ms: number) => new Date(ms).toISOString();
  const logn = (median: number, spread: number) => median * Math.exp(spread * (rand() + rand() + rand() - 1.5) * 1.6);
  const agent = `agent-${Math.floor(rand() * 40)}`;
  const facts: ConversationFacts = { conversationId: `cnv_${day}_${i}`, createdAt: iso(start), channel: rand() < 0.8 ? 'chat' : 'email', agent };
  const events: QualityEvent[] = [{ kind: 'created', at: iso(start) }];
  let t = start + logn(180, 1.2) * 1000;
  events.push({ kind: 'agent_reply', at: iso(t) });
  if (rand() < 0.2) {
    t += logn(600, 1) * 1000;
    events.push({ kind: 'status', status: 'pending', at: iso(t) });
    t += logn(3600, 1) * 1000;
    events.push({ kind: 'status', status: 'open', at: iso(t) });
  }
  if (rand() < 0.9) {
    t += logn(5400, 1.3) * 1000;
    events.push({ kind: 'status', status: 'resolved', at: iso(t) });
    if (rand() < 0.06) {
      t += logn(20_000, 1) * 1000;
      events.push({ kind: 'status', status: 'open', at: iso(t) });
      t += logn(3000, 1) * 1000;
      events.push({ kind: 'status', status: 'resolved', at: iso(t) });
    }
  }
  const r = rand();
  const csat = rand() < 0.3 ? (r < 0.05 ? 1 : r < 0.1 ? 2 : r < 0.2 ? 3 : r < 0.45 ? 4 : 5) : undefined;
  return { facts, events, ...(csat !== undefined ? { csat } : {}) };
}

/** The day counters a set of conversations adds up to (what the hooks write, one event at a time). */
function aggregate(conversations: readonly Synthetic[]): Map<string, Record<string, number>> {
  const days = new Map<string, Record<string, number>>();
  const addTo = (day: string, counters: Record<string, number>) => days.set(day, sumCounters([days.get(day) ?? {}, counters]));
  for (const c of conversations) {
    const folded = foldTimeline(c.facts, c.events);
    for (const [day, counters] of folded.days) addTo(day, counters);
    if (c.csat !== undefined)
      addTo(c.facts.createdAt.slice(0, 10), { ...responseCounters({ scores: { csat: c.csat }, topics: [], detractor: c.csat <= 2 }), sv_sent: 1 });
  }
  return days;
}

const bytesOf = (items: readonly unknown[]) => items.reduce<number>((a, i) => a + Buffer.byteLength(JSON.stringify(i)), 0);
/** Eventually consistent Query/BatchGet: ½ RCU per started 4 KB of the response (BatchGet: per item). */
const queryRcu = (bytes: number) => Math.ceil(bytes / 4096) * 0.5;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function writeAll(items: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let request: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = {
      [tableName()]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
    };
    while (request && Object.keys(request).length) {
      const res = await db().send(new BatchWriteCommand({ RequestItems: request }));
      request = res.UnprocessedItems as typeof request;
    }
  }
}

/** Runs the benchmark and returns its figures (also printed). */
export async function runQualityDashboardBench() {
  const stack = await startLocalStack({ port: 0, memory: true, quiet: true, seed: false, preload: false });
  try {
    const days = daysBetween(FROM, new Date(Date.parse(`${FROM}T00:00:00Z`) + (DAYS - 1) * 86_400_000).toISOString().slice(0, 10));
    const to = days[days.length - 1]!;

    // Pre-aggregated side: fold 300,000 timelines in memory, write the 30 day items (+ bot counters, gauge).
    const genStart = performance.now();
    const full: Synthetic[] = [];
    const sample: Synthetic[] = [];
    days.forEach((day, d) => {
      const rand = rng(1000 + d);
      for (let i = 0; i < PER_DAY; i++) {
        const c = synthetic(day, i, rand);
        full.push(c);
        if (i < RAW_PER_DAY) sample.push(c);
      }
    });
    const fullDays = aggregate(full);
    const foldMs = performance.now() - genStart;
    for (const [day, counters] of fullDays) {
      if (day < FROM || day > to) continue;
      await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.qualityDay('all', day), scope: 'all', day, ...counters } }));
    }
    for (const day of days) {
      await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.metric('bot', day), resolved_by_bot: 900, handed_off: 450, abandoned: 150 } }));
    }
    await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.qualityGauge('all'), backlog: 1234 } }));
    // Sample-scale day items under their own scope, to check both ways compute the same figures.
    for (const [day, counters] of aggregate(sample)) {
      if (day < FROM || day > to) continue;
      await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.qualityDay('bench-sample', day), scope: 'bench-sample', day, ...counters } }));
    }

    // Raw side: the sample's conversations, one record each under its creation day.
    await writeAll(
      sample.map((c) => ({
        ...keys.qualityFact(c.facts.createdAt.slice(0, 10), 'conversation', c.facts.createdAt, c.facts.conversationId),
        ...c.facts,
        events: c.events,
        ...(c.csat !== undefined ? { csat: c.csat } : {}),
        subject: 'Where is my order? 我的订单到哪里了',
        tags: ['order', 'delivery'],
      })),
    );

    const preRuns: number[] = [];
    let pre = { requests: 0, items: 0, bytes: 0, rcu: 0 };
    let preFigures: ReturnType<typeof summarize> | undefined;
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      const [q, bot, backlog] = await Promise.all([readQualityDays('all', FROM, to), readBotDays(FROM, to), readBacklog('all')]);
      preFigures = summarize(q.days, bot.days);
      preRuns.push(performance.now() - t0);
      const qBytes = bytesOf(q.days);
      pre = {
        requests: q.reads + bot.reads + 1,
        items: q.days.length + bot.days.length + 1,
        bytes: qBytes + bytesOf(bot.days) + 32,
        rcu: queryRcu(qBytes) + bot.days.length * 0.5 + 0.5,
      };
      void backlog;
    }

    const rawRuns: number[] = [];
    let raw = { requests: 0, items: 0, bytes: 0, rcu: 0 };
    let rawFigures: ReturnType<typeof figures> | undefined;
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      let requests = 0;
      let bytes = 0;
      let rcu = 0;
      const items: Record<string, unknown>[] = [];
      await Promise.all(
        days.map(async (day) => {
          let startKey: Record<string, unknown> | undefined;
          do {
            const res = await db().send(
              new QueryCommand({
                TableName: tableName(),
                KeyConditionExpression: 'pk = :p',
                ExpressionAttributeValues: { ':p': keys.qualityFactPartition(day, 'conversation') },
                ExclusiveStartKey: startKey,
              }),
            );
            requests++;
            const page = res.Items ?? [];
            const b = bytesOf(page);
            bytes += b;
            rcu += queryRcu(b);
            items.push(...page);
            startKey = res.LastEvaluatedKey;
          } while (startKey);
        }),
      );
      const counters = aggregate(
        items.map((i) => ({
          facts: i as unknown as ConversationFacts,
          events: i.events as QualityEvent[],
          ...(typeof i.csat === 'number' ? { csat: i.csat } : {}),
        })),
      );
      const inPeriod = [...counters].filter(([d]) => d >= FROM && d <= to).map(([, c]) => c);
      rawFigures = figures(sumCounters(inPeriod));
      rawRuns.push(performance.now() - t0);
      raw = { requests, items: items.length, bytes, rcu };
    }

    const sampleDays: DayCounters[] = (await readQualityDays('bench-sample', FROM, to)).days;
    const sameFigures = JSON.stringify(figures(sumCounters(sampleDays.map((d) => d.counters)))) === JSON.stringify(rawFigures);
    const scale = PER_DAY / RAW_PER_DAY;
    const rawFull = {
      items: raw.items * scale,
      bytes: raw.bytes * scale,
      rcu: raw.rcu * scale,
      /** DynamoDB returns at most 1 MB per Query page. */
      requests: days.length * Math.max(1, Math.ceil((raw.bytes * scale) / days.length / 1_048_576)),
      latencyMs: median(rawRuns) * scale,
    };
    const result = {
      conversationsPerDay: PER_DAY,
      days: DAYS,
      rawSamplePerDay: RAW_PER_DAY,
      foldMsFor300k: Math.round(foldMs),
      preAggregated: { ...pre, latencyMs: median(preRuns) },
      rawSample: { ...raw, latencyMs: median(rawRuns) },
      rawExtrapolated: rawFull,
      ratio: { rcu: rawFull.rcu / pre.rcu, items: rawFull.items / pre.items, latency: rawFull.latencyMs / median(preRuns) },
      sameFiguresOnSample: sameFigures,
      fullScaleTotals: {
        created: preFigures?.totals.conversations.created,
        frtMedianSeconds: preFigures?.totals.firstResponse.medianSeconds,
        rtP90Seconds: preFigures?.totals.resolutionTime.p90Seconds,
        csatAverage: preFigures?.totals.csat.average,
      },
    };
    const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
    console.log(`\nquality dashboard: 30-day summary at ${PER_DAY.toLocaleString('en')} conversations/day (local dynalite, median of ${RUNS})`);
    console.log(
      `  pre-aggregated        ${pre.requests} requests, ${pre.items} items, ${kb(pre.bytes)}, ≈ ${pre.rcu} RCU, ${result.preAggregated.latencyMs.toFixed(1)} ms`,
    );
    console.log(
      `  raw, measured sample  ${raw.requests} requests, ${raw.items} items (${RAW_PER_DAY}/day), ${kb(raw.bytes)}, ≈ ${raw.rcu} RCU, ${result.rawSample.latencyMs.toFixed(1)} ms`,
    );
    console.log(
      `  raw, extrapolated ×${scale.toFixed(1)}  ${rawFull.requests} requests, ${rawFull.items.toLocaleString('en')} items, ${kb(rawFull.bytes)}, ≈ ${Math.round(rawFull.rcu)} RCU, ≈ ${Math.round(rawFull.latencyMs)} ms`,
    );
    console.log(
      `  ratio raw ÷ pre       ${result.ratio.rcu.toFixed(0)}× RCU, ${result.ratio.items.toFixed(0)}× items, ${result.ratio.latency.toFixed(0)}× latency`,
    );
    console.log(`  same figures on the sample both ways: ${sameFigures ? 'yes' : 'NO'}; folding 300k timelines in memory took ${result.foldMsFor300k} ms`);
    console.log(
      `  full-scale totals: ${result.fullScaleTotals.created} created, FRT median ${result.fullScaleTotals.frtMedianSeconds} s, RT p90 ${result.fullScaleTotals.rtP90Seconds} s, CSAT ${result.fullScaleTotals.csatAverage}`,
    );
    return result;
  } finally {
    await stack.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runQualityDashboardBench();
