/**
 * `kefu restore`: a backup file into a fresh data folder, then every known erasure run again on it
 * (tombstones), so a contact erased after the backup was taken — or whose erasure was still queued
 * in it — stays erased. The data folder appears only when all of this has succeeded: the restore
 * runs in a sibling folder that is renamed at the end.
 *
 * Tombstones come from the backup's trailer, from `tombstones.jsonl` next to the backup file (the
 * scheduled backups' folder keeps one), and from `--tombstones` sources: a journal file, a newer
 * backup file, or an old data folder (its journal and its table).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { queues, table } from '#infra/manifest.ts';
import { localObjects, scanTable, TOMBSTONE_FILE } from './backup.ts';
import { itemFromJson, readBackupFile, type Tombstone } from './backup-file.ts';
import { createTable, localDynamoClient, startDynamo } from './dynamo.ts';
import { applyLocalEnvironment } from './lambda.ts';
import { closeServer, listen } from './listen.ts';
import { localS3 } from './s3.ts';

export interface RestoreReport {
  dataDir: string;
  items: number;
  objects: number;
  /** Contacts whose erasure ran again after the restore. */
  replayed: string[];
}

/** A folder that holds no data yet (absent, or empty). */
function assertFresh(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new Error(`${dir} is not empty: restore into a fresh data folder (then start with --data-dir ${dir})`);
  }
}

/** Tombstones of a journal file (one JSON object per line; unreadable lines are skipped with a warning). */
function journal(path: string, log: (line: string) => void): Tombstone[] {
  if (!existsSync(path)) return [];
  const out: Tombstone[] = [];
  for (const [i, line] of readFileSync(path, 'utf8').split('\n').entries()) {
    if (!line.trim()) continue;
    try {
      const t = JSON.parse(line) as Tombstone;
      if (typeof t.contactId === 'string' && t.contactId) out.push(t);
    } catch {
      log(`${path}:${i + 1}: not a tombstone line, skipped`);
    }
  }
  return out;
}

/** Tombstones of one `--tombstones` source: an old data folder, a backup file or a journal. */
export async function tombstonesFrom(source: string, log: (line: string) => void): Promise<Tombstone[]> {
  const path = resolve(source);
  if (!existsSync(path)) throw new Error(`--tombstones: ${source} does not exist`);
  if (statSync(path).isDirectory()) {
    const found = journal(join(path, TOMBSTONE_FILE), log);
    if (existsSync(join(path, 'dynamo'))) {
      const dynamo = await startDynamo({ dataDir: join(path, 'dynamo') });
      const client = localDynamoClient(dynamo.endpoint);
      try {
        for await (const _page of scanTable(client, found));
      } finally {
        client.destroy();
        await dynamo.stop();
      }
    }
    return found;
  }
  if (/\.(kbak|gz)$/.test(path)) {
    for await (const line of readBackupFile(path)) if (line.kind === 'end') return line.tombstones;
  }
  return journal(path, log);
}

/** Writes items in batches of 25, retrying what DynamoDB leaves unprocessed. */
async function writeItems(client: DynamoDBClient, requests: WriteRequest[]): Promise<void> {
  let pending = requests;
  while (pending.length) {
    const res = await client.send(new BatchWriteItemCommand({ RequestItems: { [table.name]: pending } }));
    pending = res.UnprocessedItems?.[table.name] ?? [];
  }
}

/**
 * Runs the erasure of each tombstone's contact again on the table and bucket the environment names
 * (TABLE_NAME, ATTACHMENTS_BUCKET, endpoints): the same steps as the privacy consumer, each
 * idempotent; erase tasks the table still has open are marked done. Returns the contacts.
 */
export async function runErasures(tombstones: readonly Tombstone[], now = new Date()): Promise<string[]> {
  const { ERASE_STEPS, erasureStub, runErasure } = await import('#shared/privacy/erase.ts');
  const { dynamoEraseStore } = await import('#shared/privacy/store.ts');
  const { getTask, updateTask } = await import('#shared/privacy/tasks.ts');
  const contacts = [...new Set(tombstones.map((t) => t.contactId))];
  for (const contactId of contacts) await runErasure(contactId, [], dynamoEraseStore, async () => undefined);
  for (const t of tombstones) {
    const task = t.taskId ? await getTask(t.taskId) : undefined;
    if (task && task.state !== 'done') {
      await updateTask(task.taskId, { state: 'done', steps: [...ERASE_STEPS], stub: erasureStub(task.contactId), updatedAt: now.toISOString() }, ['failure']);
    }
  }
  return contacts;
}

/** runErasures on a restored folder: its table, and its attachments behind a temporary local S3. */
async function replayErasures(dataDir: string, dynamoEndpoint: string, tombstones: readonly Tombstone[]): Promise<string[]> {
  const s3 = localS3({ dataDir, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void s3(req, res, Buffer.concat(chunks)).then((handled) => (handled ? undefined : res.writeHead(404).end()));
    });
  });
  const port = await listen(server, 0);
  try {
    applyLocalEnvironment({
      dynamoEndpoint,
      sqsEndpoint: 'http://127.0.0.1:9',
      queueUrls: Object.fromEntries(queues.map((q) => [q.name, `http://127.0.0.1:9/unused/${q.name}`])) as Parameters<
        typeof applyLocalEnvironment
      >[0]['queueUrls'],
      gatewayUrl: `http://127.0.0.1:${port}`,
    });
    return await runErasures(tombstones);
  } finally {
    await closeServer(server);
  }
}

/** Restores a backup file into a fresh data folder and replays the tombstones (see the module comment). */
export async function restoreBackup(opts: {
  from: string;
  dataDir: string;
  tombstones?: readonly string[];
  log?: (line: string) => void;
}): Promise<RestoreReport> {
  const log = opts.log ?? (() => undefined);
  const target = resolve(opts.dataDir);
  assertFresh(target);
  const from = resolve(opts.from);
  if (!existsSync(from)) throw new Error(`--from: ${opts.from} does not exist`);
  const work = `${target}.restoring-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const dynamo = await startDynamo({ dataDir: join(work, 'dynamo') });
    const client = localDynamoClient(dynamo.endpoint);
    let items = 0;
    let objects = 0;
    const tombstones: Tombstone[] = [];
    try {
      await createTable(dynamo.endpoint);
      let batch: WriteRequest[] = [];
      for await (const line of readBackupFile(from)) {
        if (line.kind === 'item') {
          batch.push({ PutRequest: { Item: itemFromJson(line.item) } });
          items++;
          if (batch.length === 25) {
            await writeItems(client, batch);
            batch = [];
          }
        } else if (line.kind === 'object') {
          const file = join(work, 's3', encodeURIComponent(line.key));
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, Buffer.from(line.body, 'base64'));
          writeFileSync(`${file}.type`, line.contentType);
          objects++;
        } else if (line.kind === 'end') {
          if (line.items !== items || line.objects !== objects)
            throw new Error(`the backup says ${line.items} items and ${line.objects} files but holds ${items} and ${objects}`);
          tombstones.push(...line.tombstones);
        }
      }
      if (batch.length) await writeItems(client, batch);
      tombstones.push(...journal(join(dirname(from), TOMBSTONE_FILE), log));
      for (const source of opts.tombstones ?? []) tombstones.push(...(await tombstonesFrom(source, log)));
      const replayed = tombstones.length ? await replayErasures(work, dynamo.endpoint, tombstones) : [];
      const known = new Map(tombstones.map((t) => [`${t.contactId}#${t.taskId ?? ''}`, t]));
      writeFileSync(join(work, TOMBSTONE_FILE), [...known.values()].map((t) => `${JSON.stringify(t)}\n`).join(''), { mode: 0o600 });
      client.destroy();
      await dynamo.stop();
      rmSync(target, { recursive: true, force: true });
      await rename(work, target);
      log(`restored ${items} items and ${objects} files into ${target}; erasures run again: ${replayed.length}`);
      return { dataDir: target, items, objects, replayed };
    } finally {
      client.destroy();
      await dynamo.stop();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The attachments of a data folder as key → bytes (tests compare a restore with its source). */
export function objectsOf(dataDir: string): Map<string, Buffer> {
  return new Map([...localObjects(dataDir)].map((o) => [o.key, o.body]));
}
