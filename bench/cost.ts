/**
 * Cost of one chat conversation on the local runtime, priced at AWS list prices (127.0.0.1 only).
 *
 * The conversation (through the real HTTP and WebSocket paths): a visitor opens a session and a
 * socket and asks a question; the bot answers it; the agent opens the conversation and replies
 * (taking over from the bot); then visitor and agent alternate until 5 visitor messages, 1 bot reply
 * and 4 agent replies are written; each side marks every message of the other side read (5 + 5
 * read receipts over HTTP); the agent resolves it. Run with 1 staff socket connected, then with 5.
 *
 * Counted: DynamoDB calls and capacity (GSI writes included) through a counting proxy in front of
 * dynalite (bench/support/dynamo-counter.ts, rules in dynamo-capacity.ts); SQS calls and @connections
 * calls through counting proxies; Lambda invocations and wall time from the local invoker; the bytes
 * the functions log at INFO, the level they run at on AWS. Printed next to a baseline measured in the
 * same run: the same 10 messages written as plain PutItems through the same proxy.
 *
 * Not per conversation, so not in the figure (printed apart): staff sockets' connection minutes,
 * idle queue polling, scheduled sweeps (the scheduler is stopped for the measurement).
 */
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { localDynamoClient } from '#infra/local/dynamo.ts';
import { startLocalStack } from '#infra/local/stack.ts';
import { table } from '#infra/manifest.ts';
import { logger } from '#shared/log.ts';
import { diffServiceTally, emptyServiceTally, managementCounter, meterInvocations, meterLogs, type ServiceTally, sqsCounter } from './support/cost-meters.ts';
import { startCountingProxy } from './support/counting-proxy.ts';
import type { IndexShape } from './support/dynamo-capacity.ts';
import { byShape, type DynamoTally, diffDynamoTally, dynamoCounter, totalCalls, totalWru } from './support/dynamo-counter.ts';
import { type Frame, Socket } from './support/frame-socket.ts';
import { type ConversationUsage, costLines, PRICES, PRICES_TAKEN, totalPerThousand } from './support/prices.ts';

/** Minutes a visitor's socket stays open per conversation (assumed: a chat of this length). */
const VISITOR_SOCKET_MINUTES = 10;
/** Lambda writes START, END and REPORT lines per invocation (≈ 90 + 55 + 185 bytes). */
const PLATFORM_LOG_BYTES = 330;
/** One API Gateway access-log line per HTTP request or WebSocket route call (the stack's log groups; ≈ 200 bytes each). */
const ACCESS_LOG_BYTES = 200;
const STAFF = ['agent@demo.kefu', 'lead@demo.kefu', 'admin@demo.kefu', 'agent@demo.kefu', 'lead@demo.kefu'];
/** Messages of the conversation: 5 visitor, 1 bot, 4 agent. */
const MESSAGES = 10;

const isMessage = (text: string) => (f: Frame) => f.type === 'message' && f.message?.text === text;

/**
 * The GSIs as AWS has them: the projection the manifest states for an index (`projection`:
 * 'ALL' | 'KEYS_ONLY' | 'INCLUDE' with `nonKeyAttributes`, or the list of attributes), else ALL as
 * infra/aws/kefu-stack.ts creates them. The local table always projects ALL; only the price follows this.
 */
export function indexShapes(indexes: readonly object[] = table.indexes): IndexShape[] {
  return indexes.map((def) => {
    const i = def as {
      name: string;
      partitionKey: string;
      sortKey: string;
      projection?: unknown;
      nonKeyAttributes?: readonly string[];
      include?: readonly string[];
    };
    const p = i.projection;
    const listed = Array.isArray(p)
      ? (p as string[])
      : p && typeof p === 'object'
        ? ((p as { include?: string[]; nonKeyAttributes?: string[] }).include ?? (p as { nonKeyAttributes?: string[] }).nonKeyAttributes)
        : (i.nonKeyAttributes ?? i.include);
    const projection: IndexShape['projection'] = p === 'KEYS_ONLY' ? 'KEYS_ONLY' : p !== 'ALL' && listed ? { include: listed } : 'ALL';
    return { name: i.name, partitionKey: i.partitionKey, sortKey: i.sortKey, projection };
  });
}

const describeProjection = (i: IndexShape) => (typeof i.projection === 'string' ? i.projection : `INCLUDE ${i.projection.include.length} attributes`);

interface Measure {
  dynamo: DynamoTally;
  services: ServiceTally;
  httpRequests: number;
  clientFrames: number;
  framesReceived: number;
  seconds: number;
  cpuMs: number;
}

/** Runs the benchmark and returns its figures (also printed). */
export async function runCostBench() {
  logger.setLogLevel('INFO');
  const shape = { partitionKey: table.partitionKey, sortKey: table.sortKey, indexes: indexShapes() };
  let dynamoEndpoint = '';
  const dynamo = dynamoCounter(shape, () => dynamoEndpoint);
  const services = emptyServiceTally();
  const dynamoProxy = await startCountingProxy(dynamo.handler);
  const sqsProxy = await startCountingProxy(sqsCounter(services));
  const managementProxy = await startCountingProxy(managementCounter(services));
  const proxies = { dynamodb: dynamoProxy, sqs: sqsProxy, management: managementProxy };
  const stack = await startLocalStack({
    port: 0,
    memory: true,
    quiet: true,
    smtp: false,
    wechat: false,
    routeThrough: (service, endpoint) => {
      if (service === 'dynamodb') dynamoEndpoint = endpoint;
      proxies[service].forwardTo(endpoint);
      return proxies[service].url;
    },
  });
  stack.scheduler.stop();
  meterInvocations(stack.invoker, services);
  const runtimeLines: string[] = [];
  const api = stack.urls.api.replace(/\/$/, '');
  let httpRequests = 0;
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    httpRequests++;
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const tokens: string[] = [];
  for (const email of STAFF) tokens.push((await call('POST', '/auth/login', { email, password: 'kefu-demo' })).idToken as string);

  let run = 0;
  /** One conversation with `staffCount` staff sockets connected (not counted: they live all shift). */
  async function conversation(staffCount: number): Promise<Measure> {
    const staff = await Promise.all(tokens.slice(0, staffCount).map((t) => Socket.open(`${stack.urls.ws}?staffToken=${t}`)));
    await stack.quiesce();
    const agent = staff[0]!;
    const token = tokens[0]!;
    const tag = `r${++run}${Date.now().toString(36)}`;
    const dBefore = structuredClone(dynamo.tally);
    const sBefore = structuredClone(services);
    const hBefore = httpRequests;
    const started = performance.now();
    const cpu = process.cpuUsage();

    const session = await call('POST', '/widget/session', { shopId: 'demo' });
    const visitor = await Socket.open(`${stack.urls.ws}?token=${session.token}`);
    const vText = (i: number) => `${i === 1 ? 'How long does delivery take?' : 'And the tracking number?'} (${tag} v${i})`;
    const started1 = await call('POST', '/widget/conversations', { clientMessageId: `${tag}-v1`, text: vText(1) }, session.token);
    const id = started1.conversation.conversationId as string;
    const bot = await visitor.wait((f) => f.type === 'message' && f.message?.author?.kind === 'bot', 'bot reply on the visitor socket');
    let last = await agent.wait(isMessage(vText(1)), 'visitor message 1 on the staff socket');
    await call('GET', `/conversations/${id}`, undefined, token);
    await call('GET', `/conversations/${id}/messages`, undefined, token);
    await call('POST', `/conversations/${id}/read`, { messageId: last.message.messageId }, token);
    await call('POST', `/widget/conversations/${id}/read`, { messageId: bot.message.messageId }, session.token);
    for (let i = 1; i <= 4; i++) {
      const reply = `Reply ${i} (${tag})`;
      await call('POST', `/conversations/${id}/messages`, { text: reply }, token);
      const got = await visitor.wait(isMessage(reply), `agent reply ${i} on the visitor socket`);
      await call('POST', `/widget/conversations/${id}/read`, { messageId: got.message.messageId }, session.token);
      await call('POST', `/widget/conversations/${id}/messages`, { clientMessageId: `${tag}-v${i + 1}`, text: vText(i + 1) }, session.token);
      last = await agent.wait(isMessage(vText(i + 1)), `visitor message ${i + 1} on the staff socket`);
      await call('POST', `/conversations/${id}/read`, { messageId: last.message.messageId }, token);
    }
    await call('POST', `/conversations/${id}/status`, { status: 'resolved' }, token);
    await visitor.close();
    await stack.quiesce();
    const seconds = (performance.now() - started) / 1000;
    const measure: Measure = {
      dynamo: diffDynamoTally(dynamo.tally, dBefore),
      services: diffServiceTally(services, sBefore),
      httpRequests: httpRequests - hBefore,
      clientFrames: 0, // the conversation sends no socket frames: reads and replies go over HTTP
      framesReceived: visitor.frames.length + staff.reduce((s, x) => s + x.frames.length, 0),
      seconds,
      cpuMs: (() => {
        const used = process.cpuUsage(cpu);
        return (used.user + used.system) / 1000;
      })(),
    };
    await Promise.all(staff.map((s) => s.close()));
    await stack.quiesce();
    return measure;
  }

  const restore = meterLogs(services, runtimeLines);
  const measured = await (async () => {
    const cold = await conversation(1);
    const one = median(await repeat(() => conversation(1)));
    const five = median(await repeat(() => conversation(5)));
    // Baseline: the 10 messages of a conversation as plain PutItems (same proxy, same arithmetic).
    const direct = DynamoDBDocumentClient.from(localDynamoClient(dynamoProxy.url));
    const before = structuredClone(dynamo.tally);
    for (let i = 0; i < 10; i++)
      await direct.send(
        new PutCommand({
          TableName: table.name,
          Item: {
            pk: 'CONV#cnv_bench',
            sk: `MSG#msg_${String(i).padStart(26, '0')}`,
            messageId: `msg_${String(i).padStart(26, '0')}`,
            conversationId: 'cnv_bench',
            author: { kind: i % 2 ? 'agent' : 'visitor', name: 'Li Na' },
            text: 'And the tracking number? (bench)',
            internal: false,
            createdAt: new Date().toISOString(),
          },
        }),
      );
    const baseline = diffDynamoTally(dynamo.tally, before);
    direct.destroy();
    return { cold, one, five, baseline };
  })().finally(async () => {
    restore();
    await stack.stop();
    await Promise.all(Object.values(proxies).map((p) => p.close()));
  });
  for (const line of runtimeLines) console.error(line);
  return report(measured);
}

/** Runs of each configuration: counts repeat exactly, local wall time (Lambda GB-s) does not. */
const RUNS = Number(process.env.BENCH_COST_RUNS ?? 3);

async function repeat(run: () => Promise<Measure>): Promise<Measure[]> {
  const out: Measure[] = [];
  for (let i = 0; i < RUNS; i++) out.push(await run());
  return out;
}

/** The run with the median Lambda GB-s (the one figure that varies with the machine's load), with the range seen. */
function median(runs: Measure[]): Measure & { gbSecondsRange: [number, number] } {
  const gb = (m: Measure) => Object.values(m.services.invocations).reduce((s, x) => s + x.gbSeconds, 0);
  const sorted = [...runs].sort((a, b) => gb(a) - gb(b));
  return { ...sorted[Math.floor(sorted.length / 2)]!, gbSecondsRange: [gb(sorted[0]!), gb(sorted.at(-1)!)] };
}

function usageOf(m: Measure): ConversationUsage {
  const inv = Object.values(m.services.invocations);
  const invocations = inv.reduce((s, x) => s + x.count, 0);
  const sqsInvocations = inv.filter((x) => x.trigger === 'sqs').reduce((s, x) => s + x.count, 0);
  const appSqs = Object.values(m.services.sqs).reduce((s, x) => s + x, 0);
  const posted = Object.entries(m.services.management)
    .filter(([k]) => /^POST 2/.test(k))
    .reduce((s, [, x]) => s + x, 0);
  const wsRouteCalls = inv.filter((x) => x.trigger === 'ws').reduce((s, x) => s + x.count, 0);
  return {
    wru: totalWru(m.dynamo),
    rru: m.dynamo.rru,
    // Lambda's SQS event source: one ReceiveMessage and one DeleteMessageBatch per batch it invokes with.
    sqsRequests: appSqs + 2 * sqsInvocations,
    lambdaInvocations: invocations,
    lambdaGbSeconds: inv.reduce((s, x) => s + x.gbSeconds, 0),
    wsMessages: posted + m.clientFrames,
    wsConnectionMinutes: VISITOR_SOCKET_MINUTES,
    httpRequests: m.httpRequests,
    logBytes: m.services.logBytes + invocations * PLATFORM_LOG_BYTES + (m.httpRequests + wsRouteCalls) * ACCESS_LOG_BYTES,
  };
}

const f2 = (n: number) => n.toFixed(2);

type Median = Measure & { gbSecondsRange: [number, number] };

function report(r: { cold: Measure; one: Median; five: Median; baseline: DynamoTally }) {
  const out = (s = '') => console.log(s);
  out('\nconversation cost (local runtime, 127.0.0.1; priced at AWS list prices)');
  out('  one conversation: 5 visitor msgs, 1 bot reply, 4 agent replies, 10 read receipts, agent opens it once, resolve');
  out(
    `  GSI projections priced (from the manifest): ${indexShapes()
      .map((i) => `${i.name} ${describeProjection(i)}`)
      .join(', ')}`,
  );
  const figures: Record<string, { usage: ConversationUsage; perThousand: number }> = {};
  for (const [name, m] of [
    ['1 staff socket', r.one],
    ['5 staff sockets', r.five],
  ] as const) {
    const usage = usageOf(m);
    const lines = costLines(usage);
    const total = totalPerThousand(lines);
    figures[name] = { usage, perThousand: total };
    const d = m.dynamo;
    out(`\n  ── ${name} (median of ${RUNS} runs by Lambda GB-s; this run ${m.seconds.toFixed(1)} s)`);
    out(
      `  DynamoDB    ${totalCalls(d)} calls: ${Object.entries(d.calls)
        .sort(([, a], [, b]) => b - a)
        .map(([op, n]) => `${op} ${n}`)
        .join(', ')}`,
    );
    out(
      `              ${f2(totalWru(d))} WRU = table ${f2(d.tableWru)} + ${Object.entries(d.indexWru)
        .map(([i, n]) => `${i} ${f2(n)}`)
        .join(' + ')};  ${f2(d.rru)} RRU;  refused: ${d.conditionFailures} condition, ${d.transactionsCancelled} transaction`,
    );
    out(
      `  SQS         ${
        Object.entries(m.services.sqs)
          .map(([a, n]) => `${a} ${n}`)
          .join(', ') || 'none'
      } (+ 2 per SQS-triggered invocation, modelled)`,
    );
    out(
      `  @connections ${
        Object.entries(m.services.management)
          .map(([k, n]) => `${k}: ${n}`)
          .join(', ') || 'none'
      };  frames received by the test's sockets ${m.framesReceived}`,
    );
    out(
      `  Lambda      ${usage.lambdaInvocations} invocations, ${usage.lambdaGbSeconds.toFixed(3)} GB-s (local wall time; runs ${m.gbSecondsRange.map((x) => x.toFixed(2)).join('–')}): ${Object.entries(
        m.services.invocations,
      )
        .sort(([, a], [, b]) => b.count - a.count)
        .map(([fn, v]) => `${fn} ${v.count}`)
        .join(', ')}`,
    );
    out(`  logs        ${m.services.logBytes} B from functions (${m.services.logLines} lines) + platform/access lines = ${usage.logBytes} B`);
    out(`  HTTP API    ${m.httpRequests} requests`);
    out(
      `  per message (÷ ${MESSAGES}): ${f2(usage.wru / MESSAGES)} WRU, ${f2(usage.rru / MESSAGES)} RRU, ${f2(usage.httpRequests / MESSAGES)} HTTP requests, ${f2(usage.lambdaInvocations / MESSAGES)} invocations, ${f2(usage.wsMessages / MESSAGES)} socket frames`,
    );
    out('  $ per 1,000 conversations:');
    for (const l of lines) out(`    ${l.item.padEnd(22)} ${l.arithmetic}`);
    out(`    ${'total'.padEnd(22)} $${total.toFixed(4)}`);
    out('  partitions written, by shape (per conversation; {…} = one per conversation, contact or agent, constants are shared by all):');
    const top = <T extends { distinct: number }>(rows: Record<string, T>, by: (v: T) => number, n: number) =>
      Object.entries(rows)
        .sort(([, a], [, b]) => by(b) - by(a))
        .slice(0, n);
    for (const [p, v] of top(byShape(d.partitions), (v) => v.wru, 10))
      out(`    ${p.padEnd(44)} ${String(v.writes).padStart(3)} writes ${f2(v.wru).padStart(6)} WRU  (${v.distinct} distinct)`);
    out('  hottest items (an item never splits across partitions; per conversation):');
    for (const [p, v] of top(byShape(d.items), (v) => v.writes, 6))
      out(`    ${p.padEnd(44)} ${String(v.writes).padStart(3)} writes ${f2(v.wru).padStart(6)} WRU`);
    out('  partitions read, by shape:');
    for (const [p, v] of top(byShape(d.readPartitions), (v) => v.reads, 8))
      out(`    ${p.padEnd(44)} ${String(v.reads).padStart(3)} reads  ${f2(v.rru).padStart(6)} RRU  (${v.distinct} distinct)`);
    out(`  process CPU during the conversation: ${m.cpuMs.toFixed(0)} ms (gateway, functions, dynalite and SQS on one event loop)`);
  }
  const coldUsage = usageOf(r.cold);
  out(
    `\n  first conversation on the fresh stack (cold caches, 1 socket): ${f2(coldUsage.wru)} WRU, ${f2(coldUsage.rru)} RRU, $${totalPerThousand(costLines(coldUsage)).toFixed(4)} per 1,000`,
  );
  const baseUsage: ConversationUsage = {
    wru: totalWru(r.baseline),
    rru: 0,
    sqsRequests: 0,
    lambdaInvocations: 0,
    lambdaGbSeconds: 0,
    wsMessages: 0,
    wsConnectionMinutes: 0,
    httpRequests: 0,
    logBytes: 0,
  };
  const basePerThousand = totalPerThousand(costLines(baseUsage));
  out(
    `  baseline (same run): the 10 messages as plain PutItems: ${totalCalls(r.baseline)} calls, ${f2(totalWru(r.baseline))} WRU → $${basePerThousand.toFixed(4)} per 1,000`,
  );
  const one = figures['1 staff socket']!;
  out(
    `  ratio: ${f2(one.usage.wru / Math.max(1, baseUsage.wru))}× the baseline's WRU; $${one.perThousand.toFixed(4)} vs $${basePerThousand.toFixed(4)} per 1,000`,
  );
  out(`\n  prices (us-east-1 list, on-demand, taken ${PRICES_TAKEN}): DynamoDB $0.625/M WRU, $0.125/M RRU; SQS $0.40/M requests;`);
  out('    Lambda $0.20/M requests + $0.0000166667/GB-s; API Gateway WebSocket $1.00/M messages + $0.25/M connection-minutes;');
  out('    HTTP API $1.00/M requests; CloudWatch Logs ingestion $0.50/GB.');
  out(
    `  assumptions: visitor socket open ${VISITOR_SOCKET_MINUTES} min per conversation; ${PLATFORM_LOG_BYTES} B of Lambda platform log lines per invocation; ${ACCESS_LOG_BYTES} B per API access-log line; Lambda GB-s from local wall time.`,
  );
  out(
    `  not per conversation: a staff socket open 8 h = 480 connection-minutes = $${(480 * PRICES.wsConnectionMinute).toFixed(6)} per agent shift; idle SQS long polling ≈ 5 pollers × 3 receives/min per queue.`,
  );
  return { figures, baselinePerThousand: basePerThousand, baselineWru: baseUsage.wru };
}

if (import.meta.main) await runCostBench();
