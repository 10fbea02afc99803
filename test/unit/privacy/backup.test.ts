import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { backupsToRemove, gateInvoker, scheduleFromEnv, tombstoneOf } from '#infra/local/backup.ts';
import { BACKUP_FORMAT, type BackupLine, itemFromJson, itemToJson, readBackup, writeBackup } from '#infra/local/backup-file.ts';
import type { InvokeOutcome, Invoker } from '#infra/local/lambda.ts';
import type { FunctionDef } from '#infra/manifest.ts';

/** An invoker whose invocations end when the test says so. */
function fakeInvoker() {
  const running = new Map<string, () => void>();
  const started: string[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const inner: Invoker = {
    load: async () => () => undefined,
    log: () => undefined,
    invoke(fn, _event) {
      started.push(fn.name);
      const p = new Promise<InvokeOutcome>((resolve) => running.set(fn.name, () => resolve({ ok: true, value: undefined, durationMs: 0 })));
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      return p;
    },
    async drain() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    inFlight: () => inFlight.size,
  };
  return { inner, started, finish: (name: string) => running.get(name)?.() };
}

const fn = (name: string) => ({ name }) as FunctionDef;
const settled = async <T>(p: Promise<T>) => {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return done;
};

describe('the backup gate', () => {
  it('a pause waits for invocations in flight, holds new ones until released, and counts them as in flight', async () => {
    const { inner, started, finish } = fakeInvoker();
    const seen: string[] = [];
    const gated = gateInvoker(inner, (name) => seen.push(name));
    const first = gated.invoke(fn('first'), {});
    const paused = gated.pause();
    expect(await settled(paused)).toBe(false);
    finish('first');
    await first;
    const release = await paused;
    const second = gated.invoke(fn('second'), {});
    expect(await settled(second)).toBe(false);
    expect(started).toEqual(['first']);
    expect(gated.inFlight()).toBe(1);
    release();
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['first', 'second']);
    finish('second');
    await second;
    expect(seen).toEqual(['first', 'second']);
    expect(gated.inFlight()).toBe(0);
  });

  it('a second pause waits for the first to be released', async () => {
    const { inner } = fakeInvoker();
    const gated = gateInvoker(inner);
    const release = await gated.pause();
    const next = gated.pause();
    expect(await settled(next)).toBe(false);
    release();
    (await next)();
  });
});

describe('the backup file', () => {
  const item = {
    pk: { S: 'KBINDEX#v1' },
    sk: { S: 'CHUNK#0000' },
    data: { B: new Uint8Array([0, 1, 2, 255]) },
    many: { BS: [new Uint8Array([9])] },
    n: { N: '42.5' },
    tags: { SS: ['a', 'b'] },
    nested: { M: { list: { L: [{ B: new Uint8Array([7]) }, { NULL: true }, { BOOL: false }] } } },
  };

  it('keeps every DynamoDB type through JSON (binaries as base64)', () => {
    const json = JSON.parse(JSON.stringify(itemToJson(item as never)));
    expect(json.data).toEqual({ B: 'AAEC/w==' });
    const back = itemFromJson(json);
    expect(Buffer.from(back.data!.B!)).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(back.nested!.M!.list!.L![0]!.B).toEqual(Buffer.from([7]));
    expect(back.tags).toEqual({ SS: ['a', 'b'] });
    expect(back.n).toEqual({ N: '42.5' });
  });

  it('round-trips items, files and tombstones, and refuses a file cut short or of another format', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const end = await writeBackup(
      out,
      {
        table: 'Kefu',
        items: (async function* () {
          yield [itemToJson(item as never)];
        })(),
        objects: () => [{ key: 'kefu-attachments/a/b', contentType: 'image/png', body: Buffer.from('png') }],
        tombstones: () => [{ contactId: 'c1', at: '2026-01-01T00:00:00Z' }],
      },
      new Date('2026-02-01T00:00:00Z'),
    );
    expect(end).toMatchObject({ items: 1, objects: 1 });
    const lines: BackupLine[] = [];
    for await (const line of readBackup(Readable.from([Buffer.concat(chunks)]))) lines.push(line);
    expect(lines.map((l) => l.kind)).toEqual(['header', 'item', 'object', 'end']);
    expect(lines[0]).toMatchObject({ format: BACKUP_FORMAT, createdAt: '2026-02-01T00:00:00.000Z' });
    expect(lines[3]).toMatchObject({ tombstones: [{ contactId: 'c1' }] });

    const cut = gzipSync(`${JSON.stringify(lines[0])}\n${JSON.stringify(lines[1])}\n`);
    await expect(async () => {
      for await (const _ of readBackup(Readable.from([cut])));
    }).rejects.toThrow(/incomplete/);
    const foreign = gzipSync(`${JSON.stringify({ kind: 'header', format: 'other/1' })}\n`);
    await expect(async () => {
      for await (const _ of readBackup(Readable.from([foreign])));
    }).rejects.toThrow(/not a Kefu local backup/);
  });

  it('finds the erasures in the table: erase tasks in any state and erased profiles', () => {
    expect(tombstoneOf({ pk: { S: 'PRIVACY#prv_1' }, sk: { S: 'TASK' }, kind: { S: 'erase' }, contactId: { S: 'c1' }, state: { S: 'queued' } })).toMatchObject({
      contactId: 'c1',
      taskId: 'prv_1',
    });
    expect(tombstoneOf({ pk: { S: 'PRIVACY#prv_2' }, sk: { S: 'TASK' }, kind: { S: 'export' }, contactId: { S: 'c1' } })).toBeUndefined();
    expect(tombstoneOf({ pk: { S: 'CONTACT#c2' }, sk: { S: 'PROFILE' }, erased: { BOOL: true }, erasedAt: { S: '2026-01-01' } })).toEqual({
      contactId: 'c2',
      at: '2026-01-01',
    });
    expect(tombstoneOf({ pk: { S: 'CONTACT#c3' }, sk: { S: 'PROFILE' } })).toBeUndefined();
  });

  it('the scheduled run keeps the newest backups and touches no other file', () => {
    const names = [
      'kefu-backup-2026-05-03T19-00-00-000Z.kbak',
      'tombstones.jsonl',
      'kefu-backup-2026-05-01T19-00-00-000Z.kbak',
      'mine.kbak',
      'kefu-backup-2026-05-02T19-00-00-000Z.kbak',
    ];
    expect(backupsToRemove(names, 2)).toEqual(['kefu-backup-2026-05-01T19-00-00-000Z.kbak']);
    expect(backupsToRemove(names, 7)).toEqual([]);
  });

  it('reads the schedule from the environment and refuses nonsense', () => {
    expect(scheduleFromEnv({})).toBeUndefined();
    expect(scheduleFromEnv({ KEFU_BACKUP_DIR: '/b' })).toEqual({ dir: '/b', keep: 7, everyHours: 24 });
    expect(scheduleFromEnv({ KEFU_BACKUP_DIR: '/b', KEFU_BACKUP_KEEP: '3', KEFU_BACKUP_EVERY_HOURS: '0.5' })).toEqual({ dir: '/b', keep: 3, everyHours: 0.5 });
    expect(() => scheduleFromEnv({ KEFU_BACKUP_DIR: '/b', KEFU_BACKUP_KEEP: 'x' })).toThrow(/KEFU_BACKUP_KEEP/);
  });
});
