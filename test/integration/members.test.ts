import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { keys } from '#shared/store/keys.ts';
import { importMembers } from '../../bin/commands/import-members.ts';
import { importOrders } from '../../bin/commands/import-orders.ts';
import { until } from '../support/until.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
let api: string;
let shop: Record<string, unknown>;

async function call(method: string, path: string, init: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: {
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/** A signed request from the shop's backend (HMAC over timestamp + body). */
function signed(path: string, body: unknown) {
  const raw = JSON.stringify(body);
  const ts = String(Math.floor(Date.now() / 1000));
  return fetch(`${api}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-kefu-shop': 'demo',
      'x-kefu-timestamp': ts,
      'x-kefu-signature': hmacHex(shop.webhookSecret as string, `${ts}.${raw}`),
    },
    body: raw,
  }).then(async (res) => ({ status: res.status, json: await res.json() }));
}

async function staffToken(email: string) {
  const res = await call('POST', '/auth/login', { body: { email, password: 'kefu-demo' } });
  expect(res.status).toBe(200);
  return res.json.idToken as string;
}

async function get(key: { pk: string; sk: string }) {
  return (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: key, ConsistentRead: true }))).Item;
}

async function contactOf(customerId: string): Promise<string> {
  const item = await get(keys.contactByShopUser('demo', customerId));
  return item?.contactId as string;
}

async function ledgerOf(contactId: string) {
  const res = await stack.db.send(
    new QueryCommand({
      TableName: 'Kefu',
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': `CONTACT#${contactId}`, ':s': 'POINTS#' },
    }),
  );
  return res.Items ?? [];
}

async function lotsOf(contactId: string) {
  const res = await stack.db.send(
    new QueryCommand({
      TableName: 'Kefu',
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': `CONTACT#${contactId}`, ':s': 'PTLOT#' },
    }),
  );
  return res.Items ?? [];
}

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  api = stack.urls.api.replace(/\/$/, '');
  shop = (await get(keys.shop('demo')))!;
});
afterAll(async () => {
  await stack?.stop();
});

const order = (eventId: string, type: string, occurredAt: string, orderId: string, amount: number, customerId = 'm-cust-1') => ({
  eventId,
  type,
  occurredAt,
  data: { orderId, customerId, amount },
});

describe('members over the local stack', () => {
  it('order.paid twice and out of order with order.refunded gives the right points, RFM and ledger', async () => {
    const paidA = order('ev-a-paid', 'order.paid', '2026-03-01T10:00:00Z', 'm-ord-a', 200);
    const refundB = order('ev-b-refund', 'order.refunded', '2026-03-03T10:00:00Z', 'm-ord-b', 80);
    const paidB = order('ev-b-paid', 'order.paid', '2026-03-02T10:00:00Z', 'm-ord-b', 80);
    for (const e of [paidA, paidA, { ...paidA, eventId: 'ev-a-paid-resent' }, refundB, paidB]) expect((await signed('/shop/events', e)).status).toBe(202);
    const contactId = await until(() => contactOf('m-cust-1'));
    const settled = await until(async () => {
      const c = await get(keys.contact(contactId));
      const b = await get(keys.order('m-ord-b'));
      return c?.orderCount === 1 && b?.paidAt ? c : undefined;
    });
    expect(settled).toMatchObject({
      orderCount: 1,
      totalSpend: 200,
      pointsBalance: 200,
      pointsEarned: 200,
      tierId: 'bronze',
      lastOrderAt: '2026-03-01T10:00:00Z',
    });
    expect(await get(keys.order('m-ord-b'))).toMatchObject({ status: 'refunded', refunded: true });
    expect((await get(keys.order('m-ord-b')))?.counted).toBeUndefined();

    const redeem = await signed('/shop/points/redeem', { customerId: 'm-cust-1', redemptionId: 'rd-1', points: 150 });
    expect(redeem).toMatchObject({ status: 200, json: { balance: 50, points: -150 } });
    expect((await signed('/shop/points/redeem', { customerId: 'm-cust-1', redemptionId: 'rd-1', points: 150 })).json).toMatchObject({
      duplicate: true,
      balance: 50,
    });
    expect((await signed('/shop/points/redeem', { customerId: 'm-cust-1', redemptionId: 'rd-2', points: 51 })).status).toBe(409);

    expect((await signed('/shop/events', order('ev-a-refund', 'order.refunded', '2026-03-05T10:00:00Z', 'm-ord-a', 200))).status).toBe(202);
    const after = await until(async () => {
      const c = await get(keys.contact(contactId));
      return c?.orderCount === 0 ? c : undefined;
    });
    expect(after).toMatchObject({ orderCount: 0, totalSpend: 0, pointsBalance: 0 });
    const ledger = await ledgerOf(contactId);
    expect(ledger.map((e) => [e.kind, e.points]).sort()).toEqual([
      ['earn', 200],
      ['redeem', -150],
      ['reverse', -50],
    ]);
    expect(ledger.find((e) => e.kind === 'reverse')?.shortfall).toBe(150);
    expect(await lotsOf(contactId)).toEqual([]);
  });

  it('a verified shopper sees tier, points and perks in zh and en; an anonymous visitor is refused', async () => {
    const events = [order('ev-v-paid', 'order.paid', new Date(Date.now() - 86_400_000).toISOString(), 'm-ord-v', 620, 'm-vip-1')];
    for (const e of events) expect((await signed('/shop/events', e)).status).toBe(202);
    const contactId = await until(() => contactOf('m-vip-1'));
    await until(async () => ((await get(keys.contact(contactId)))?.orderCount === 1 ? true : undefined));

    const session = await call('POST', '/widget/session', {
      body: { shopId: 'demo', user: { id: 'm-vip-1', hmac: hmacHex(shop.identitySecret as string, 'm-vip-1') } },
    });
    expect(session.json).toMatchObject({ verified: true, contactId });
    const membership = await call('GET', '/widget/membership', { token: session.json.token });
    expect(membership.status).toBe(200);
    expect(membership.json.tier).toMatchObject({ tierId: 'silver', name: { zh: '银卡会员', en: 'Silver' } });
    expect(membership.json.points).toMatchObject({ balance: 620, lifetimeEarned: 620 });
    expect(membership.json.benefits.perks[0]).toEqual({ zh: '积分 1.25 倍', en: '1.25× points' });
    expect(membership.json.benefits.slaPolicyId).toBeUndefined();
    expect(membership.json.nextTier).toMatchObject({ tierId: 'gold', spendToGo: 1380 });

    const timeline = await stack.db.send(
      new QueryCommand({
        TableName: 'Kefu',
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':p': `CONTACT#${contactId}`, ':s': 'EVENT#' },
      }),
    );
    expect(timeline.Items?.[0]).toMatchObject({ type: 'member.tier_changed', from: 'bronze', to: 'silver', direction: 'up' });
    const outbox = await stack.db.send(
      new QueryCommand({ TableName: 'Kefu', IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': 'OUTBOX#PENDING' } }),
    );
    expect(outbox.Items?.some((e) => e.contactId === contactId && e.to === 'silver')).toBe(true);

    const anonymous = await call('POST', '/widget/session', { body: { shopId: 'demo' } });
    expect((await call('GET', '/widget/membership', { token: anonymous.json.token })).status).toBe(403);
    expect((await call('GET', '/widget/membership')).status).toBe(401);
  });

  it('staff: 360 view, lookups, adjustments by role with idempotency; tier admin by admins only', async () => {
    const contactId = await until(() => contactOf('m-vip-1'));
    const agent = await staffToken('agent@demo.kefu');
    const lead = await staffToken('lead@demo.kefu');
    const admin = await staffToken('admin@demo.kefu');
    const marketing = await staffToken('marketing@demo.kefu');

    const view = await call('GET', `/contacts/${contactId}`, { token: agent });
    expect(view.status).toBe(200);
    expect(view.json.rfm).toMatchObject({ orderCount: 1, totalSpend: 620, avgSpend: 620 });
    expect(view.json.membership.tier.tierId).toBe('silver');
    expect(view.json.membership.benefits.slaPolicyId).toBeUndefined();
    expect(view.json.recentOrders[0]).toMatchObject({ orderId: 'm-ord-v', status: 'paid' });
    expect(view.json.points.items[0]).toMatchObject({ kind: 'earn', points: 620 });
    expect(view.json.timeline[0]).toMatchObject({ to: 'silver' });
    expect((await call('GET', '/contacts/con_doesnotexist0000000000000', { token: agent })).status).toBe(404);
    expect((await call('GET', `/contacts/${contactId}`, { token: marketing })).status).toBe(403);

    const lookup = await call('GET', '/contacts?shopId=demo&shopUserId=m-vip-1', { token: agent });
    expect(lookup.json.items.map((c: { contactId: string }) => c.contactId)).toEqual([contactId]);
    expect((await call('GET', '/contacts?shopId=demo', { token: agent })).status).toBe(400);
    await signed('/shop/events', {
      eventId: 'ev-m-1',
      type: 'member.upserted',
      occurredAt: '2026-03-01T00:00:00Z',
      data: { customerId: 'm-vip-1', email: 'VIP@Example.com', name: '王芳' },
    });
    const byEmail = await until(async () => {
      const res = await call('GET', '/contacts?email=vip@example.com', { token: agent });
      return res.json.items.length > 0 ? res.json : undefined;
    });
    expect(byEmail.items[0]).toMatchObject({ contactId, name: '王芳' });

    const adjust = { points: 30, reason: 'goodwill for a late parcel', adjustmentId: 'adj-0000001' };
    expect((await call('POST', `/contacts/${contactId}/points`, { token: agent, body: adjust })).status).toBe(403);
    const first = await call('POST', `/contacts/${contactId}/points`, { token: lead, body: adjust });
    expect(first).toMatchObject({ status: 201, json: { balance: 650, entry: { kind: 'adjust', points: 30, reason: adjust.reason } } });
    expect((await call('POST', `/contacts/${contactId}/points`, { token: lead, body: adjust })).json).toMatchObject({ duplicate: true, balance: 650 });
    const tooMuch = await call('POST', `/contacts/${contactId}/points`, { token: admin, body: { points: -651, reason: 'correction' } });
    expect(tooMuch.status).toBe(409);
    expect((await call('POST', `/contacts/${contactId}/points`, { token: admin, body: { points: 5, reason: 'x', role: 'admin' } })).status).toBe(400);
    const page = await call('GET', `/contacts/${contactId}/points?limit=1`, { token: agent });
    expect(page.json.items).toHaveLength(1);
    const page2 = await call('GET', `/contacts/${contactId}/points?limit=1&cursor=${page.json.cursor}`, { token: agent });
    expect(page2.json.items[0].entryId).not.toBe(page.json.items[0].entryId);

    const tiers = await call('GET', '/tiers', { token: marketing });
    expect(tiers.json.defaults).toBe(true);
    const gold = tiers.json.tiers.find((t: { tierId: string }) => t.tierId === 'gold');
    const { tierId: _id, version: _v, ...goldBody } = gold;
    expect((await call('PUT', '/tiers/gold', { token: marketing, body: { ...goldBody, minSpend: 600 } })).status).toBe(403);
    const saved = await call('PUT', '/tiers/gold', { token: admin, body: { ...goldBody, minSpend: 600, minPoints: undefined } });
    expect(saved).toMatchObject({ status: 200, json: { tierId: 'gold', minSpend: 600, version: 1 } });
    expect((await call('PUT', '/tiers/gold', { token: admin, body: { ...goldBody, minSpend: 700 } })).status).toBe(409);
    expect((await call('PUT', '/tiers/bronze', { token: admin, body: { ...goldBody, rank: 0, version: 1 } })).status).toBe(400);
    expect((await call('DELETE', '/tiers/silver', { token: admin })).status).toBe(409);
    const listed = await call('GET', '/tiers', { token: admin });
    expect(listed.json).toMatchObject({ defaults: false });
    expect(listed.json.tiers.map((t: { tierId: string }) => t.tierId)).toEqual(['bronze', 'silver', 'gold', 'platinum']);

    expect((await signed('/shop/events', order('ev-v-paid-2', 'order.paid', new Date().toISOString(), 'm-ord-v2', 10, 'm-vip-1'))).status).toBe(202);
    const upgraded = await until(async () => {
      const c = await get(keys.contact(contactId));
      return c?.orderCount === 2 ? c : undefined;
    });
    expect(upgraded).toMatchObject({ tierId: 'gold', pointsBalance: 650 + 12 });
    const restored = await call('PUT', '/tiers/gold', { token: admin, body: { ...goldBody, version: 1 } });
    expect(restored.json.version).toBe(2);
  });

  it('imports CDNOW orders through the consumer code: RFM matches a recomputation from the file; a re-run changes nothing; expiry runs by schedule', async () => {
    const csv = readFileSync('/work/shared/eval/cdnow/orders-sample.csv', 'utf8').trim().split('\n');
    const [header, ...rows] = csv;
    const subset = rows.filter((r) => r <= 'cdnow-00200,~' || r.startsWith('cdnow-19339,'));
    expect(subset.length).toBe(120);
    const dir = mkdtempSync(join(tmpdir(), 'kefu-import-'));
    const file = join(dir, 'orders.csv');
    writeFileSync(file, [header, ...subset, 'cdnow-00001,1997-13-45,1,10.00', ',1997-01-01,1,5'].join('\n'));
    const lines: string[] = [];
    const progress: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    const sink = { tty: false, write: (t: string) => progress.push(t) };
    const values = { file, endpoint: stack.dynamoEndpoint, table: 'Kefu', concurrency: '8' };
    const first = await importOrders(values, io, sink);
    expect(first).toMatchObject({ rows: subset.length + 2, imported: subset.length, skipped: 2, failed: 0 });
    expect(Object.keys(first.reasons).join()).toMatch(/date "1997-13-45"/);
    expect(progress.at(-1)).toMatch(/100% \(\d+\/\d+\)/);
    expect(lines[0]).toMatch(/imported \d+, unchanged 0/);

    const expected = new Map<string, { count: number; cents: number; last: string }>();
    for (const row of subset) {
      const [customer, date, , amount] = row.split(',') as [string, string, string, string];
      const e = expected.get(customer) ?? { count: 0, cents: 0, last: '' };
      e.count++;
      e.cents += Math.round(Number(amount) * 100);
      if (date > e.last) e.last = date;
      expected.set(customer, e);
    }
    for (const [customer, e] of expected) {
      const contact = await get(keys.contact(await contactOf(customer)));
      expect(contact, customer).toMatchObject({ orderCount: e.count, totalSpend: e.cents / 100, lastOrderAt: `${e.last}T00:00:00Z` });
      const ledger = await ledgerOf(contact!.contactId as string);
      expect(
        ledger.reduce((s, x) => s + Number(x.points), 0),
        customer,
      ).toBe(contact!.pointsBalance);
    }
    const heavy = await get(keys.contact(await contactOf('cdnow-19339')));
    expect(heavy?.tierId).not.toBe('bronze');

    const again = await importOrders(values, io, sink);
    expect(again).toMatchObject({ imported: 0, unchanged: subset.length, skipped: 2 });
    expect((await get(keys.contact(await contactOf('cdnow-19339'))))?.version).toBe(heavy?.version);

    await stack.scheduler.runNow('points-expire');
    const expiredContact = await get(keys.contact(await contactOf('cdnow-19339')));
    expect(expiredContact?.pointsBalance).toBe(0);
    expect(await lotsOf(expiredContact!.contactId as string)).toEqual([]);
    const ledger = await ledgerOf(expiredContact!.contactId as string);
    expect(ledger.some((e) => e.kind === 'expire')).toBe(true);
    expect(ledger.reduce((s, x) => s + Number(x.points), 0)).toBe(0);

    await stack.scheduler.runNow('tiers-review');
    const reviewed = await get(keys.contact(await contactOf('cdnow-19339')));
    expect(reviewed?.tierGraceUntil).toBeDefined();
    expect(reviewed?.tierId).toBe(heavy?.tierId);
  }, 90_000);

  it('imports orders of a customer with live data through the live path and new customers in batches; a re-run imports nothing twice', async () => {
    expect((await signed('/shop/events', order('ev-mix-live', 'order.paid', '2026-04-01T00:00:00Z', 'mix-o1', 100, 'mix-live'))).status).toBe(202);
    const liveId = await until(async () => {
      const id = await contactOf('mix-live');
      return id && (await get(keys.contact(id)))?.orderCount === 1 ? id : undefined;
    });
    const dir = mkdtempSync(join(tmpdir(), 'kefu-import-mix-'));
    const file = join(dir, 'orders.csv');
    writeFileSync(
      file,
      [
        'customer_id,date,quantity,amount,order_id',
        'mix-live,2026-04-01,1,100,mix-o1',
        'mix-live,2026-04-02,1,50,mix-o2',
        'mix-new,2026-04-03,1,30,mix-o3',
        'mix-new,2026-04-04,2,70,mix-o4',
      ].join('\n'),
    );
    const io = { out: () => {}, err: () => {} };
    const sink = { tty: false, write: () => {} };
    const values = { file, endpoint: stack.dynamoEndpoint, table: 'Kefu', concurrency: '4' };
    expect(await importOrders(values, io, sink)).toMatchObject({ rows: 4, imported: 3, unchanged: 1, failed: 0 });
    expect(await contactOf('mix-live')).toBe(liveId);
    expect(await get(keys.contact(liveId))).toMatchObject({ orderCount: 2, totalSpend: 150, pointsBalance: 150 });
    const fresh = await get(keys.contact(await contactOf('mix-new')));
    expect(fresh).toMatchObject({ orderCount: 2, totalSpend: 100, pointsBalance: 100, firstOrderAt: '2026-04-03T00:00:00Z', tierId: 'bronze', version: 1 });
    expect((await ledgerOf(fresh!.contactId as string)).reduce((sum, e) => sum + Number(e.points), 0)).toBe(100);
    expect(await get(keys.order('mix-o4'))).toMatchObject({ contactId: fresh!.contactId, counted: true, countedAmount: 70 });
    expect(await importOrders(values, io, sink)).toMatchObject({ imported: 0, unchanged: 4, failed: 0 });
    expect(await get(keys.contact(liveId))).toMatchObject({ orderCount: 2, totalSpend: 150 });
    expect((await get(keys.contact(fresh!.contactId as string)))?.version).toBe(1);
  });

  it('imports members: profiles and the email index through the consumer code; a re-run of the same file changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-members-'));
    const file = join(dir, 'members.csv');
    writeFileSync(
      file,
      'customer_id,name,email,locale,birthday\ncdnow-00004,"Zhang, Wei",zw@example.com,zh-CN,1990-05-01\nm-new-1,Ann,ann@example.com,en,\nm-bad,Bad,not-an-email,en,\n',
    );
    const io = { out: () => {}, err: () => {} };
    const sink = { tty: false, write: () => {} };
    const values = { file, endpoint: stack.dynamoEndpoint, table: 'Kefu', 'as-of': '2026-05-01' };
    expect(await importMembers(values, io, sink)).toMatchObject({ imported: 2, skipped: 1, failed: 0 });
    const zhang = await get(keys.contact(await contactOf('cdnow-00004')));
    expect(zhang).toMatchObject({ name: 'Zhang, Wei', email: 'zw@example.com', locale: 'zh-CN', birthday: '1990-05-01', orderCount: 4 });
    expect((await get(keys.contactByEmail('ann@example.com')))?.contactId).toBe(await contactOf('m-new-1'));
    expect(await importMembers(values, io, sink)).toMatchObject({ imported: 0, unchanged: 2, skipped: 1 });
  });
});
