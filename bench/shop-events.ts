/**
 * Shop-event ingestion benchmark on the local runtime (127.0.0.1 only, bounded in count and time):
 * signed `order.paid` events go through HTTP → SQS → consumer → DynamoDB (one BatchGet, the
 * member's partition and orders read in parallel, then order, RFM, points ledger, tier, churn
 * score and dispatch watch in one transaction; shared/members/order-event.ts; goal ≤ 6 calls per
 * event). Prints events/s and DynamoDB operations and capacity units per event, next to a baseline
 * measured in the same run: one plain PutItem per event straight to the same local DynamoDB.
 *
 * Capacity: every DynamoDB call of the run passes through a counting proxy that asks for
 * ReturnConsumedCapacity=TOTAL. dynalite reports it for single-item operations and queries (table
 * only, no GSI write cost); it does not implement TransactWriteItems (the local runtime emulates
 * it), so transaction capacity is computed with AWS's rule: 2 WCU per item per started KB (Put:
 * the item's size; Update/Delete/ConditionCheck: counted as ≤ 1 KB).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { seedDemoData } from '#infra/local/seed.ts';
import { startLocalStack } from '#infra/local/stack.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { logger } from '#shared/log.ts';
import { keys } from '#shared/store/keys.ts';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 40);
const ORDERS_EACH = Number(process.env.BENCH_ORDERS ?? 5);
const IN_FLIGHT = 16;
const TIME_LIMIT_MS = 120_000;

interface Tally {
  ops: Record<string, number>;
  reported: number;
  estimated: number;
}

function emptyTally(): Tally {
  return { ops: {}, reported: 0, estimated: 0 };
}

function diff(after: Tally, before: Tally): Tally {
  const ops: Record<string, number> = {};
  for (const [op, n] of Object.entries(after.ops)) if (n - (before.ops[op] ?? 0) > 0) ops[op] = n - (before.ops[op] ?? 0);
  return { ops, reported: after.reported - before.reported, estimated: after.estimated - before.estimated };
}

/** Approximate DynamoDB item size: attribute names plus values (AWS's sizing rule, roughly). */
function itemBytes(item: Record<string, unknown>): number {
  return Buffer.byteLength(JSON.stringify(item));
}

/** A counting proxy in front of the local DynamoDB; returns its URL and the running tally. */
async function capacityProxy() {
  const tally = emptyTally();
  let target = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const op =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? 'unknown';
      tally.ops[op] = (tally.ops[op] ?? 0) + 1;
      let body = Buffer.concat(chunks).toString('utf8');
      const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      if (op === 'TransactWriteItems') {
        for (const entry of (input.TransactItems ?? []) as Record<string, { Item?: Record<string, unknown> }>[]) {
          const [kind, params] = Object.entries(entry)[0] ?? [];
          tally.estimated += 2 * (kind === 'Put' && params?.Item ? Math.max(1, Math.ceil(itemBytes(params.Item) / 1024)) : 1);
        }
      } else if (op !== 'DescribeTable' && op !== 'CreateTable') {
        input.ReturnConsumedCapacity = 'TOTAL';
        body = JSON.stringify(input);
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
      const upstream = await fetch(target, { method: 'POST', headers, body });
      const text = await upstream.text();
      try {
        const out = JSON.parse(text) as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] };
        const consumed = out.ConsumedCapacity;
        const units = Array.isArray(consumed) ? consumed.reduce((s, c) => s + (c.CapacityUnits ?? 0), 0) : (consumed?.CapacityUnits ?? 0);
        tally.reported += units;
        if (op !== 'TransactWriteItems') tally.estimated += units;
      } catch {
        /* a non-JSON error body: nothing to count */
      }
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/x-amz-json-1.0' });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    tally,
    forwardTo: (endpoint: string) => {
      target = endpoint;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      for (let i = next++; i < items.length; i = next++) await fn(items[i] as T);
    }),
  );
}

/** Runs the benchmark and returns its figures (also printed). */
export async function runShopEventsBench() {
  logger.setLogLevel('SILENT');
  const proxy = await capacityProxy();
  const stack = await startLocalStack({ port: 0, memory: true, quiet: true, seed: false });
  proxy.forwardTo(stack.dynamoEndpoint);
  process.env.AWS_ENDPOINT_URL_DYNAMODB = proxy.url;
  await seedDemoData(stack.db);
  const { db } = await import('#shared/store/table.ts');
  const api = stack.urls.api.replace(/\/$/, '');
  const run = `b${Date.now().toString(36)}`;
  try {
    const shop = (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: keys.shop('demo') }))).Item!;
    const events = Array.from({ length: CUSTOMERS * ORDERS_EACH }, (_, i) => {
      const c = i % CUSTOMERS;
      const n = Math.floor(i / CUSTOMERS);
      return {
        eventId: `${run}-e${i}`,
        type: 'order.paid',
        occurredAt: new Date(Date.UTC(2026, 0, 1 + n, 10, 0, 0)).toISOString(),
        data: { orderId: `${run}-o${i}`, customerId: `${run}-c${c}`, amount: 20 + ((i * 37) % 180) },
      };
    });

    const before = structuredClone(proxy.tally);
    const started = performance.now();
    await pool(events, IN_FLIGHT, async (event) => {
      const body = JSON.stringify(event);
      const ts = String(Math.floor(Date.now() / 1000));
      const res = await fetch(`${api}/shop/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-kefu-shop': 'demo',
          'x-kefu-timestamp': ts,
          'x-kefu-signature': hmacHex(shop.webhookSecret as string, `${ts}.${body}`),
        },
        body,
      });
      if (res.status !== 202) throw new Error(`POST /shop/events → ${res.status} ${await res.text()}`);
    });
    const acceptedAt = performance.now();
    const deadline = Date.now() + TIME_LIMIT_MS;
    let applied = 0;
    while (Date.now() < deadline) {
      applied = 0;
      for (let c = 0; c < CUSTOMERS; c++) {
        const link = (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: keys.contactByShopUser('demo', `${run}-c${c}`) }))).Item;
        const contact = link && (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: keys.contact(String(link.contactId)) }))).Item;
        applied += Number(contact?.orderCount ?? 0);
      }
      if (applied === events.length) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (performance.now() - started) / 1000;
    const pipeline = diff(proxy.tally, before);

    const baseBefore = structuredClone(proxy.tally);
    const baseStarted = performance.now();
    await pool(events, IN_FLIGHT, async (event) => {
      await db().send(new PutCommand({ TableName: 'Kefu', Item: { pk: `BENCH#${event.eventId}`, sk: 'EVENT', ...event } }));
    });
    const baseSeconds = (performance.now() - baseStarted) / 1000;
    const baseline = diff(proxy.tally, baseBefore);

    const n = events.length;
    const opsPerEvent = (t: Tally) => Object.values(t.ops).reduce((s, x) => s + x, 0) / n;
    const figures = {
      events: n,
      applied,
      eventsPerSecond: applied / seconds,
      acceptSeconds: (acceptedAt - started) / 1000,
      opsPerEvent: opsPerEvent(pipeline),
      opsByType: Object.fromEntries(Object.entries(pipeline.ops).map(([op, x]) => [op, x / n])),
      capacityUnitsPerEvent: pipeline.estimated / n,
      reportedByDynalitePerEvent: pipeline.reported / n,
      baselineEventsPerSecond: n / baseSeconds,
      baselineOpsPerEvent: opsPerEvent(baseline),
      baselineCapacityUnitsPerEvent: baseline.estimated / n,
    };
    console.log('\nshop events (local runtime, 127.0.0.1; dynalite + emulated transactions)');
    console.log(
      `  ${CUSTOMERS} customers × ${ORDERS_EACH} order.paid = ${n} events, applied ${applied} in ${seconds.toFixed(1)} s (accepted over HTTP in ${figures.acceptSeconds.toFixed(1)} s)`,
    );
    console.log(
      `  pipeline   ${figures.eventsPerSecond.toFixed(1)} events/s   ${figures.opsPerEvent.toFixed(2)} DynamoDB calls/event   ${figures.capacityUnitsPerEvent.toFixed(2)} capacity units/event`,
    );
    console.log(
      `             calls/event by type: ${Object.entries(figures.opsByType)
        .map(([op, x]) => `${op} ${x.toFixed(2)}`)
        .join(', ')}`,
    );
    console.log(`             of which reported by dynalite (non-transactional calls): ${figures.reportedByDynalitePerEvent.toFixed(2)} units/event`);
    console.log(
      `  baseline   ${figures.baselineEventsPerSecond.toFixed(1)} events/s   ${figures.baselineOpsPerEvent.toFixed(2)} DynamoDB calls/event   ${figures.baselineCapacityUnitsPerEvent.toFixed(2)} capacity units/event (one PutItem)`,
    );
    console.log(
      `  ratio      ${(figures.baselineEventsPerSecond / figures.eventsPerSecond).toFixed(1)}× slower, ${(figures.capacityUnitsPerEvent / Math.max(0.001, figures.baselineCapacityUnitsPerEvent)).toFixed(1)}× the capacity of the baseline`,
    );
    return figures;
  } finally {
    await stack.stop();
    await proxy.close();
  }
}

if (import.meta.main) await runShopEventsBench();
