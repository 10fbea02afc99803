/**
 * The DynamoDB side of the counting proxy: counts every call by operation and prices it in WRU/RRU
 * with the rules of dynamo-capacity.ts, GSI writes included.
 *
 * Writes: the application does not ask for ReturnConsumedCapacity (and dynalite would not report
 * index writes anyway), so the proxy reads each written item straight from dynalite before and after
 * the write (a consistent GetItem that does not pass through the proxy and is not counted) and prices
 * the change. Writes pass the proxy one at a time so no other write lands between those two reads.
 * Reads: GetItem, BatchGetItem, Query and Scan are sent with ReturnConsumedCapacity=TOTAL (removed
 * from the answer again when the caller did not ask) and dynalite's figure is taken: it sizes the
 * whole item (not the projection) and sums every evaluated item of a Query, as AWS does; GSI
 * queries are sized on the full item (local indexes project ALL). TransactGetItems, which the local
 * runtime emulates, is priced here: 2 × ceil(size / 4 KB) per item.
 */
import { dynaliteCall, TARGET_PREFIX } from '#infra/local/dynamo-transactions.ts';
import type { ProxiedRequest, ProxiedResponse, ProxyHandler } from './counting-proxy.ts';
import { itemSize, readUnits, refusedWriteCost, type TableShape, type WireItem, type WriteCost, writeCost } from './dynamo-capacity.ts';

export interface PartitionTally {
  writes: number;
  wru: number;
}

export interface DynamoTally {
  calls: Record<string, number>;
  /** WRU on the table, and per index name. */
  tableWru: number;
  indexWru: Record<string, number>;
  rru: number;
  /** Refused writes: condition failed (single item) and cancelled transactions. */
  conditionFailures: number;
  transactionsCancelled: number;
  /** Writes and WRU per partition: `table CONV#…`, `gsi2 CONVS#open`, … */
  partitions: Record<string, PartitionTally>;
  /** Writes and WRU per table item `pk | sk` (a partition's hottest item). */
  items: Record<string, PartitionTally>;
  /** Reads (calls) and RRU per partition read: `table CONV#…`, `gsi1 TOPIC#staff`, … */
  readPartitions: Record<string, { reads: number; rru: number }>;
}

export function emptyDynamoTally(): DynamoTally {
  return { calls: {}, tableWru: 0, indexWru: {}, rru: 0, conditionFailures: 0, transactionsCancelled: 0, partitions: {}, items: {}, readPartitions: {} };
}

/** after − before, field by field (counts only grow while a bench runs). */
export function diffDynamoTally(after: DynamoTally, before: DynamoTally): DynamoTally {
  const sub = (a: Record<string, number>, b: Record<string, number>) =>
    Object.fromEntries(Object.entries(a).flatMap(([k, v]) => (v - (b[k] ?? 0) ? [[k, v - (b[k] ?? 0)]] : [])));
  const subP = (a: Record<string, PartitionTally>, b: Record<string, PartitionTally>) =>
    Object.fromEntries(
      Object.entries(a).flatMap(([k, v]) => {
        const writes = v.writes - (b[k]?.writes ?? 0);
        return writes ? [[k, { writes, wru: v.wru - (b[k]?.wru ?? 0) }]] : [];
      }),
    );
  return {
    calls: sub(after.calls, before.calls),
    tableWru: after.tableWru - before.tableWru,
    indexWru: sub(after.indexWru, before.indexWru),
    rru: after.rru - before.rru,
    conditionFailures: after.conditionFailures - before.conditionFailures,
    transactionsCancelled: after.transactionsCancelled - before.transactionsCancelled,
    partitions: subP(after.partitions, before.partitions),
    items: subP(after.items, before.items),
    readPartitions: Object.fromEntries(
      Object.entries(after.readPartitions).flatMap(([k, v]) => {
        const reads = v.reads - (before.readPartitions[k]?.reads ?? 0);
        return reads ? [[k, { reads, rru: v.rru - (before.readPartitions[k]?.rru ?? 0) }]] : [];
      }),
    ),
  };
}

/**
 * A partition or item name with its ids replaced by their kind, so that the partitions one
 * conversation writes can be told from the ones every conversation shares: `CONV#cnv_01…` →
 * `CONV#{cnv}`, a staff sub → `{sub}`, `2026-12-03` → `{day}`; constant names (`CONVS#open`) stay.
 */
export function partitionShape(name: string): string {
  return name.replace(/[^#| ]+/g, (seg) => {
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(seg)) return '{sub}';
    if (/^\d{4}-\d{2}-\d{2}/.test(seg)) return '{day}';
    const prefixed = /^([a-z]+)_[0-9a-z]{10,}$/.exec(seg);
    if (prefixed) return `{${prefixed[1]}}`;
    if (/\d{6,}/.test(seg)) return '{n}';
    return seg;
  });
}

/** Sums a per-partition tally by partition shape (see partitionShape), with how many distinct partitions each shape had. */
export function byShape<T extends { [K in keyof T]: number }>(entries: Record<string, T>): Record<string, T & { distinct: number }> {
  const out: Record<string, T & { distinct: number }> = {};
  for (const [name, v] of Object.entries(entries)) {
    const shape = partitionShape(name);
    const acc = (out[shape] ??= { ...(Object.fromEntries(Object.keys(v).map((k) => [k, 0])) as T), distinct: 0 }) as Record<string, number>;
    for (const [k, x] of Object.entries(v) as [string, number][]) acc[k] = (acc[k] ?? 0) + x;
    acc.distinct = (acc.distinct ?? 0) + 1;
  }
  return out;
}

export const totalWru = (t: DynamoTally) => t.tableWru + Object.values(t.indexWru).reduce((s, x) => s + x, 0);
export const totalCalls = (t: DynamoTally) => Object.values(t.calls).reduce((s, x) => s + x, 0);

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

interface PlannedWrite {
  table: string;
  key: WireItem;
  /** The item a Put stores (the after image without reading it back). */
  put?: WireItem;
  delete?: boolean;
  conditionOnly?: boolean;
}

/** Counts DynamoDB calls through the proxy; `endpoint()` is dynalite's own URL (for the uncounted image reads). */
export function dynamoCounter(shape: TableShape, endpoint: () => string): { handler: ProxyHandler; tally: DynamoTally } {
  const tally = emptyDynamoTally();
  let writeQueue: Promise<unknown> = Promise.resolve();

  async function direct(operation: string, body: unknown): Promise<Record<string, unknown>> {
    return (await dynaliteCall(endpoint(), operation, body)).data;
  }
  const image = async (table: string, key: WireItem) =>
    (await direct('GetItem', { TableName: table, Key: key, ConsistentRead: true })).Item as WireItem | undefined;
  const keyOf = (item: WireItem): WireItem => ({ [shape.partitionKey]: item[shape.partitionKey]!, [shape.sortKey]: item[shape.sortKey]! });
  const str = (v: unknown) => String(Object.values((v ?? {}) as Record<string, unknown>)[0] ?? '');

  function record(cost: WriteCost, key: WireItem) {
    tally.tableWru += cost.table;
    const add = (bucket: Record<string, PartitionTally>, name: string, wru: number, writes = 1) => {
      const p = (bucket[name] ??= { writes: 0, wru: 0 });
      p.writes += writes;
      p.wru += wru;
    };
    add(tally.partitions, `table ${str(key[shape.partitionKey])}`, cost.table);
    add(tally.items, `${str(key[shape.partitionKey])} | ${str(key[shape.sortKey])}`, cost.table);
    for (const w of cost.indexes) {
      tally.indexWru[w.index] = (tally.indexWru[w.index] ?? 0) + w.units;
      for (const p of w.partitions) add(tally.partitions, `${w.index} ${p}`, w.units / w.partitions.length);
    }
  }

  function plan(op: string, input: Record<string, any>): { writes: PlannedWrite[]; transactional: boolean } {
    const table = String(input.TableName ?? '');
    if (op === 'PutItem') return { writes: [{ table, key: keyOf(input.Item), put: input.Item }], transactional: false };
    if (op === 'UpdateItem') return { writes: [{ table, key: input.Key }], transactional: false };
    if (op === 'DeleteItem') return { writes: [{ table, key: input.Key, delete: true }], transactional: false };
    if (op === 'BatchWriteItem') {
      const writes: PlannedWrite[] = [];
      for (const [t, requests] of Object.entries(input.RequestItems ?? {}) as [string, any[]][])
        for (const r of requests)
          writes.push(
            r.PutRequest ? { table: t, key: keyOf(r.PutRequest.Item), put: r.PutRequest.Item } : { table: t, key: r.DeleteRequest.Key, delete: true },
          );
      return { writes, transactional: false };
    }
    const writes: PlannedWrite[] = [];
    for (const entry of (input.TransactItems ?? []) as Record<string, any>[]) {
      const [kind, p] = Object.entries(entry)[0] ?? [];
      if (kind === 'Put') writes.push({ table: p.TableName, key: keyOf(p.Item), put: p.Item });
      else if (kind === 'Update') writes.push({ table: p.TableName, key: p.Key });
      else if (kind === 'Delete') writes.push({ table: p.TableName, key: p.Key, delete: true });
      else if (kind === 'ConditionCheck') writes.push({ table: p.TableName, key: p.Key, conditionOnly: true });
    }
    return { writes, transactional: true };
  }

  async function handleWrite(op: string, req: ProxiedRequest, forward: () => Promise<ProxiedResponse>): Promise<ProxiedResponse> {
    const { writes, transactional } = plan(op, JSON.parse(req.body || '{}'));
    const run = async () => {
      const before = await Promise.all(writes.map((w) => image(w.table, w.key)));
      const res = await forward();
      if (res.status === 200) {
        const unprocessed = op === 'BatchWriteItem' ? (JSON.parse(res.body).UnprocessedItems ?? {}) : {};
        if (Object.keys(unprocessed).length) throw new Error('counting proxy: BatchWriteItem left unprocessed items (not priced)');
        for (const [i, w] of writes.entries()) {
          const after = w.delete ? undefined : w.conditionOnly ? before[i] : (w.put ?? (await image(w.table, w.key)));
          const cost = w.conditionOnly ? refusedWriteCost(before[i], { transactional }) : writeCost(shape, before[i], after, { transactional });
          record(cost, w.key);
        }
      } else if (/ConditionalCheckFailed|TransactionCanceled/.test(res.body)) {
        if (transactional) tally.transactionsCancelled++;
        else tally.conditionFailures++;
        for (const [i, w] of writes.entries()) record(refusedWriteCost(before[i], { transactional }), w.key);
      }
      return res;
    };
    const result = writeQueue.then(run, run);
    writeQueue = result.catch(() => undefined);
    return result;
  }

  /** The partitions a read names: a Query's partition key value, a GetItem's or BatchGetItem's keys. */
  function readTargets(op: string, input: Record<string, any>): string[] {
    if (op === 'GetItem') return [`table ${str(input.Key?.[shape.partitionKey])}`];
    if (op === 'BatchGetItem')
      return Object.values((input.RequestItems ?? {}) as Record<string, { Keys: WireItem[] }>).flatMap((r) =>
        r.Keys.map((k) => `table ${str(k[shape.partitionKey])}`),
      );
    if (op === 'Query') {
      const index = String(input.IndexName ?? 'table');
      const pkName = index === 'table' ? shape.partitionKey : (shape.indexes.find((i) => i.name === index)?.partitionKey ?? '');
      for (const m of String(input.KeyConditionExpression ?? '').matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
        const name = m[1]!.startsWith('#') ? input.ExpressionAttributeNames?.[m[1]!] : m[1];
        if (name === pkName) return [`${index} ${str(input.ExpressionAttributeValues?.[m[2]!])}`];
      }
      return [`${index} ?`];
    }
    return [`${String(input.IndexName ?? 'table')} (scan)`];
  }

  async function handleRead(op: string, req: ProxiedRequest, forward: (body?: string) => Promise<ProxiedResponse>): Promise<ProxiedResponse> {
    const input = JSON.parse(req.body || '{}') as Record<string, unknown>;
    const asked = input.ReturnConsumedCapacity;
    const res = await forward(JSON.stringify({ ...input, ReturnConsumedCapacity: 'TOTAL' }));
    if (res.status !== 200) return res;
    const out = JSON.parse(res.body) as Record<string, unknown>;
    const consumed = out.ConsumedCapacity as { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;
    const units = Array.isArray(consumed) ? consumed.reduce((s, c) => s + (c.CapacityUnits ?? 0), 0) : (consumed?.CapacityUnits ?? 0);
    tally.rru += units;
    const targets = readTargets(op, input);
    for (const t of targets) {
      const p = (tally.readPartitions[t] ??= { reads: 0, rru: 0 });
      p.reads++;
      p.rru += units / targets.length;
    }
    if (asked === undefined || asked === 'NONE') {
      delete out.ConsumedCapacity;
      return { ...res, body: JSON.stringify(out) };
    }
    return res;
  }

  const handler: ProxyHandler = async (req, forward) => {
    const op = (req.headers['x-amz-target'] ?? '').replace(TARGET_PREFIX, '') || 'unknown';
    tally.calls[op] = (tally.calls[op] ?? 0) + 1;
    if (WRITES.has(op)) return handleWrite(op, req, forward);
    if (READS.has(op)) return handleRead(op, req, forward);
    if (op === 'TransactGetItems') {
      const items = (JSON.parse(req.body || '{}').TransactItems ?? []) as { Get: { TableName: string; Key: WireItem } }[];
      const found = await Promise.all(items.map(({ Get }) => image(Get.TableName, Get.Key)));
      for (const item of found) tally.rru += readUnits(item ? itemSize(item) : 0, 'transactional');
    }
    return forward();
  };
  return { handler, tally };
}
