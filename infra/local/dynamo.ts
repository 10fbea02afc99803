import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, type GlobalSecondaryIndex, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { table } from '#infra/manifest.ts';
import { addTransactions } from './dynamo-transactions.ts';
import { listen, PortInUseError } from './listen.ts';

interface DynaliteOptions {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}

type Dynalite = (options: DynaliteOptions) => Server;

interface LevelDb {
  open(): Promise<void>;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as Dynalite;
const { Level } = createRequire(require.resolve('dynalite'))('level') as { Level: new (path: string) => LevelDb };

/**
 * Fails clearly when another process holds the LevelDB lock of `dir` (dynalite would crash the process
 * with "Database is closed" on its first request instead).
 */
async function assertUnlocked(dir: string): Promise<void> {
  const db = new Level(dir);
  try {
    await db.open();
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') throw new Error(`data dir ${dir} is in use by another process (stop it or pass another --data-dir)`);
    throw err;
  }
  await db.close();
}

export interface LocalDynamo {
  /** http://127.0.0.1:{port} — the value of AWS_ENDPOINT_URL_DYNAMODB. */
  endpoint: string;
  stop(): Promise<void>;
}

export interface DynamoOptions {
  port?: number;
  /** LevelDB folder; absent = in memory. */
  dataDir?: string;
  /** Take any free port when `port` is taken instead of failing. */
  anyPortIfTaken?: boolean;
}

/** Starts dynalite (plus transactions, see dynamo-transactions.ts): LevelDB under `dataDir`, in memory when it is absent. */
export async function startDynamo(opts: DynamoOptions = {}): Promise<LocalDynamo> {
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true });
    await assertUnlocked(opts.dataDir);
  }
  const server = dynalite({
    ...(opts.dataDir ? { path: opts.dataDir } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  let endpoint = '';
  addTransactions(server, () => endpoint);
  let port: number;
  try {
    port = await listen(server, opts.port ?? 0);
  } catch (err) {
    if (!(err instanceof PortInUseError) || !opts.anyPortIfTaken) throw err;
    port = await listen(server, 0);
  }
  endpoint = `http://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    stop: () => {
      stopped ??= new Promise<void>((resolve, reject) => {
        server.closeAllConnections?.();
        server.close((err) => (err ? reject(err) : resolve()));
      });
      return stopped;
    },
  };
}

/** A low-level client for the local endpoint with the dummy credentials dynalite accepts. */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/**
 * Creates the manifest table with its GSIs if it does not exist yet, and waits until it is ACTIVE.
 * TTL: dynalite implements DescribeTimeToLive (always DISABLED) but not UpdateTimeToLive, and it never
 * expires items, so the `ttl` attribute is not configured locally; code must not rely on TTL deletion.
 */
export async function createTable(endpoint: string): Promise<void> {
  const client = localDynamoClient(endpoint);
  try {
    const attributes = new Set<string>([table.partitionKey, table.sortKey]);
    for (const index of table.indexes) {
      attributes.add(index.partitionKey);
      attributes.add(index.sortKey);
    }
    const indexes: GlobalSecondaryIndex[] = table.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    }));
    try {
      await client.send(
        new CreateTableCommand({
          TableName: table.name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
          KeySchema: [
            { AttributeName: table.partitionKey, KeyType: 'HASH' },
            { AttributeName: table.sortKey, KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: indexes,
        }),
      );
    } catch (err) {
      if (!(err instanceof ResourceInUseException)) throw err;
    }
    for (let attempt = 0; attempt < 200; attempt++) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: table.name }));
      const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
      if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`local dynamo: table ${table.name} did not become ACTIVE`);
  } finally {
    client.destroy();
  }
}
