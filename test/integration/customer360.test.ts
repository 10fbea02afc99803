/**
 * The customer 360 over the local stack: churn risk and labels in `GET /contacts/{contactId}`,
 * labels set by agents and by the shop's signed API (normalised, bounded, versioned) and matched by
 * a segment's label condition, the points ledger with who adjusted and why, and who may adjust,
 * export and erase.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
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
let marketing: string;

const stamp = Date.now().toString(36);
const customerId = `c360-${stamp}`;
/** Full-width forms of ASCII (what a Chinese keyboard may type): NFKC turns them back. */
const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

function signed(path: string, body: unknown, secret = secrets.webhook) {
  const raw = JSON.stringify(body);
  const ts = String(Math.floor(Date.now() / 1000));
  return api.call('POST', path, { body: raw, headers: { 'x-kefu-shop': 'demo', 'x-kefu-timestamp': ts, 'x-kefu-signature': hmacHex(secret, `${ts}.${raw}`) } });
}

const contact = (contactId: string, token = agent) => api.call('GET', `/contacts/${contactId}`, { token });
const previewCount = async (conditions: unknown) => {
  const res = await api.call('POST', '/segments/preview', { token: marketing, body: { conditions } });
  expect(res.status).toBe(200);
  expect(res.json.exact).toBe(true);
  return res.json.count as number;
};

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  api = apiClient(stack.urls.api);
  const shop = await getShop('demo');
  if (!shop) throw new Error('the demo shop was not seeded');
  secrets = { webhook: shop.webhookSecret, identity: shop.identitySecret };
  agent = await api.staff('agent@demo.kefu');
  lead = await api.staff('lead@demo.kefu');
  admin = await api.staff('admin@demo.kefu');
  marketing = await api.staff('marketing@demo.kefu');
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('customer 360 over the local stack', () => {
  let contactId: string;

  it('shows the churn risk, its level and its reasons in both languages once an order is scored', async () => {
    const me = await api.visitor({ id: customerId, hmac: hmacHex(secrets.identity, customerId) });
    contactId = me.contactId;
    const before = await contact(contactId);
    expect(before.status).toBe(200);
    expect(before.json.churn).toBeUndefined();
    expect(before.json).toMatchObject({ labels: [], labelsVersion: 0 });

    // one order, ten months ago: a one-time buyer who went quiet
    const paid = { eventId: `ev-${stamp}`, type: 'order.paid', occurredAt: daysAgo(300), data: { orderId: `o-${stamp}`, customerId, amount: 180 } };
    expect((await signed('/shop/events', paid)).status).toBe(202);
    const scored = await until(
      async () => {
        const res = await contact(contactId);
        return res.json?.churn ? res.json : undefined;
      },
      { what: 'the churn score' },
    );
    expect(scored.churn.level).toBe('high');
    expect(scored.churn.risk).toBeGreaterThanOrEqual(0.7);
    expect(scored.churn.levelText).toEqual({ zh: '流失风险高', en: 'High churn risk' });
    expect(scored.churn.reasons.length).toBeGreaterThan(0);
    for (const reason of scored.churn.reasons) {
      expect(reason.code).toMatch(/^[a-z_]+$/);
      expect(reason.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(reason.en).toMatch(/[a-z]/);
    }
    // the same reasons as the marketing early-warning list
    const list = await api.call('GET', '/churn/members?level=high&limit=100', { token: marketing });
    const row = list.json.items.find((r: { contactId: string }) => r.contactId === contactId);
    expect(row.reasons).toEqual(scored.churn.reasons);
  });

  it('agents set labels (normalised, versioned); a segment on a label then counts the contact', async () => {
    const label = `vip${stamp}`;
    expect(await previewCount({ labels: { any: [label] } })).toBe(0);

    const put = (labels: unknown, version: unknown, token = agent) => api.call('PUT', `/contacts/${contactId}/labels`, { token, body: { labels, version } });
    const saved = await put([`  ${fullWidth(label)} `, '大客户', label, '爱\u200b买   鞋'], 0);
    expect(saved.status).toBe(200);
    expect(saved.json).toEqual({ labels: [label, '大客户', '爱买 鞋'], version: 1, changed: true });
    expect((await contact(contactId)).json).toMatchObject({ labels: [label, '大客户', '爱买 鞋'], labelsVersion: 1 });

    expect(await previewCount({ labels: { any: [label] } })).toBe(1);
    expect(await previewCount({ labels: { all: [label, '大客户'] } })).toBe(1);
    expect(await previewCount({ labels: { any: [label] }, churnLevels: ['high'] })).toBe(1);
    expect(await previewCount({ labels: { any: [label], none: ['大客户'] } })).toBe(0);

    // a stale version is refused, not overwritten
    const stale = await put([label], 0);
    expect(stale.status).toBe(409);
    expect((await contact(contactId)).json.labels).toEqual([label, '大客户', '爱买 鞋']);

    // removing: the same list without it, at the version read
    const removed = await put([label, '爱买 鞋'], 1);
    expect(removed.json).toMatchObject({ labels: [label, '爱买 鞋'], version: 2 });
    expect(await previewCount({ labels: { any: ['大客户'] } })).toBe(0);
    const unchanged = await put([label, '爱买 鞋'], 2);
    expect(unchanged.json).toMatchObject({ version: 2, changed: false });

    // the timeline says who changed what
    const timeline = (await contact(contactId)).json.timeline as { type: string; added?: number; removed?: number; by?: { kind: string } }[];
    expect(timeline.filter((e) => e.type === 'contact.labels_changed').map((e) => [e.added, e.removed, e.by?.kind])).toEqual([
      [0, 1, 'staff'],
      [3, 0, 'staff'],
    ]);
    expect(JSON.stringify(timeline)).not.toContain(label);
  });

  it('refuses bad label input with a 400 (translated) and changes nothing', async () => {
    const put = (body: unknown, headers: Record<string, string> = {}) => api.call('PUT', `/contacts/${contactId}/labels`, { token: agent, body, headers });
    const bad = [
      { labels: ['x'.repeat(33)], version: 2 },
      { labels: ['   '], version: 2 },
      { labels: ['a,b'], version: 2 },
      { labels: ['a，b'], version: 2 },
      { labels: Array.from({ length: 21 }, (_, i) => `l${i}`), version: 2 },
      { labels: ['ok'] },
      { labels: ['ok'], version: 2, extra: true },
      { labels: 'ok', version: 2 },
    ];
    for (const body of bad) expect((await put(body)).status, JSON.stringify(body)).toBe(400);
    const zh = await put({ labels: ['x'.repeat(33)], version: 2 }, { 'accept-language': 'zh-CN' });
    expect(zh.status).toBe(400);
    expect(zh.json.message).toMatch(/[\u4e00-\u9fff]/);
    expect((await put({ labels: ['ok'], version: 2 }, { authorization: '' })).status).toBe(401);
    expect((await api.call('PUT', '/contacts/cnt_missing/labels', { token: agent, body: { labels: ['ok'], version: 0 } })).status).toBe(404);
    expect((await api.call('PUT', `/contacts/${contactId}/labels`, { token: marketing, body: { labels: ['ok'], version: 2 } })).status).toBe(403);
    expect((await contact(contactId)).json.labelsVersion).toBe(2);
  });

  it('the shop’s backend adds and removes labels through the signed API; segments follow', async () => {
    const gold = `shop-gold-${stamp}`;
    const added = await signed('/shop/labels', { customerId, add: [fullWidth(gold), gold] });
    expect(added.status).toBe(200);
    expect(added.json).toMatchObject({ customerId, changed: true });
    expect(added.json.labels).toContain(gold);
    expect(await previewCount({ labels: { any: [gold] } })).toBe(1);
    const again = await signed('/shop/labels', { customerId, add: [gold] });
    expect(again.json.changed).toBe(false);

    expect((await signed('/shop/labels', { customerId })).status).toBe(400);
    expect((await signed('/shop/labels', { customerId, add: ['a,b'] })).status).toBe(400);
    expect((await signed('/shop/labels', { customerId, add: ['x'], extra: 1 })).status).toBe(400);
    expect((await signed('/shop/labels', { customerId: 'nobody-here', add: ['x'] })).status).toBe(404);
    expect((await signed('/shop/labels', { customerId, add: ['x'] }, 'not-the-secret')).status).toBe(401);
    const tooMany = await signed('/shop/labels', { customerId, add: Array.from({ length: 20 }, (_, i) => `bulk-${i}`) });
    expect(tooMany.status).toBe(409);

    const dropped = await signed('/shop/labels', { customerId, remove: [gold] });
    expect(dropped.json.labels).not.toContain(gold);
    expect(await previewCount({ labels: { any: [gold] } })).toBe(0);
    const timeline = (await contact(contactId)).json.timeline as { type: string; by?: { kind: string } }[];
    expect(timeline.filter((e) => e.type === 'contact.labels_changed').map((e) => e.by?.kind)).toEqual(['shop', 'shop', 'staff', 'staff']);
  });

  it('supervisors adjust points with a reason; the ledger says who and why; agents may only read it', async () => {
    const path = `/contacts/${contactId}/points`;
    expect((await api.call('POST', path, { token: agent, body: { points: 50, reason: '补偿物流延误' } })).status).toBe(403);
    for (const body of [
      { points: 50 },
      { points: 50, reason: '  ' },
      { points: 0, reason: '补偿物流延误' },
      { points: 1.5, reason: '补偿物流延误' },
      { points: 5, reason: '补偿物流延误', x: 1 },
    ]) {
      expect((await api.call('POST', path, { token: lead, body })).status, JSON.stringify(body)).toBe(400);
    }
    const adjusted = await api.call('POST', path, { token: lead, body: { points: 50, reason: '补偿物流延误', adjustmentId: `adj-${stamp}-1` } });
    expect(adjusted.status).toBe(201);
    const short = await api.call('POST', path, { token: lead, body: { points: -1_000_000, reason: '清零测试', adjustmentId: `adj-${stamp}-2` } });
    expect(short.status).toBe(409);
    expect(short.json.details.code).toBe('insufficient_points');

    const ledger = await api.call('GET', `${path}?limit=5`, { token: agent });
    expect(ledger.status).toBe(200);
    expect(ledger.json.items[0]).toMatchObject({ kind: 'adjust', points: 50, reason: '补偿物流延误', actorName: 'Chen Wei' });
    expect(ledger.json.items[0].actor).toEqual(expect.any(String));
    expect(ledger.json.items.find((e: { kind: string }) => e.kind === 'earn')?.actorName).toBeUndefined();
  });

  it('only admins export and erase; an erasure reports its steps', async () => {
    for (const token of [agent, lead]) {
      expect((await api.call('POST', `/contacts/${contactId}/export`, { token })).status).toBe(403);
      expect((await api.call('POST', `/contacts/${contactId}/erase`, { token })).status).toBe(403);
    }
    expect((await api.call('POST', `/contacts/${contactId}/export?extra=1`, { token: admin })).status).toBe(400);
    expect((await api.call('GET', '/privacy-tasks/not-a-task', { token: admin })).status).toBe(400);

    expect((await api.call('POST', `/contacts/${contactId}/export`, { token: admin, body: { internalNotes: true } })).status).toBe(400);
    // the console posts an empty object
    const exported = await api.call('POST', `/contacts/${contactId}/export`, { token: admin, body: {} });
    expect(exported.status).toBe(202);
    expect(exported.json.totalSteps).toBeUndefined();
    const done = await until(async () => {
      const res = await api.call('GET', `/privacy-tasks/${exported.json.taskId}`, { token: admin });
      return res.json?.state === 'done' ? res.json : undefined;
    });
    expect(done.download.url).toMatch(/^https?:\/\//);
    expect(done.counts.pointsLedger).toBeGreaterThan(0);

    const erased = await api.call('POST', `/contacts/${contactId}/erase`, { token: admin });
    expect(erased.status).toBe(202);
    expect(erased.json).toMatchObject({ kind: 'erase', totalSteps: 8 });
    const finished = await until(async () => {
      const res = await api.call('GET', `/privacy-tasks/${erased.json.taskId}`, { token: admin });
      return res.json?.state === 'done' ? res.json : undefined;
    });
    expect(finished.steps).toHaveLength(finished.totalSteps);
  });
});
