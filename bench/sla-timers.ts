/**
 * SLA timer benchmark on the local runtime (127.0.0.1 only, bounded in count and time).
 *
 * Precision: tickets are created under a 24x7 policy whose warnings fall a few seconds after
 * creation (5 % of a 1-minute first response = 3 s, of a 2-minute resolution = 6 s); each warning
 * travels as a chained SQS delay through the `sla-timers` queue and the consumer, and is "handled"
 * when the staff socket receives its frame. Lag = frame received − scheduled deadline. Baseline in
 * the same run: plain setTimeout timers for the same delays (what an in-process timer would do).
 * With BENCH_SLA_BREACH=1 it also waits for the 60-second breaches.
 *
 * Cost: DynamoDB operations per routed ticket (POST /tickets: classify, route, SLA clocks, assign)
 * and per fired timer, counted by a middleware on the functions' document client, with capacity
 * units estimated from the item sizes by the on-demand rules (writes 1 WCU/KB, transactional ×2;
 * strongly consistent reads 1 RCU/4 KB, eventually consistent ½). Powertools idempotency records
 * (2 writes per delivery) go through their own client and are listed separately.
 */
import WebSocket from 'ws';
import { startLocalStack } from '#infra/local/stack.ts';
import { db } from '#shared/store/table.ts';

const TICKETS = Number(process.env.BENCH_SLA_TICKETS ?? 30);
const WITH_BREACH = process.env.BENCH_SLA_BREACH === '1';
const TIME_LIMIT_MS = WITH_BREACH ? 120_000 : 40_000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function json(url: string, init: { method?: string; token?: string; body?: unknown } = {}) {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (res.status >= 400) throw new Error(`${init.method ?? 'GET'} ${url} → ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

interface OpStats {
  ops: Record<string, number>;
  rcu: number;
  wcu: number;
}

const KB = 1024;

type Wire = Record<string, unknown>;
const WIRE_TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);
/** DynamoDB's item size rules: attribute name bytes + value bytes (numbers ≈ digits/2 + 1); native or wire format. */
function itemSize(item: Wire | undefined): number {
  let n = 0;
  for (const [name, value] of Object.entries(item ?? {})) n += Buffer.byteLength(name) + valueSize(value);
  return n;
}
function valueSize(v: unknown): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (typeof v === 'number' || typeof v === 'bigint') return Math.ceil(String(v).length / 2) + 1;
  if (Array.isArray(v)) return 3 + v.reduce((s: number, x) => s + 1 + valueSize(x), 0);
  if (v instanceof Set) return [...v].reduce((s: number, x) => s + valueSize(x), 0);
  const o = v as Wire;
  const keys = Object.keys(o);
  if (keys.length === 1 && WIRE_TYPES.has(keys[0]!)) {
    const [type] = keys as [string];
    if (type === 'M') return 3 + itemSize(o.M as Wire);
    if (type === 'N') return valueSize(Number(o.N));
    return valueSize(o[type]);
  }
  return 3 + itemSize(o);
}

/** Counts every command the functions' DynamoDB document client sends, with estimated capacity. */
function instrument(): { stats: OpStats; reset(): OpStats } {
  const stats: OpStats = { ops: {}, rcu: 0, wcu: 0 };
  db().middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName).replace(/Command$/, '');
      stats.ops[name] = (stats.ops[name] ?? 0) + 1;
      const input = args.input as Record<string, unknown>;
      const result = await next(args);
      const output = result.output as Record<string, unknown>;
      const consistent = input.ConsistentRead === true ? 1 : 0.5;
      switch (name) {
        case 'TransactWriteItems':
          for (const entry of (input.TransactItems as Record<string, { Item?: Wire; Key?: Wire }>[]) ?? []) {
            const op = Object.values(entry)[0];
            stats.wcu += 2 * Math.max(1, Math.ceil(itemSize(op?.Item ?? op?.Key) / KB));
          }
          break;
        case 'PutItem':
        case 'UpdateItem':
        case 'DeleteItem':
          stats.wcu += Math.max(1, Math.ceil(itemSize((input.Item ?? input.Key) as Wire) / KB));
          break;
        case 'GetItem':
          stats.rcu += consistent * Math.max(1, Math.ceil(itemSize(output.Item as Wire) / (4 * KB)));
          break;
        case 'Query':
          stats.rcu += consistent * Math.max(1, Math.ceil(((output.Items as Wire[]) ?? []).reduce((n, i) => n + itemSize(i), 0) / (4 * KB)));
          break;
        case 'BatchGetItem':
          for (const items of Object.values((output.Responses as Record<string, Wire[]>) ?? {})) {
            for (const i of items) stats.rcu += 0.5 * Math.max(1, Math.ceil(itemSize(i) / (4 * KB)));
          }
          break;
      }
      return result;
    },
    { step: 'initialize', name: 'kefuBenchCounter' },
  );
  return {
    stats,
    reset() {
      const copy = { ops: { ...stats.ops }, rcu: stats.rcu, wcu: stats.wcu };
      stats.ops = {};
      stats.rcu = 0;
      stats.wcu = 0;
      return copy;
    },
  };
}

const per = (s: OpStats, n: number) => ({
  ops: Object.fromEntries(Object.entries(s.ops).map(([k, v]) => [k, Math.round((v / n) * 100) / 100])),
  total: Math.round((Object.values(s.ops).reduce((a, b) => a + b, 0) / n) * 100) / 100,
  rcu: Math.round((s.rcu / n) * 100) / 100,
  wcu: Math.round((s.wcu / n) * 100) / 100,
});

/** setTimeout lag for timers due after the same delays (the in-process baseline). */
async function setTimeoutBaseline(delaysMs: number[]): Promise<number[]> {
  return Promise.all(
    delaysMs.map(
      (d) =>
        new Promise<number>((resolve) => {
          const due = performance.now() + d;
          setTimeout(() => resolve(performance.now() - due), d);
        }),
    ),
  );
}

/** Runs the benchmark and returns its figures (also printed). */
export async function runSlaTimerBench() {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const stack = await startLocalStack({ port: 0, memory: true, quiet: true });
  const api = stack.urls.api.replace(/\/$/, '');
  const deadline = Date.now() + TIME_LIMIT_MS;
  const counter = instrument();
  try {
    const login = async (email: string) => (await json(`${api}/auth/login`, { method: 'POST', body: { email, password: 'kefu-demo' } })).idToken as string;
    const [agent, lead] = await Promise.all([login('agent@demo.kefu'), login('lead@demo.kefu')]);
    await json(`${api}/ticket-config/sla-policies/default`, {
      method: 'PUT',
      token: lead,
      body: {
        name: { 'zh-CN': '基准测试', en: 'Benchmark' },
        calendarId: '24x7',
        targets: {
          low: { first_response: 1, resolution: 2 },
          normal: { first_response: 1, resolution: 2 },
          high: { first_response: 1, resolution: 2 },
          urgent: { first_response: 1, resolution: 2 },
        },
        warnAtPercent: 5,
        breachActions: ['notify'],
      },
    });
    const handled = new Map<string, number>();
    const socket = await new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`${stack.urls.ws}?staffToken=${agent}`);
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { type?: string; kind?: string; ticketId?: string; metric?: string };
        if (frame.type === 'sla') handled.set(`${frame.ticketId}#${frame.metric}#${frame.kind}`, Date.now());
      });
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });

    counter.reset();
    const due = new Map<string, number>();
    const createMs: number[] = [];
    for (let i = 0; i < TICKETS; i++) {
      const started = performance.now();
      const created = (await json(`${api}/tickets`, {
        method: 'POST',
        token: agent,
        body: { channel: 'api', subject: `Bench ${i}`, text: i % 2 ? '我的快递还没到' : 'Where is my refund?', requester: { name: `Bench ${i}` } },
      })) as { ticket: { ticketId: string }; clocks: { metric: string; warnAt?: string; dueAt?: string }[] };
      createMs.push(performance.now() - started);
      for (const c of created.clocks) {
        if (c.warnAt) due.set(`${created.ticket.ticketId}#${c.metric}#warn`, Date.parse(c.warnAt));
        if (WITH_BREACH && c.metric === 'first_response' && c.dueAt) due.set(`${created.ticket.ticketId}#${c.metric}#breach`, Date.parse(c.dueAt));
      }
    }
    const createStats = counter.reset();

    while (Date.now() < deadline && [...due.keys()].some((k) => !handled.has(k))) await new Promise((r) => setTimeout(r, 100));
    const fireStats = counter.reset();
    const lags = [...due].filter(([k]) => handled.has(k)).map(([k, at]) => handled.get(k)! - at);
    const early = lags.filter((l) => l < 0).length;
    const delays = [...due.values()].map((at) => Math.max(0, at - Date.now() + 5000));
    const baseline = await setTimeoutBaseline(delays.map((d) => Math.min(d, 6000)));
    socket.close();

    const figures = {
      tickets: TICKETS,
      timers: due.size,
      handled: lags.length,
      missed: due.size - lags.length,
      early,
      lagP50: percentile(lags, 50),
      lagP99: percentile(lags, 99),
      lagMax: Math.max(...lags),
      baselineSetTimeoutP50: percentile(baseline, 50),
      baselineSetTimeoutP99: percentile(baseline, 99),
      createP50: percentile(createMs, 50),
      createP99: percentile(createMs, 99),
      perTicket: per(createStats, TICKETS),
      perTimer: per(fireStats, Math.max(1, lags.length)),
    };
    console.log('\nSLA timers (local runtime, 127.0.0.1)');
    console.log(
      `  ${figures.timers} deadlines 3–6 s ahead${WITH_BREACH ? ' + 60 s breaches' : ''} on ${TICKETS} tickets; handled ${figures.handled}, missed ${figures.missed}, early ${figures.early}`,
    );
    console.log(
      `  deadline → handled (staff frame)  p50 ${figures.lagP50.toFixed(0)} ms   p99 ${figures.lagP99.toFixed(0)} ms   max ${figures.lagMax.toFixed(0)} ms`,
    );
    console.log(`  baseline setTimeout lag           p50 ${figures.baselineSetTimeoutP50.toFixed(1)} ms   p99 ${figures.baselineSetTimeoutP99.toFixed(1)} ms`);
    console.log(`  POST /tickets                     p50 ${figures.createP50.toFixed(0)} ms   p99 ${figures.createP99.toFixed(0)} ms`);
    console.log(
      `  DynamoDB per routed ticket        ${figures.perTicket.total} ops ${JSON.stringify(figures.perTicket.ops)} ≈ ${figures.perTicket.rcu} RCU + ${figures.perTicket.wcu} WCU`,
    );
    console.log(
      `  DynamoDB per fired timer          ${figures.perTimer.total} ops ${JSON.stringify(figures.perTimer.ops)} ≈ ${figures.perTimer.rcu} RCU + ${figures.perTimer.wcu} WCU (+2 idempotency writes per delivery)`,
    );
    return figures;
  } finally {
    await stack.stop();
  }
}

if (import.meta.main) await runSlaTimerBench();
