/**
 * Backups of the local runtime while it runs (`kefu backup`, and a scheduled daily backup with
 * retention). A consistent snapshot: new invocations are held at the invoker (every write of the
 * runtime is a function's, except the seed at start), the ones in flight finish, then the table is
 * scanned and the attachments read, then the held invocations go on. A DynamoDB transaction is
 * therefore never caught half applied, and no write lands between the first and the last item.
 *
 * The running stack answers `POST /local-admin/backup` on its gateway with the backup file; the
 * caller proves it may read the data folder with the token in `{dataDir}/local-admin.json` (the
 * custom header also keeps browsers from sending it cross-site). Erasures that finish are appended
 * to `tombstones.jsonl` in the data folder and in the backup folder, so a restore of an older
 * backup erases those contacts again (see restore.ts).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type AttributeValue, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { table } from '#infra/manifest.ts';
import { keys } from '#shared/store/keys.ts';
import { type ItemJson, itemToJson, type ObjectEntry, readBackupFile, type Tombstone, writeBackup, writeBackupFile } from './backup-file.ts';
import { localDynamoClient, startDynamo } from './dynamo.ts';
import type { SideHandler } from './http-gateway.ts';
import type { Invoker } from './lambda.ts';

/** The file the running stack writes into its data folder so `kefu backup` can reach it. */
export const CONTROL_FILE = 'local-admin.json';
export const TOMBSTONE_FILE = 'tombstones.jsonl';
export const BACKUP_PATH = '/local-admin/backup';
export const TOKEN_HEADER = 'x-kefu-admin-token';

export interface ScheduledBackups {
  /** Folder of the scheduled backups (and of the tombstone journal). */
  dir: string;
  /** How many scheduled backups are kept (oldest removed first). Default 7. */
  keep?: number;
  /** Hours between backups. Default 24. */
  everyHours?: number;
}

/** The schedule from the environment (`npm start` reads it): KEFU_BACKUP_DIR, KEFU_BACKUP_KEEP, KEFU_BACKUP_EVERY_HOURS. */
export function scheduleFromEnv(env: NodeJS.ProcessEnv = process.env): ScheduledBackups | undefined {
  if (!env.KEFU_BACKUP_DIR) return undefined;
  const keep = Number(env.KEFU_BACKUP_KEEP ?? 7);
  const everyHours = Number(env.KEFU_BACKUP_EVERY_HOURS ?? 24);
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`KEFU_BACKUP_KEEP: "${env.KEFU_BACKUP_KEEP}" is not a whole number of backups (1 or more)`);
  if (!(everyHours > 0)) throw new Error(`KEFU_BACKUP_EVERY_HOURS: "${env.KEFU_BACKUP_EVERY_HOURS}" is not a number of hours`);
  return { dir: env.KEFU_BACKUP_DIR, keep, everyHours };
}

/** The scheduled backups beyond the newest `keep` (their names sort by time); other files are never touched. */
export function backupsToRemove(names: readonly string[], keep: number): string[] {
  const backups = names.filter((f) => /^kefu-backup-.*\.kbak$/.test(f)).sort();
  return backups.slice(0, Math.max(0, backups.length - keep));
}

/** An erasure recorded in an item of the table: an erase task (in any state: one still queued must run after a restore) or an erased profile. */
export function tombstoneOf(item: Record<string, AttributeValue>): Tombstone | undefined {
  const pk = item.pk?.S ?? '';
  const sk = item.sk?.S ?? '';
  const task = keys.privacyTask('');
  if (pk.startsWith(task.pk) && sk === task.sk && item.kind?.S === 'erase' && item.contactId?.S) {
    return { contactId: item.contactId.S, at: item.updatedAt?.S ?? '', taskId: item.taskId?.S ?? pk.slice(task.pk.length) };
  }
  const profile = keys.contact('');
  if (pk.startsWith(profile.pk) && sk === profile.sk && item.erased?.BOOL === true)
    return { contactId: pk.slice(profile.pk.length), at: item.erasedAt?.S ?? '' };
  return undefined;
}

/** Every item of the table, page by page (a Scan: this is an offline tool, never a request path). */
export async function* scanTable(client: DynamoDBClient, found: Tombstone[]): AsyncGenerator<ItemJson[]> {
  let start: Record<string, AttributeValue> | undefined;
  do {
    const res = await client.send(new ScanCommand({ TableName: table.name, ConsistentRead: true, ExclusiveStartKey: start }));
    const items = res.Items ?? [];
    for (const item of items) {
      const tombstone = tombstoneOf(item);
      if (tombstone) found.push(tombstone);
    }
    yield items.map(itemToJson);
    start = res.LastEvaluatedKey;
  } while (start);
}

/** The attachments-bucket objects the local S3 keeps under `{dataDir}/s3` (the layout of s3.ts: encoded key, `.type` beside it). */
export function* localObjects(dataDir: string): Generator<ObjectEntry> {
  const dir = join(dataDir, 's3');
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.type')) continue;
    const typeFile = join(dir, `${name}.type`);
    yield {
      key: decodeURIComponent(name),
      contentType: existsSync(typeFile) ? readFileSync(typeFile, 'utf8') : 'application/octet-stream',
      body: readFileSync(join(dir, name)),
    };
  }
}

/** Invocations wait while a snapshot is taken; `pause` resolves once the ones in flight are done. */
export interface GatedInvoker extends Invoker {
  pause(): Promise<() => void>;
}

/** Wraps the invoker with the snapshot gate, and calls `afterRun` when an invocation has finished. */
export function gateInvoker(inner: Invoker, afterRun?: (fnName: string, event: unknown) => void): GatedInvoker {
  let gate: Promise<void> | undefined;
  let held = 0;
  const invoke: Invoker['invoke'] = async (fn, event) => {
    while (gate) {
      held++;
      await gate.finally(() => held--);
    }
    const outcome = await inner.invoke(fn, event);
    if (outcome.ok) afterRun?.(fn.name, event);
    return outcome;
  };
  return {
    ...inner,
    invoke,
    inFlight: () => inner.inFlight() + held,
    async pause() {
      while (gate) await gate;
      let open: () => void = () => undefined;
      gate = new Promise<void>((resolve) => (open = resolve));
      const release = () => {
        gate = undefined;
        open();
      };
      try {
        await inner.drain();
      } catch (error) {
        release();
        throw error;
      }
      return release;
    },
  };
}

export interface BackupService {
  invoker: GatedInvoker;
  sideHandler: SideHandler;
  /** Writes a consistent backup to a file (the scheduled run and tests). */
  backupTo(path: string): Promise<{ items: number; objects: number; tombstones: number }>;
  /** Publishes the control file (once the gateway's URL is known) and starts the schedule. */
  start(gatewayUrl: string): void;
  stop(): void;
}

/** The backup machinery of one running local stack. */
export function createBackupService(opts: {
  invoker: Invoker;
  dynamoEndpoint: string;
  db: DynamoDBDocumentClient;
  dataDir: string | undefined;
  schedule: ScheduledBackups | undefined;
  log: (line: string) => void;
}): BackupService {
  const token = randomBytes(32).toString('hex');
  const journals = [opts.dataDir, opts.schedule?.dir].filter((d): d is string => Boolean(d));
  const invoker = gateInvoker(opts.invoker, (name, event) => {
    if (name === 'privacy-consumer' && journals.length) void journalErasures(event);
  });
  let timer: NodeJS.Timeout | undefined;

  /** Appends finished erasures of a privacy-consumer batch to the tombstone journals. */
  async function journalErasures(event: unknown) {
    for (const record of (event as { Records?: { body?: string }[] }).Records ?? []) {
      try {
        const { taskId } = JSON.parse(record.body ?? '{}') as { taskId?: string };
        if (!taskId) continue;
        const task = (await opts.db.send(new GetCommand({ TableName: table.name, Key: keys.privacyTask(taskId), ConsistentRead: true }))).Item;
        if (task?.kind !== 'erase' || task.state !== 'done') continue;
        const line = `${JSON.stringify({ contactId: task.contactId, at: task.updatedAt, taskId } satisfies Tombstone)}\n`;
        for (const dir of journals) {
          mkdirSync(dir, { recursive: true });
          appendFileSync(join(dir, TOMBSTONE_FILE), line, { mode: 0o600 });
        }
      } catch (error) {
        opts.log(`tombstone journal: could not record an erasure: ${(error as Error).message}`);
      }
    }
  }

  async function snapshot(out: Writable) {
    const release = await invoker.pause();
    const client = new DynamoDBClient({ endpoint: opts.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      const found: Tombstone[] = [];
      const end = await writeBackup(
        out,
        {
          table: table.name,
          items: scanTable(client, found),
          objects: () => (opts.dataDir ? localObjects(opts.dataDir) : []),
          tombstones: () => found,
        },
        new Date(),
      );
      return { items: end.items, objects: end.objects, tombstones: end.tombstones.length };
    } finally {
      client.destroy();
      release();
    }
  }

  const backupTo = async (path: string) => {
    let result: Awaited<ReturnType<typeof snapshot>> | undefined;
    await writeBackupFile(path, async (out) => {
      result = await snapshot(out);
    });
    return result as Awaited<ReturnType<typeof snapshot>>;
  };

  const sideHandler: SideHandler = async (req, res) => {
    if (!req.url?.startsWith(BACKUP_PATH)) return false;
    const given = Buffer.from(String(req.headers[TOKEN_HEADER] ?? ''));
    const expected = Buffer.from(token);
    if (req.method !== 'POST' || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res
        .writeHead(req.method === 'POST' ? 401 : 405, { 'content-type': 'application/json' })
        .end(JSON.stringify({ message: 'backup: POST with the token of local-admin.json' }));
      return true;
    }
    res.writeHead(200, { 'content-type': 'application/gzip', 'cache-control': 'no-store' });
    try {
      const result = await snapshot(res);
      opts.log(`backup: ${result.items} items, ${result.objects} attachments`);
    } catch (error) {
      opts.log(`backup failed: ${(error as Error).message}`);
      res.destroy(error as Error);
    }
    return true;
  };

  async function scheduled(schedule: ScheduledBackups) {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const result = await backupTo(join(schedule.dir, `kefu-backup-${stamp}.kbak`));
    for (const old of backupsToRemove(readdirSync(schedule.dir), schedule.keep ?? 7)) rmSync(join(schedule.dir, old), { force: true });
    opts.log(`scheduled backup: ${result.items} items, ${result.objects} attachments in ${schedule.dir}`);
  }

  return {
    invoker,
    sideHandler,
    backupTo,
    start(gatewayUrl) {
      if (opts.dataDir) {
        writeFileSync(join(opts.dataDir, CONTROL_FILE), JSON.stringify({ url: gatewayUrl, token, pid: process.pid }), { mode: 0o600 });
      }
      const schedule = opts.schedule;
      if (!schedule) return;
      mkdirSync(schedule.dir, { recursive: true });
      const everyMs = (schedule.everyHours ?? 24) * 3_600_000;
      const newest = readdirSync(schedule.dir)
        .filter((f) => /^kefu-backup-.*\.kbak$/.test(f))
        .map((f) => statSync(join(schedule.dir, f)).mtimeMs)
        .sort((a, b) => b - a)[0];
      const run = () => {
        scheduled(schedule).catch((error: Error) => opts.log(`scheduled backup failed: ${error.message}`));
        timer = setTimeout(run, everyMs);
        timer.unref();
      };
      // A backup is due a period after the newest one (a minute after start when overdue).
      timer = setTimeout(run, Math.max(60_000, (newest ?? 0) + everyMs - Date.now()));
      timer.unref();
    },
    stop() {
      if (timer) clearTimeout(timer);
      if (opts.dataDir) rmSync(join(opts.dataDir, CONTROL_FILE), { force: true });
    },
  };
}

/** The control file of a runtime running on this data folder, if one is (its process alive). */
function runningStack(dataDir: string): { url: string; token: string } | undefined {
  const file = join(dataDir, CONTROL_FILE);
  if (!existsSync(file)) return undefined;
  const control = JSON.parse(readFileSync(file, 'utf8')) as { url: string; token: string; pid: number };
  try {
    process.kill(control.pid, 0);
  } catch {
    return undefined;
  }
  return control;
}

/** A backup of a data folder whose runtime is stopped: dynalite is started on it for the copy (and refuses a folder in use). */
async function backupStopped(dataDir: string, out: Writable): Promise<void> {
  const dynamo = await startDynamo({ dataDir: join(dataDir, 'dynamo') });
  const client = localDynamoClient(dynamo.endpoint);
  try {
    const found: Tombstone[] = [];
    await writeBackup(out, { table: table.name, items: scanTable(client, found), objects: () => localObjects(dataDir), tombstones: () => found }, new Date());
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}

/**
 * `kefu backup`: asks the runtime running on `dataDir` for a consistent backup (or copies the
 * folder itself when nothing runs on it), checks the file it wrote from end to end, and adds the
 * backup's tombstones to `tombstones.jsonl` beside it, so any later backup restored from that
 * folder knows every erasure this one knew.
 */
export async function backupDataDir(dataDir: string, to: string): Promise<{ items: number; objects: number; tombstones: number; live: boolean }> {
  const folder = resolve(dataDir);
  const stack = runningStack(folder);
  if (!stack && !existsSync(join(folder, 'dynamo'))) throw new Error(`no Kefu data in ${folder}: pass --data-dir (the folder npm start uses)`);
  await writeBackupFile(to, async (out) => {
    if (!stack) return backupStopped(folder, out);
    const res = await fetch(`${stack.url}${BACKUP_PATH}`, { method: 'POST', headers: { [TOKEN_HEADER]: stack.token } });
    if (!res.ok || !res.body) throw new Error(`the running runtime refused the backup: HTTP ${res.status}`);
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), out);
  });
  let end: { items: number; objects: number; tombstones: Tombstone[] } | undefined;
  for await (const line of readBackupFile(to)) if (line.kind === 'end') end = line;
  if (!end) throw new Error(`${to}: no trailer`);
  const journalPath = join(dirname(resolve(to)), TOMBSTONE_FILE);
  const known = new Set(
    (existsSync(journalPath) ? readFileSync(journalPath, 'utf8') : '')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as Tombstone).contactId),
  );
  const fresh = end.tombstones.filter((t) => !known.has(t.contactId) && known.add(t.contactId));
  if (fresh.length) appendFileSync(journalPath, fresh.map((t) => `${JSON.stringify(t)}\n`).join(''), { mode: 0o600 });
  return { items: end.items, objects: end.objects, tombstones: end.tombstones.length, live: Boolean(stack) };
}
