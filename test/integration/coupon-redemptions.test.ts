/**
 * Coupon redemption on the local stack: a coupon campaign gives members codes, the shop posts a
 * signed `coupon.redeemed` for one (twice, and again under another event id), and the campaign report
 * and the pool's stock count one redemption; an unknown code is ignored without a redelivery loop.
 */
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { keys } from '#shared/store/keys.ts';
import { seedMembers } from '../../bench/campaign-fanout.ts';
import { apiClient } from '../support/api.ts';
import { launchCouponCampaign } from '../support/coupon-campaign.ts';

let stack: Awaited<ReturnType<typeof startLocalStack>>;
let client: ReturnType<typeof apiClient>;
let marketing: string;
let webhookSecret: string;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true });
  client = apiClient(stack.urls.api.replace(/\/$/, ''));
  marketing = await client.staff('marketing@demo.kefu');
  const shop = (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: keys.shop('demo') }))).Item!;
  webhookSecret = shop.webhookSecret as string;
});
afterAll(async () => stack?.stop());

/** A shop event signed like the shop's backend signs it. */
function shopEvent(body: unknown, headers: Record<string, string> = {}) {
  const raw = JSON.stringify(body);
  const ts = String(Math.floor(Date.now() / 1000));
  return client.call('POST', '/shop/events', {
    body: raw,
    headers: { ...headers, 'x-kefu-shop': 'demo', 'x-kefu-timestamp': ts, 'x-kefu-signature': hmacHex(webhookSecret, `${ts}.${raw}`) },
  });
}

const redeemed = (eventId: string, code: string, data: Record<string, unknown> = {}) => ({
  eventId,
  type: 'coupon.redeemed',
  occurredAt: new Date().toISOString(),
  data: { code, ...data },
});

const MEMBERS = 3;
const member = (i: number) => ({
  contactId: `con_redeem${i}`,
  shopUserId: `redeem-u${i}`,
  name: `会员${i}`,
  locale: 'zh-CN' as const,
  consent: { widget: true },
  labels: ['coupon-redeem'],
});

describe('a coupon campaign’s redemptions', () => {
  it('counts a code the shop redeemed once, in the campaign report and the pool’s stock; an unknown code is ignored', async () => {
    await seedMembers(
      stack.db,
      Array.from({ length: MEMBERS }, (_, i) => member(i)),
    );
    expect(
      (
        await client.call('PUT', '/segments/coupon-redeem', {
          token: marketing,
          body: { name: '核销测试', conditions: { labels: { any: ['coupon-redeem'] } } },
        })
      ).status,
    ).toBe(200);
    const pool = await client.call('POST', '/coupons/pools', {
      token: marketing,
      body: {
        name: { zh: '满199减20', en: '20 off 199' },
        value: 20,
        threshold: 199,
        expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        generate: { count: 10, alphabet: 'ABCDEFGHJKMNPQRSTUVWXYZ23456789', length: 10 },
      },
    });
    expect(pool.status).toBe(201);
    const poolId = pool.json.pool.poolId as string;
    const campaignId = await launchCouponCampaign(client, marketing, {
      name: '礼券核销',
      segmentId: 'coupon-redeem',
      channels: ['widget'],
      content: { widget: { zh: { title: '礼券', body: '券码 {{couponCode}}' }, en: { title: 'Coupon', body: 'Code {{couponCode}}' } } },
      poolId,
      members: MEMBERS,
    });
    const claim = (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: keys.couponClaim(poolId, `campaign#${campaignId}#con_redeem0`) }))).Item!;
    const code = claim.code as string;

    const before = await client.call('GET', `/campaigns/${campaignId}/report`, { token: marketing });
    expect(before.json.coupon).toEqual({ poolId, given: MEMBERS, redeemed: 0, rate: 0, revenue: 0 });

    // the event, then the same event again, the same code under another event id, and a code Kefu never gave
    const first = redeemed(`ev-redeem-${code}`, code, { orderId: 'O-redeem-1', customerId: 'redeem-u0', amount: 219 });
    expect((await shopEvent(first)).status).toBe(202);
    await stack.quiesce();
    for (const body of [first, redeemed(`ev-redeem-again-${code}`, code, { orderId: 'O-redeem-2', amount: 500 }), redeemed('ev-redeem-unknown', 'NOSUCHCODE1')])
      expect((await shopEvent(body)).status).toBe(202);
    await stack.quiesce();

    const report = await client.call('GET', `/campaigns/${campaignId}/report`, { token: marketing });
    expect(report.status).toBe(200);
    expect(report.json.coupon).toEqual({ poolId, given: MEMBERS, redeemed: 1, rate: 1 / MEMBERS, revenue: 219 });
    const stock = await client.call('GET', '/coupons/pools', { token: marketing });
    expect(stock.json.pools.find((p: { poolId: string }) => p.poolId === poolId)).toMatchObject({ total: 10, claimed: MEMBERS, redeemed: 1 });
    // the code names its claim and the campaign that gave it; the first redemption is the one kept
    const item = (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: keys.couponCode(poolId, code) }))).Item!;
    expect(item).toMatchObject({ claimedBy: `campaign#${campaignId}#con_redeem0`, campaignId, redeemedOrderId: 'O-redeem-1', redeemedAmount: 219 });

    // nothing went to the dead-letter queue: the unknown code was ignored, not retried
    const dead = await stack.sqs.client.send(
      new ReceiveMessageCommand({ QueueUrl: stack.sqs.dlqUrl('shop-events'), WaitTimeSeconds: 0, MaxNumberOfMessages: 10 }),
    );
    expect((dead.Messages ?? []).filter((m) => m.Body?.includes('coupon.redeemed'))).toEqual([]);
  }, 180_000);

  it('refuses a redemption without a code, or with fields the event does not have, in the caller’s language', async () => {
    const missing = await shopEvent({ eventId: 'ev-bad-1', type: 'coupon.redeemed', occurredAt: new Date().toISOString(), data: { orderId: 'O-1' } });
    expect(missing.status).toBe(400);
    const extra = await shopEvent(redeemed('ev-bad-2', 'ABCD2345', { discount: 20 }));
    expect(extra.status).toBe(400);
    const notACode = await shopEvent(redeemed('ev-bad-3', 'AB C'), { 'accept-language': 'zh-CN' });
    expect(notACode.status).toBe(400);
    expect(notACode.json.details.fields).toEqual([
      { path: 'data.code', message: '券码应为 4–40 个字母、数字或短横线', en: 'a coupon code is 4–40 letters, digits or dashes' },
    ]);
  });
});
