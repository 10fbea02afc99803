import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * dynalite implements neither TransactWriteItems nor TransactGetItems. This module answers both on
 * the dynalite port by replaying the operations against dynalite itself: transactions run one at a
 * time, each write carries its own condition, and a failed one rolls the earlier writes back to
 * their snapshots before answering TransactionCanceledException with per-item CancellationReasons
 * (the shape the SDK turns into `error.CancellationReasons`). Isolation: while a transaction
 * applies its writes, every other request waits (and a transaction waits for the requests already
 * running), so no reader sees a write that a failing transaction then rolls back — as DynamoDB
 * guarantees. ClientRequestToken idempotency is not emulated.
 */

type AttributeMap = Record<string, unknown>;

interface WireError {
  status: number;
  type: string;
  message: string;
}

interface Op {
  kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  table: string;
  key: AttributeMap;
  params: Record<string, unknown>;
}

export const TARGET_PREFIX = 'DynamoDB_20120810.';
/** Marks the emulator's own calls to dynalite: they run inside the transaction's exclusive section. */
const INTERNAL = 'x-kefu-transaction';
const AUTH = 'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=local';

/**
 * One DynamoDB JSON-protocol call straight to a local dynalite (no SDK: dynalite checks no signature,
 * and the callers are proxies in front of it that must not go through themselves).
 */
export async function dynaliteCall(
  endpoint: string,
  operation: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; ok: boolean; data: Record<string, unknown> }> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': TARGET_PREFIX + operation,
      'x-amz-date': '20200101T000000Z',
      authorization: AUTH,
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, ok: res.ok, data: (await res.json()) as Record<string, unknown> };
}

/** Adds TransactWriteItems / TransactGetItems to a dynalite server; `endpoint` is its own URL. */
export function addTransactions(server: Server, endpoint: () => string): void {
  const original = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  let queue: Promise<unknown> = Promise.resolve();
  const keySchemas = new Map<string, string[]>();

  async function call(operation: string, body: unknown): Promise<{ ok: true; data: Record<string, unknown> } | { ok: false; error: WireError }> {
    const { ok, status, data } = await dynaliteCall(endpoint(), operation, body, { [INTERNAL]: '1' });
    if (ok) return { ok: true, data };
    const type =
      String(data.__type ?? 'InternalServerError')
        .split('#')
        .pop() ?? 'InternalServerError';
    return { ok: false, error: { status, type, message: String(data.message ?? data.Message ?? type) } };
  }

  async function keyNames(table: string): Promise<string[]> {
    const cached = keySchemas.get(table);
    if (cached) return cached;
    const described = await call('DescribeTable', { TableName: table });
    if (!described.ok) throw described.error;
    const schema = ((described.data.Table as { KeySchema?: { AttributeName: string }[] } | undefined)?.KeySchema ?? []).map((k) => k.AttributeName);
    keySchemas.set(table, schema);
    return schema;
  }

  const pick = (params: Record<string, unknown>, names: string[]) =>
    Object.fromEntries(names.filter((n) => params[n] !== undefined).map((n) => [n, params[n]]));
  const CONDITION = ['ConditionExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues'];

  async function toOps(items: Record<string, Record<string, unknown>>[]): Promise<Op[]> {
    const ops: Op[] = [];
    for (const entry of items) {
      const [kind, params] = Object.entries(entry)[0] ?? [];
      if (!kind || !params || !['Put', 'Update', 'Delete', 'ConditionCheck'].includes(kind)) {
        throw { status: 400, type: 'ValidationException', message: 'Each TransactItem must have exactly one of Put, Update, Delete, ConditionCheck' };
      }
      const table = String(params.TableName);
      let key = params.Key as AttributeMap | undefined;
      if (kind === 'Put') {
        const item = (params.Item ?? {}) as AttributeMap;
        key = Object.fromEntries((await keyNames(table)).map((n) => [n, item[n]]));
      }
      ops.push({ kind: kind as Op['kind'], table, key: key ?? {}, params });
    }
    const seen = new Set<string>();
    for (const op of ops) {
      const id = `${op.table}|${JSON.stringify(Object.entries(op.key).sort(([a], [b]) => a.localeCompare(b)))}`;
      if (seen.has(id)) throw { status: 400, type: 'ValidationException', message: 'Transaction request cannot include multiple operations on one item' };
      seen.add(id);
    }
    return ops;
  }

  async function snapshot(op: Op): Promise<AttributeMap | undefined> {
    const got = await call('GetItem', { TableName: op.table, Key: op.key, ConsistentRead: true });
    if (!got.ok) throw got.error;
    return got.data.Item as AttributeMap | undefined;
  }

  /** Checks an op's condition without changing the item (re-put of the same item, or delete of an absent one). */
  function checkCondition(op: Op, before: AttributeMap | undefined) {
    const condition = pick(op.params, CONDITION);
    return before
      ? call('PutItem', { TableName: op.table, Item: before, ...condition })
      : call('DeleteItem', { TableName: op.table, Key: op.key, ...condition });
  }

  function apply(op: Op, before: AttributeMap | undefined) {
    const p = op.params;
    switch (op.kind) {
      case 'Put':
        return call('PutItem', { TableName: op.table, Item: p.Item, ...pick(p, CONDITION) });
      case 'Update':
        return call('UpdateItem', { TableName: op.table, Key: op.key, UpdateExpression: p.UpdateExpression, ...pick(p, CONDITION) });
      case 'Delete':
        return call('DeleteItem', { TableName: op.table, Key: op.key, ...pick(p, CONDITION) });
      case 'ConditionCheck':
        return checkCondition(op, before);
    }
  }

  async function restore(op: Op, before: AttributeMap | undefined): Promise<void> {
    if (op.kind === 'ConditionCheck') return;
    await (before ? call('PutItem', { TableName: op.table, Item: before }) : call('DeleteItem', { TableName: op.table, Key: op.key }));
  }

  async function transactWrite(body: Record<string, unknown>): Promise<{ status: number; data: unknown }> {
    const items = (body.TransactItems ?? []) as Record<string, Record<string, unknown>>[];
    if (!Array.isArray(items) || items.length === 0 || items.length > 100) {
      throw { status: 400, type: 'ValidationException', message: 'TransactItems must have between 1 and 100 items' };
    }
    const ops = await toOps(items);
    const befores = await Promise.all(ops.map(snapshot));
    const reasons: Record<string, unknown>[] = ops.map(() => ({ Code: 'None' }));
    let failedAt = -1;
    let failure: WireError | undefined;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i] as Op;
      const result = await apply(op, befores[i]);
      if (result.ok) continue;
      failedAt = i;
      failure = result.error;
      break;
    }
    if (failedAt === -1) return { status: 200, data: {} };
    for (let i = failedAt - 1; i >= 0; i--) await restore(ops[i] as Op, befores[i]);
    if (failure?.type !== 'ConditionalCheckFailedException') throw failure;
    const reason = (i: number) => {
      const op = ops[i] as Op;
      const withItem = op.params.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && befores[i];
      return { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(withItem ? { Item: befores[i] } : {}) };
    };
    reasons[failedAt] = reason(failedAt);
    for (let i = failedAt + 1; i < ops.length; i++) {
      const op = ops[i] as Op;
      if (op.params.ConditionExpression === undefined) continue;
      const check = await checkCondition(op, befores[i]);
      if (!check.ok && check.error.type === 'ConditionalCheckFailedException') reasons[i] = reason(i);
    }
    const codes = reasons.map((r) => String(r.Code)).join(', ');
    return {
      status: 400,
      data: {
        __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
        message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
        CancellationReasons: reasons,
      },
    };
  }

  async function transactGet(body: Record<string, unknown>): Promise<{ status: number; data: unknown }> {
    const items = (body.TransactItems ?? []) as { Get?: Record<string, unknown> }[];
    if (!Array.isArray(items) || items.length === 0 || items.length > 100) {
      throw { status: 400, type: 'ValidationException', message: 'TransactItems must have between 1 and 100 items' };
    }
    const responses = [];
    for (const { Get } of items) {
      if (!Get) throw { status: 400, type: 'ValidationException', message: 'Each TransactItem must have Get' };
      const got = await call('GetItem', {
        ...pick(Get, ['TableName', 'Key', 'ProjectionExpression', 'ExpressionAttributeNames']),
        ConsistentRead: true,
      });
      if (!got.ok) throw got.error;
      responses.push(got.data.Item ? { Item: got.data.Item } : {});
    }
    return { status: 200, data: { Responses: responses } };
  }

  // The exclusive section of the transaction being applied (undefined: none), and the ordinary
  // requests running now (a transaction starts once they are done).
  let gate: Promise<void> | undefined;
  let running = 0;
  let drained: (() => void) | undefined;
  const pass = (req: IncomingMessage, res: ServerResponse) => {
    for (const listener of original) listener.call(server, req, res);
  };
  const ordinary = (req: IncomingMessage, res: ServerResponse) => {
    running++;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      running--;
      if (running === 0) drained?.();
    };
    res.once('finish', end);
    res.once('close', end);
    pass(req, res);
  };
  const afterGate = async (): Promise<void> => {
    while (gate) await gate;
  };
  /** Runs a transaction with no ordinary request in flight and none starting until it is done. */
  const exclusively = async <T>(work: () => Promise<T>): Promise<T> => {
    let open!: () => void;
    gate = new Promise<void>((resolve) => (open = resolve));
    try {
      if (running > 0) await new Promise<void>((resolve) => (drained = resolve));
      drained = undefined;
      return await work();
    } finally {
      gate = undefined;
      open();
    }
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target === `${TARGET_PREFIX}TransactWriteItems` ? transactWrite : target === `${TARGET_PREFIX}TransactGetItems` ? transactGet : undefined;
    if (!operation) {
      if (req.headers[INTERNAL]) pass(req, res);
      else if (gate) void afterGate().then(() => ordinary(req, res));
      else ordinary(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const run = async () => {
        let result: { status: number; data: unknown };
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
          result = await exclusively(() => operation(body));
        } catch (err) {
          const e = err as Partial<WireError> & { message?: string };
          result = {
            status: e.status ?? 500,
            data: { __type: `com.amazonaws.dynamodb.v20120810#${e.type ?? 'InternalServerError'}`, message: e.message ?? String(err) },
          };
        }
        const payload = JSON.stringify(result.data);
        res.writeHead(result.status, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(payload) });
        res.end(payload);
      };
      const next = queue.then(run, run);
      queue = next.catch(() => undefined);
    });
  });
}
