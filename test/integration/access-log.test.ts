/**
 * Masking and the access log over the local stack: an agent reads a shopper's phone, email and
 * message text masked (360, conversation, thread); a supervisor reads the thread as written and
 * reveals the profile with a reason; every read is in the access log, which admins search by
 * contact, staff member and day and export as CSV; repeated views coalesce, expired entries are
 * not shown, the retention is a versioned setting, and the shopper's own export says who looked.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { keys } from '#shared/store/keys.ts';
import { getShop } from '#shared/store/shops.ts';
import { apiClient } from '../support/api.ts';
import { until } from '../support/until.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
let api: ReturnType<typeof apiClient>;
let secrets: { webhook: string; identity: string };
let agent: string;
let lead: string;
let admin: string;
let leadSub: string;
let agentSub: string;

const stamp = Date.now().toString(36);
const customerId = `acl-${stamp}`;
const PHONE = '13812345678';
const CARD = '6222021234567894';
const ID = '11010519491231002X';
const TEXT = `我的手机 ${PHONE}，卡号 ${CARD}，身份证 ${ID}，地址上海市浦东新区张江路88号`;

function signed(path: string, body: unknown) {
  const raw = JSON.stringify(body);
  const ts = String(Math.floor(Date.now() / 1000));
  return api.call('POST', path, {
    body: raw,
    headers: { 'x-kefu-shop': 'demo', 'x-kefu-timestamp': ts, 'x-kefu-signature': hmacHex(secrets.webhook, `${ts}.${raw}`) },
  });
}

type Entry = { entryId: string; at: string; action: string; staff: { sub: string; name: string }; fields: string[]; masked: boolean; reason?: string };
const log = async (query: string, token = admin) => {
  const res = await api.call('GET', `/access-log?${query}`, { token });
  expect(res.status).toBe(200);
  return res.json.items as Entry[];
};

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  api = apiClient(stack.urls.api);
  const shop = await getShop('demo');
  if (!shop) throw new Error('the demo shop was not seeded');
  secrets = { webhook: shop.webhookSecret, identity: shop.identitySecret };
  [agent, lead, admin] = await Promise.all([api.staff('agent@demo.kefu'), api.staff('lead@demo.kefu'), api.staff('admin@demo.kefu')]);
  leadSub = (await api.call('GET', '/staff/me', { token: lead })).json.sub;
  agentSub = (await api.call('GET', '/staff/me', { token: agent })).json.sub;
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('masking and the access log', () => {
  let contactId: string;
  let conversationId: string;

  it('an agent reads phone, email and the shopper’s message masked; a supervisor reads the message as written', async () => {
    const me = await api.visitor({ id: customerId, hmac: hmacHex(secrets.identity, customerId) });
    contactId = me.contactId;
    const upserted = await signed('/shop/events', {
      eventId: `ev-${stamp}`,
      type: 'member.upserted',
      occurredAt: new Date().toISOString(),
      data: { customerId, name: '王芳', email: 'wang.fang@example.com', phone: PHONE, birthday: '1990-03-07' },
    });
    expect(upserted.status).toBe(202);
    const started = await api.call('POST', '/widget/conversations', { token: me.token, body: { clientMessageId: `acl-${stamp}-1`, text: TEXT } });
    expect(started.status).toBe(201);
    conversationId = started.json.conversation.conversationId;
    await stack.quiesce();

    const view = await until(async () => {
      const res = await api.call('GET', `/contacts/${contactId}`, { token: agent });
      return res.json?.profile?.phone ? res : undefined;
    });
    expect(view.json.profile).toMatchObject({ name: '王芳', email: 'w***@example.com', phone: '138****5678', birthday: '****-03-07' });
    expect(view.json.masked).toEqual(['email', 'phone', 'birthday']);
    expect(JSON.stringify(view.json)).not.toContain(PHONE);

    const thread = await api.call('GET', `/conversations/${conversationId}/messages`, { token: agent });
    const shopperText = thread.json.items.find((m: { author: { kind: string } }) => m.author.kind === 'visitor').text as string;
    expect(shopperText).toBe('我的手机 138****5678，卡号 6222 **** **** 7894，身份证 110***********002X，地址上海市浦东新区****');
    const detail = await api.call('GET', `/conversations/${conversationId}`, { token: agent });
    expect(detail.json.contact.email).toBe('w***@example.com');
    for (const body of [thread.json, detail.json]) for (const secret of [PHONE, CARD, ID, 'wang.fang@']) expect(JSON.stringify(body)).not.toContain(secret);

    const asLead = await api.call('GET', `/conversations/${conversationId}/messages`, { token: lead });
    expect(JSON.stringify(asLead.json)).toContain(TEXT);
    // the profile stays masked for supervisors too until they reveal it
    expect((await api.call('GET', `/contacts/${contactId}`, { token: lead })).json.profile.phone).toBe('138****5678');
  });

  it('only supervisors and admins reveal, with a reason; the full values are in that answer only', async () => {
    const reveal = (body: unknown, token = lead) => api.call('POST', `/contacts/${contactId}/reveal`, { token, body });
    expect((await reveal({ reason: '客户要求核对手机号' }, agent)).status).toBe(403);
    expect((await reveal({})).status).toBe(400);
    expect((await reveal({ reason: ' ' })).status).toBe(400);
    expect((await reveal({ reason: '核对', fields: ['name'] })).status).toBe(400);
    expect((await reveal({ reason: '核对', fields: ['phone', 'phone'] })).status).toBe(400);
    expect((await reveal({ reason: '核对', extra: 1 })).status).toBe(400);
    expect((await api.call('POST', '/contacts/con_missing/reveal', { token: lead, body: { reason: '核对' } })).status).toBe(404);

    const revealed = await reveal({ reason: '客户要求核对手机号', fields: ['phone'] });
    expect(revealed.status).toBe(200);
    expect(revealed.json).toMatchObject({ contactId, profile: { phone: PHONE }, fields: ['phone'] });
    expect(revealed.json.profile.email).toBeUndefined();
    const all = await reveal({ reason: '寄送发票' }, admin);
    expect(all.json.profile).toEqual({ email: 'wang.fang@example.com', phone: PHONE, birthday: '1990-03-07' });
    expect((await api.call('GET', `/contacts/${contactId}`, { token: lead })).json.profile.phone).toBe('138****5678');
  });

  it('admins find every read by contact, by staff member and by day; others may not search', async () => {
    const byContact = await log(`contactId=${contactId}`);
    const reveal = byContact.find((e) => e.action === 'reveal' && e.staff.sub === leadSub);
    expect(reveal).toMatchObject({ fields: ['phone'], masked: false, reason: '客户要求核对手机号', staff: { name: 'Chen Wei' } });
    expect(byContact.find((e) => e.action === 'view_360' && e.staff.sub === agentSub)).toMatchObject({
      masked: true,
      fields: expect.arrayContaining(['phone', 'email', 'orders']),
    });
    expect(byContact.find((e) => e.action === 'conversation' && e.staff.sub === agentSub)).toMatchObject({ masked: true, conversationId });
    expect(byContact.find((e) => e.action === 'conversation' && e.staff.sub === leadSub)).toMatchObject({ masked: false });
    expect(byContact.map((e) => e.at)).toEqual([...byContact.map((e) => e.at)].sort().reverse());

    const byLead = await log(`staff=${leadSub}`);
    expect(byLead.every((e) => e.staff.sub === leadSub)).toBe(true);
    expect(byLead.map((e) => e.entryId)).toContain(reveal!.entryId);
    expect((await log(`staff=${leadSub}&contactId=${contactId}`)).map((e) => e.action).sort()).toEqual(['conversation', 'reveal', 'view_360']);
    expect((await log(`day=${reveal!.at.slice(0, 10)}`)).map((e) => e.entryId)).toContain(reveal!.entryId);
    expect((await log('')).map((e) => e.entryId)).toContain(reveal!.entryId);
    expect(await log('day=2001-01-01')).toEqual([]);

    const first = await log(`contactId=${contactId}&limit=2`);
    expect(first).toHaveLength(2);
    const page = await api.call('GET', `/access-log?contactId=${contactId}&limit=2`, { token: admin });
    const next = await api.call('GET', `/access-log?contactId=${contactId}&limit=100&cursor=${page.json.cursor}`, { token: admin });
    expect([...page.json.items, ...next.json.items].map((e: Entry) => e.entryId)).toEqual(byContact.map((e) => e.entryId));

    for (const token of [agent, lead]) expect((await api.call('GET', '/access-log', { token })).status).toBe(403);
    expect((await api.call('GET', '/access-log?day=yesterday', { token: admin })).status).toBe(400);
    expect((await api.call('GET', '/access-log?who=x', { token: admin })).status).toBe(400);
  });

  it('exports the search as CSV with the reason', async () => {
    const res = await fetch(`${stack.urls.api}/access-log/export.csv?contactId=${contactId}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const csv = await res.text();
    expect(csv.split('\r\n')[0]).toContain('原因 / Reason');
    expect(csv).toContain('客户要求核对手机号');
    expect(csv).toContain('显示完整信息 / Revealed full details');
  });

  it('a repeated view within the window is one entry; a reveal is always its own', async () => {
    const count = async (action: string) => (await log(`staff=${agentSub}&contactId=${contactId}`)).filter((e) => e.action === action).length;
    const before = await count('view_360');
    await api.call('GET', `/contacts/${contactId}`, { token: agent });
    await api.call('GET', `/contacts/${contactId}`, { token: agent });
    expect(await count('view_360')).toBe(before);
    // a conversation and its thread read at the same moment (as the console opens it) are one look
    const adminSub = (await api.call('GET', '/staff/me', { token: admin })).json.sub;
    await Promise.all([
      api.call('GET', `/conversations/${conversationId}`, { token: admin }),
      api.call('GET', `/conversations/${conversationId}/messages`, { token: admin }),
      api.call('GET', `/conversations/${conversationId}/messages`, { token: admin }),
    ]);
    expect((await log(`staff=${adminSub}&contactId=${contactId}`)).filter((e) => e.action === 'conversation')).toHaveLength(1);
    const reveals = (await log(`staff=${leadSub}&contactId=${contactId}`)).filter((e) => e.action === 'reveal').length;
    await api.call('POST', `/contacts/${contactId}/reveal`, { token: lead, body: { reason: '再次核对' } });
    expect((await log(`staff=${leadSub}&contactId=${contactId}`)).filter((e) => e.action === 'reveal')).toHaveLength(reveals + 1);
  });

  it('the retention is a versioned admin setting; entries carry it as their TTL and expired ones are not shown', async () => {
    const settings = await api.call('GET', '/access-log/settings', { token: admin });
    expect(settings.json).toMatchObject({ retentionDays: 365, version: 0, bounds: { min: 30, max: 3650 } });
    expect((await api.call('GET', '/access-log/settings', { token: lead })).status).toBe(403);
    expect((await api.call('PUT', '/access-log/settings', { token: admin, body: { version: 0, retentionDays: 10 } })).status).toBe(400);
    expect((await api.call('PUT', '/access-log/settings', { token: admin, body: { version: 0, retentionDays: 90, extra: true } })).status).toBe(400);
    const saved = await api.call('PUT', '/access-log/settings', { token: admin, body: { version: 0, retentionDays: 90 } });
    expect(saved.json).toMatchObject({ retentionDays: 90, version: 1 });
    expect((await api.call('PUT', '/access-log/settings', { token: admin, body: { version: 0, retentionDays: 60 } })).status).toBe(409);

    const revealed = await api.call('POST', `/contacts/${contactId}/reveal`, { token: admin, body: { reason: '保留期检查' } });
    const entry = (await log(`contactId=${contactId}`)).find((e) => e.entryId === revealed.json.entryId)!;
    const items =
      (
        await stack.db.send(
          new QueryCommand({ TableName: 'Kefu', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': `ACCESSLOG#${contactId}` } }),
        )
      ).Items ?? [];
    const item = items.find((i) => i.entryId === entry.entryId)!;
    expect(item.ttl).toBe(Math.floor(Date.parse(entry.at) / 1000) + 90 * 86_400);

    const old = { ...item, ...keys.accessEntry(contactId, '2020-01-01T00:00:00.000Z', 'acc_expired'), entryId: 'acc_expired', ttl: 1_600_000_000 };
    await stack.db.send(new PutCommand({ TableName: 'Kefu', Item: old }));
    expect(
      (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: keys.accessEntry(contactId, '2020-01-01T00:00:00.000Z', 'acc_expired') }))).Item,
    ).toBeDefined();
    expect((await log(`contactId=${contactId}`)).map((e) => e.entryId)).not.toContain('acc_expired');
  });

  it('an admin export is recorded, and the shopper’s own export lists who looked at their data and why', async () => {
    const exported = await api.call('POST', `/contacts/${contactId}/export`, { token: admin, body: {} });
    expect(exported.status).toBe(202);
    expect((await log(`contactId=${contactId}`)).find((e) => e.action === 'export')).toMatchObject({
      masked: false,
      fields: expect.arrayContaining(['profile', 'orders']),
    });

    const me = await api.visitor({ id: customerId, hmac: hmacHex(secrets.identity, customerId) });
    const requested = await api.call('POST', '/widget/privacy/export', { token: me.token });
    expect(requested.status).toBe(202);
    const done = await until(async () => {
      const res = await api.call('GET', `/widget/privacy/export/${requested.json.taskId}`, { token: me.token });
      return res.json?.state === 'done' ? res.json : undefined;
    });
    const bundle = await (await fetch(done.download.url)).json();
    const seen = bundle.accessLog as { staff: string; action: string; reason?: string; actionText: { 'zh-CN': string } }[];
    expect(seen.find((e) => e.action === 'reveal' && e.staff === 'Chen Wei')).toMatchObject({
      reason: '客户要求核对手机号',
      actionText: { 'zh-CN': '显示完整信息' },
    });
    expect(seen.some((e) => e.action === 'view_360' && e.staff === 'Li Na')).toBe(true);
    expect(JSON.stringify(seen)).not.toContain(agentSub);
    expect(bundle.notice['zh-CN']).toContain('员工');
  });
});
