/**
 * The email suppression list over the local stack: admins list it (newest first, or by address
 * prefix), add an address by hand and lift one (audited: who and when, in the same write); a
 * supervisor or an agent gets 403; bad input is a 400 in the caller's language; an address that a
 * bounce suppressed appears with its source.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { suppressAddress } from '#shared/channels/suppressions.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import { apiClient } from '../support/api.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
let api: ReturnType<typeof apiClient>;
let agent: string;
let lead: string;
let admin: string;
let adminSub: string;

const stamp = Date.now().toString(36);
const bounced = `gone-${stamp}@example.com`;
const manual = `Opt.Out-${stamp}@Example.com`;

type Row = { address: string; reason: string; at: string; source: string; note?: string; by?: string };
const list = async (query = '') => {
  const res = await api.call('GET', `/email/suppressions${query}`, { token: admin });
  expect(res.status).toBe(200);
  return res.json as { items: Row[]; cursor?: string };
};

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true });
  api = apiClient(stack.urls.api);
  [agent, lead, admin] = await Promise.all([api.staff('agent@demo.kefu'), api.staff('lead@demo.kefu'), api.staff('admin@demo.kefu')]);
  adminSub = (await api.call('GET', '/staff/me', { token: admin })).json.sub;
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('the email suppression list', () => {
  it('only admins may read or change it', async () => {
    for (const token of [agent, lead]) {
      expect((await api.call('GET', '/email/suppressions', { token })).status).toBe(403);
      expect((await api.call('POST', '/email/suppressions', { token, body: { address: `x-${stamp}@example.com` } })).status).toBe(403);
      expect((await api.call('DELETE', `/email/suppressions/${encodeURIComponent(bounced)}`, { token })).status).toBe(403);
    }
    expect((await list(`?q=x-${stamp}`)).items).toEqual([]);
  });

  it('lists a bounced address newest first with its reason and source; a duplicate notification changes nothing', async () => {
    const at = new Date().toISOString();
    expect(await suppressAddress({ address: bounced, reason: 'bounce', at, source: `<dsn-${stamp}@mx.example.com>` })).toBe('suppressed');
    expect(await suppressAddress({ address: bounced, reason: 'bounce', at, source: `<dsn-${stamp}@mx.example.com>` })).toBe('duplicate');
    expect(await suppressAddress({ address: bounced, reason: 'complaint', at, source: `fb-${stamp}` })).toBe('already');
    const { items } = await list();
    expect(items[0]).toEqual({ address: bounced, reason: 'bounce', at, source: `<dsn-${stamp}@mx.example.com>` });
    expect((await list(`?q=${encodeURIComponent(`GONE-${stamp}`)}`)).items.map((r) => r.address)).toEqual([bounced]);
  });

  it('an admin adds an address by hand with a note (lower-cased; a second add is 409)', async () => {
    const res = await api.call('POST', '/email/suppressions', { token: admin, body: { address: manual, note: '顾客要求不再接收邮件' } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ address: manual.toLowerCase(), reason: 'manual', source: 'manual', note: '顾客要求不再接收邮件', by: adminSub });
    const again = await api.call('POST', '/email/suppressions', { token: admin, body: { address: manual.toLowerCase() } });
    expect(again.status).toBe(409);
    const first = await list('?limit=1');
    expect(first.items.map((r) => r.address)).toEqual([manual.toLowerCase()]);
    const next = await list(`?limit=1&cursor=${encodeURIComponent(first.cursor!)}`);
    expect(next.items.map((r) => r.address)).toEqual([bounced]);
    // a cursor of the newest-first listing is refused by the prefix search (and the other way round)
    expect((await api.call('GET', `/email/suppressions?q=gone&cursor=${encodeURIComponent(first.cursor!)}`, { token: admin })).status).toBe(400);
  });

  it('refuses bad input in the caller’s language', async () => {
    const zh = await api.call('POST', '/email/suppressions', { token: admin, body: { address: 'not-an-address' }, headers: { 'accept-language': 'zh-CN' } });
    expect(zh.status).toBe(400);
    expect(JSON.stringify(zh.json)).toContain('请输入有效的邮箱地址');
    const extra = await api.call('POST', '/email/suppressions', { token: admin, body: { address: `y-${stamp}@example.com`, reason: 'bounce' } });
    expect(extra.status).toBe(400);
    expect((await api.call('GET', '/email/suppressions?limit=0', { token: admin })).status).toBe(400);
  });

  it('an admin lifts a suppression: it leaves the list, the lift is audited, a second lift is 404', async () => {
    const res = await api.call('DELETE', `/email/suppressions/${encodeURIComponent(bounced)}`, { token: admin });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ lifted: { address: bounced, reason: 'bounce' }, liftedBy: adminSub });
    expect((await list(`?q=gone-${stamp}`)).items).toEqual([]);
    const gone = await db().send(new GetCommand({ TableName: tableName(), Key: keys.emailSuppressed(bounced) }));
    expect(gone.Item).toBeUndefined();
    const audit = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :lift)',
        ExpressionAttributeValues: { ':pk': keys.emailSuppressed(bounced).pk, ':lift': 'LIFT#' },
      }),
    );
    expect(audit.Items).toHaveLength(1);
    expect(audit.Items![0]).toMatchObject({ liftedBy: adminSub, liftedAt: res.json.liftedAt, lifted: { reason: 'bounce' } });
    expect((await api.call('DELETE', `/email/suppressions/${encodeURIComponent(bounced)}`, { token: admin })).status).toBe(404);
    // The same bounce delivered again after the lift does not put the address back.
    expect(await suppressAddress({ address: bounced, reason: 'bounce', at: new Date().toISOString(), source: `<dsn-${stamp}@mx.example.com>` })).toBe(
      'duplicate',
    );
    expect((await list(`?q=gone-${stamp}`)).items).toEqual([]);
  });
});
