/**
 * The local runtime's backup file: gzip-compressed JSON Lines. A header line, then one line per
 * table item (DynamoDB JSON, binaries as base64, so every type survives), then one line per
 * attachments-bucket object, then a trailer with the counts and the erasure tombstones known at
 * backup time. A file without its trailer (a copy cut short) is refused on restore.
 */
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export const BACKUP_FORMAT = 'kefu.local-backup/1';

/** An erased contact: after a restore its erasure runs again, so it stays erased. */
export interface Tombstone {
  contactId: string;
  /** When the erasure was asked for or finished. */
  at: string;
  taskId?: string;
}

export type ItemJson = Record<string, unknown>;
export interface ObjectEntry {
  key: string;
  contentType: string;
  body: Buffer;
}

export type BackupLine =
  | { kind: 'header'; format: typeof BACKUP_FORMAT; createdAt: string; table: string }
  | { kind: 'item'; item: ItemJson }
  | { kind: 'object'; key: string; contentType: string; body: string }
  | { kind: 'end'; items: number; objects: number; tombstones: Tombstone[] };

/** An attribute value as JSON (binaries as base64), and back: the file keeps every DynamoDB type. */
export function valueToJson(av: AttributeValue): unknown {
  if (av.B !== undefined) return { B: Buffer.from(av.B).toString('base64') };
  if (av.BS !== undefined) return { BS: av.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (av.M !== undefined) return { M: itemToJson(av.M) };
  if (av.L !== undefined) return { L: av.L.map(valueToJson) };
  return av;
}

export function itemToJson(item: Record<string, AttributeValue>): ItemJson {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, valueToJson(v)]));
}

export function valueFromJson(json: unknown): AttributeValue {
  const v = json as Record<string, unknown>;
  if (typeof v.B === 'string') return { B: Buffer.from(v.B, 'base64') };
  if (Array.isArray(v.BS)) return { BS: (v.BS as string[]).map((b) => Buffer.from(b, 'base64')) };
  if (v.M && typeof v.M === 'object') return { M: itemFromJson(v.M as ItemJson) };
  if (Array.isArray(v.L)) return { L: v.L.map(valueFromJson) };
  return v as unknown as AttributeValue;
}

export function itemFromJson(item: ItemJson): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, valueFromJson(v)]));
}

/** Writes backup lines through gzip to `out` (a file or an HTTP response); resolves with the trailer. */
export async function writeBackup(
  out: Writable,
  source: { table: string; items: AsyncIterable<ItemJson[]>; objects: () => Iterable<ObjectEntry>; tombstones: (items: number) => Tombstone[] },
  now: Date,
): Promise<Extract<BackupLine, { kind: 'end' }>> {
  const gzip = createGzip();
  const done = pipeline(gzip, out);
  let failure: unknown;
  done.catch((error: unknown) => {
    failure = error ?? new Error('the backup stream failed');
  });
  const write = async (line: BackupLine) => {
    if (failure) throw failure;
    if (!gzip.write(`${JSON.stringify(line)}\n`)) await Promise.race([new Promise((resolve) => gzip.once('drain', resolve)), done]);
    if (failure) throw failure;
  };
  await write({ kind: 'header', format: BACKUP_FORMAT, createdAt: now.toISOString(), table: source.table });
  let items = 0;
  for await (const page of source.items) {
    for (const item of page) await write({ kind: 'item', item });
    items += page.length;
  }
  let objects = 0;
  for (const o of source.objects()) {
    await write({ kind: 'object', key: o.key, contentType: o.contentType, body: o.body.toString('base64') });
    objects++;
  }
  const end = { kind: 'end' as const, items, objects, tombstones: source.tombstones(items) };
  await write(end);
  gzip.end();
  await done;
  return end;
}

/** Writes a backup file atomically: to a temporary name first, renamed when complete. */
export async function writeBackupFile(path: string, fill: (out: Writable) => Promise<unknown>): Promise<void> {
  const partial = `${path}.partial`;
  mkdirSync(dirname(path), { recursive: true });
  try {
    await fill(createWriteStream(partial, { mode: 0o600 }));
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** Reads a backup stream line by line; throws on a foreign format or a missing trailer. */
export async function* readBackup(input: Readable): AsyncGenerator<BackupLine> {
  const lines = createInterface({ input: input.pipe(createGunzip()), crlfDelay: Number.POSITIVE_INFINITY });
  let first = true;
  let ended = false;
  for await (const text of lines) {
    if (!text) continue;
    const line = JSON.parse(text) as BackupLine;
    if (first && (line.kind !== 'header' || line.format !== BACKUP_FORMAT)) throw new Error(`not a Kefu local backup (expected ${BACKUP_FORMAT})`);
    first = false;
    if (line.kind === 'end') ended = true;
    yield line;
  }
  if (!ended) throw new Error('the backup file is incomplete (no trailer): it was cut short; use another backup');
}

/** Reads a backup file (see readBackup). */
export function readBackupFile(path: string): AsyncGenerator<BackupLine> {
  return readBackup(createReadStream(path));
}
