/**
 * Backups of the local runtime: `kefu backup` copies a running store while it is being written to
 * (the copy is consistent: every points transaction is whole in it), with every item and attachment
 * file; then the store changes and a contact is erased; `kefu restore` (its own process, as an
 * operator runs it) brings the backup back into a fresh data folder, item by item as it was, except
 * that the erased contact is erased again (the tombstone journal). A runtime starts on the result.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BatchWriteItemCommand, CreateTableCommand, DescribeTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanTable, TOMBSTONE_FILE } from '#infra/local/backup.ts';
import { type ItemJson, itemFromJson, readBackupFile, type Tombstone } from '#infra/local/backup-file.ts';
import { localDynamoClient, startDynamo } from '#infra/local/dynamo.ts';
import { REPO_ROOT } from '#infra/local/lambda.ts';
import { objectsOf } from '#infra/local/restore.ts';
import { startLocalStack } from '#infra/local/stack.ts';
import { table } from '#infra/manifest.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { MESSAGE_TOMBSTONE } from '#shared/privacy/erase.ts';
import { keys } from '#shared/store/keys.ts';
import { getShop } from '#shared/store/shops.ts';
import { main } from '../../bin/kefu.ts';
import { apiClient } from '../support/api.ts';
import { until } from '../support/until.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack | undefined;
let api: ReturnType<typeof apiClient>;
let identity: string;

const root = mkdtempSync(join(tmpdir(), 'kefu-backup-'));
const A = join(root, 'a');
const B = join(root, 'b');
const backups = join(root, 'backups');
const F = join(backups, 'first.kbak');
const run = promisify(execFile);
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 9)]);

const keyOf = (item: ItemJson) => `${(item.pk as { S: string }).S}|${(item.sk as { S: string }).S}`;
const text = (item: ItemJson, name: string) => (item[name] as { S?: string } | undefined)?.S;
/** Sets come back in any order: sort them before comparing. */
const normal = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(normal)
    : value && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'SS' || k === 'NS' ? [...(v as string[])].sort() : normal(v)]))
      : value;

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function readBackup(path: string) {
  const items = new Map<string, ItemJson>();
  const objects = new Map<string, Buffer>();
  let tombstones: Tombstone[] = [];
  for await (const line of readBackupFile(path)) {
    if (line.kind === 'item') items.set(keyOf(line.item), line.item);
    if (line.kind === 'object') objects.set(line.key, Buffer.from(line.body, 'base64'));
    if (line.kind === 'end') tombstones = line.tombstones;
  }
  return { items, objects, tombstones };
}

/** Every item of a stopped data folder. */
async function itemsOf(dataDir: string): Promise<Map<string, ItemJson>> {
  const dynamo = await startDynamo({ dataDir: join(dataDir, 'dynamo') });
  const client = localDynamoClient(dynamo.endpoint);
  const items = new Map<string, ItemJson>();
  try {
    for await (const page of scanTable(client, [])) for (const item of page) items.set(keyOf(item), item);
  } finally {
    client.destroy();
    await dynamo.stop();
  }
  return items;
}

/** A verified shopper with a conversation that holds a text and a picture. */
async function shopper(id: string) {
  const me = await api.visitor({ id, hmac: hmacHex(identity, id) });
  const started = await api.call('POST', '/widget/conversations', {
    token: me.token,
    body: { clientMessageId: `${id}-1`, text: `我是 ${id}，手机 13812345678` },
  });
  const conversationId = started.json.conversation.conversationId as string;
  const upload = await api.call('POST', `/widget/conversations/${conversationId}/uploads`, {
    token: me.token,
    body: { fileName: 'box.png', contentType: 'image/png', size: png.length },
  });
  expect((await fetch(upload.json.uploadUrl, { method: 'PUT', headers: upload.json.headers, body: png })).status).toBe(200);
  const sent = await api.call('POST', `/widget/conversations/${conversationId}/messages`, { token: me.token, body: { attachments: [upload.json.attachment] } });
  expect(sent.status).toBe(201);
  return { contactId: me.contactId, conversationId, attachmentKey: `kefu-attachments/attachments/${conversationId}/${upload.json.attachment.attachmentId}` };
}

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, dataDir: A, quiet: true, failedRetryDelaySeconds: 0 });
  api = apiClient(stack.urls.api);
  const shop = await getShop('demo');
  if (!shop) throw new Error('the demo shop was not seeded');
  identity = shop.identitySecret;
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('kefu backup and kefu restore', () => {
  let kept: Awaited<ReturnType<typeof shopper>>;
  let erased: Awaited<ReturnType<typeof shopper>>;
  let backup: Awaited<ReturnType<typeof readBackup>>;

  it('backs up the running store while it is written to: consistent, with every item and file', async () => {
    const running = stack as Stack;
    kept = await shopper('bk-kept');
    erased = await shopper('bk-erased');
    const lead = await api.staff('lead@demo.kefu');
    await running.quiesce();
    const before = new Map<string, ItemJson>();
    const client = localDynamoClient(running.dynamoEndpoint);
    for await (const page of scanTable(client, [])) for (const item of page) before.set(keyOf(item), item);
    client.destroy();

    // points adjustments (each one transaction: ledger entry, source guard, lot, balance) run on during the backup
    let writing = true;
    let adjustments = 0;
    const statuses: number[] = [];
    const writer = (async () => {
      while (writing) {
        const res = await api.call('POST', `/contacts/${kept.contactId}/points`, { token: lead, body: { points: 1, reason: 'backup test' } });
        statuses.push(res.status);
        adjustments++;
      }
    })();
    await until(() => adjustments >= 2);
    const made = await cli(['backup', '--to', F, '--data-dir', A]);
    writing = false;
    await writer;
    expect(new Set(statuses)).toEqual(new Set([201]));
    expect(made.code).toBe(0);
    expect(made.err).toMatch(/from the running runtime/);

    backup = await readBackup(F);
    // consistent: the balance is the sum of the ledger, and every entry has its source guard
    const profile = backup.items.get(`${keys.contact(kept.contactId).pk}|${keys.contact(kept.contactId).sk}`)!;
    const entries = [...backup.items.values()].filter(
      (i) => text(i, 'pk') === keys.contact(kept.contactId).pk && text(i, 'sk')?.startsWith(keys.pointsEntryPrefix()),
    );
    expect(entries.length).toBeGreaterThan(0);
    expect(Number((profile.pointsBalance as { N: string }).N)).toBe(entries.reduce((sum, e) => sum + Number((e.points as { N: string }).N), 0));
    for (const entry of entries) expect(backup.items.has(`${keys.pointsSource(text(entry, 'sourceId')!).pk}|POINTS`)).toBe(true);
    // complete: every item that existed before is in it; the untouched shopper's items as they were; every file
    for (const key of before.keys()) expect(backup.items.has(key), key).toBe(true);
    for (const [key, item] of before) if (JSON.stringify(item).includes(erased.conversationId)) expect(normal(backup.items.get(key))).toEqual(normal(item));
    expect(backup.objects.get(kept.attachmentKey)?.equals(png)).toBe(true);
    expect([...backup.objects.keys()].sort()).toEqual([...objectsOf(A).keys()].sort());

    expect((await cli(['backup', '--to', F, '--data-dir', A])).code).toBe(2);
    expect((await cli(['backup', '--to', join(root, 'x.kbak'), '--data-dir', join(root, 'nothing')])).err).toMatch(/no Kefu data/);
  });

  it('after changes and an erasure, a restore brings back the backup item by item, with the erased contact erased again', async () => {
    const running = stack as Stack;
    const admin = await api.staff('admin@demo.kefu');
    // changes after the backup: a new item, a changed one, a deleted one
    await running.db.send(new PutCommand({ TableName: 'Kefu', Item: { pk: 'BACKUPTEST', sk: 'NEW', note: 'after the backup' } }));
    const labelled = await api.call('PUT', `/contacts/${kept.contactId}/labels`, { token: admin, body: { labels: ['after-backup'], version: 0 } });
    expect(labelled.status).toBe(200);
    const deletedKey = keys.clientConversation(kept.contactId, 'bk-kept-1');
    expect(backup.items.has(`${deletedKey.pk}|${deletedKey.sk}`)).toBe(true);
    await running.db.send(new DeleteCommand({ TableName: 'Kefu', Key: deletedKey }));
    // the erasure: it goes into the tombstone journal of the data folder
    const requested = await api.call('POST', `/contacts/${erased.contactId}/erase`, { token: admin });
    expect(requested.status).toBe(202);
    await until(async () => (await api.call('GET', `/privacy-tasks/${requested.json.taskId}`, { token: admin })).json?.state === 'done');
    await until(() => existsSync(join(A, TOMBSTONE_FILE)) && readFileSync(join(A, TOMBSTONE_FILE), 'utf8').includes(erased.contactId));
    await running.quiesce();
    await running.stop();
    stack = undefined;
    // with nothing running on it, `kefu backup` copies the folder itself
    const offlineFile = join(root, 'offline', 'a.kbak');
    const offline = await cli(['backup', '--to', offlineFile, '--data-dir', A]);
    expect(offline.err).toMatch(/from the stopped data folder/);
    const copied = await readBackup(offlineFile);
    const stopped = await itemsOf(A);
    expect(copied.items.size).toBe(stopped.size);
    for (const [key, item] of stopped) expect(normal(copied.items.get(key)), key).toEqual(normal(item));
    expect(copied.tombstones.map((t) => t.contactId)).toContain(erased.contactId);
    expect(readFileSync(join(root, 'offline', TOMBSTONE_FILE), 'utf8')).toContain(erased.contactId);

    const restored = await run(join(REPO_ROOT, 'node_modules/.bin/node'), ['bin/kefu.ts', 'restore', '--from', F, '--data-dir', B, '--tombstones', A], {
      cwd: REPO_ROOT,
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
    });
    const report = JSON.parse(restored.stdout.trim().split('\n').at(-1)!);
    expect(report).toMatchObject({ items: backup.items.size, files: backup.objects.size, erasuresReplayed: [erased.contactId] });

    const items = await itemsOf(B);
    const touched = (item: ItemJson | undefined) =>
      Boolean(item) && (JSON.stringify(item).includes(erased.contactId) || JSON.stringify(item).includes(erased.conversationId));
    for (const [key, item] of backup.items) {
      if (touched(item)) continue;
      expect(normal(items.get(key)), key).toEqual(normal(item));
    }
    for (const [key, item] of items) if (!touched(item)) expect(backup.items.has(key), key).toBe(true);
    expect(items.has('BACKUPTEST|NEW')).toBe(false);
    expect(items.has(`${deletedKey.pk}|${deletedKey.sk}`)).toBe(true);
    expect(JSON.stringify(items.get(`${keys.contact(kept.contactId).pk}|PROFILE`))).not.toContain('after-backup');

    // the erased contact: profile without personal data, texts replaced, picture gone
    const profile = items.get(`${keys.contact(erased.contactId).pk}|PROFILE`)!;
    expect(profile.erased).toEqual({ BOOL: true });
    expect(profile.shopUserId).toBeUndefined();
    const messages = [...items.values()].filter((i) => text(i, 'pk') === keys.conversation(erased.conversationId).pk && text(i, 'sk')?.startsWith('MSG#'));
    expect(messages.some((m) => text(m, 'text') === MESSAGE_TOMBSTONE)).toBe(true);
    expect(JSON.stringify(messages)).not.toContain('13812345678');
    const files = objectsOf(B);
    expect(files.has(erased.attachmentKey)).toBe(false);
    expect(files.get(kept.attachmentKey)?.equals(png)).toBe(true);
    expect(readFileSync(join(B, TOMBSTONE_FILE), 'utf8')).toContain(erased.contactId);

    const again = await run(join(REPO_ROOT, 'node_modules/.bin/node'), ['bin/kefu.ts', 'restore', '--from', F, '--data-dir', B], { cwd: REPO_ROOT }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((again as { code: number }).code).toBe(2);
    expect((again as { stderr: string }).stderr).toMatch(/not empty/);
  }, 120_000);

  it('a runtime starts on the restored folder: the kept shopper is there, the erased one stays erased', async () => {
    stack = await startLocalStack({ port: 0, dataDir: B, quiet: true });
    api = apiClient(stack.urls.api);
    const admin = await api.staff('admin@demo.kefu');
    const keptView = await api.call('GET', `/contacts/${kept.contactId}`, { token: admin });
    expect(keptView.status).toBe(200);
    const gone = await api.call('GET', `/contacts/${erased.contactId}`, { token: admin });
    expect(gone.json.profile.name).toMatch(/^erased contact #/);
    const thread = await api.call('GET', `/conversations/${kept.conversationId}/messages`, { token: admin });
    expect(thread.json.items.some((m: { attachments?: unknown[] }) => m.attachments?.length)).toBe(true);
  });

  it('after a restore into another table (the AWS runbook), `kefu erasures replay` erases there what the old table erased', async () => {
    const running = stack as Stack;
    // the "restored" table: the backup as it was, the erased contact still in it
    const client = localDynamoClient(running.dynamoEndpoint);
    const attributes = [...new Set([table.partitionKey, table.sortKey, ...table.indexes.flatMap((i) => [i.partitionKey, i.sortKey])])];
    await client.send(
      new CreateTableCommand({
        TableName: 'KefuRestored',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: table.partitionKey, KeyType: 'HASH' },
          { AttributeName: table.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: table.indexes.map((i) => ({
          IndexName: i.name,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
    // a new table is CREATING for a moment (longer on a busy machine): write once it is ACTIVE
    await until(async () => ((await client.send(new DescribeTableCommand({ TableName: 'KefuRestored' }))).Table?.TableStatus === 'ACTIVE' ? true : undefined), {
      what: 'the restored table to be ACTIVE',
    });
    const items = [...backup.items.values()].map((item) => ({ PutRequest: { Item: itemFromJson(item) } }));
    for (let i = 0; i < items.length; i += 25) await client.send(new BatchWriteItemCommand({ RequestItems: { KefuRestored: items.slice(i, i + 25) } }));
    const profileKey = { pk: { S: keys.contact(erased.contactId).pk }, sk: { S: 'PROFILE' } };
    expect((await client.send(new GetItemCommand({ TableName: 'KefuRestored', Key: profileKey }))).Item?.shopUserId).toBeDefined();

    const replay = (args: string[]) =>
      run(join(REPO_ROOT, 'node_modules/.bin/node'), ['bin/kefu.ts', 'erasures', 'replay', ...args], {
        cwd: REPO_ROOT,
        env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
      });
    const common = ['--from-table', 'Kefu', '--table', 'KefuRestored', '--bucket', 'kefu-attachments', '--endpoint', running.dynamoEndpoint];
    const dry = JSON.parse((await replay([...common, '--dry-run'])).stdout);
    expect(dry).toMatchObject({ dryRun: true, contacts: [erased.contactId] });
    expect((await client.send(new GetItemCommand({ TableName: 'KefuRestored', Key: profileKey }))).Item?.erased).toBeUndefined();
    const done = JSON.parse((await replay(common)).stdout);
    expect(done.contacts).toEqual([erased.contactId]);
    const after = (await client.send(new GetItemCommand({ TableName: 'KefuRestored', Key: profileKey, ConsistentRead: true }))).Item!;
    expect(after.erased).toEqual({ BOOL: true });
    expect(after.shopUserId).toBeUndefined();
    const keptProfile = { pk: { S: keys.contact(kept.contactId).pk }, sk: { S: 'PROFILE' } };
    expect((await client.send(new GetItemCommand({ TableName: 'KefuRestored', Key: keptProfile }))).Item?.erased).toBeUndefined();
    client.destroy();
    const same = await replay(['--from-table', 'KefuRestored', '--table', 'KefuRestored', '--bucket', 'b']).catch((e: { code: number }) => e);
    expect((same as { code: number }).code).toBe(2);
  });
});
