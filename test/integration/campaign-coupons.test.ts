/** A campaign that offers a coupon, on the local stack: one code per member, never twice; past the stock the message goes without one. */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
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
let identitySecret: string;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true });
  client = apiClient(stack.urls.api.replace(/\/$/, ''));
  marketing = await client.staff('marketing@demo.kefu');
  const shop = (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: keys.shop('demo') }))).Item!;
  identitySecret = shop.identitySecret as string;
});
afterAll(async () => stack?.stop());

const MEMBERS = 5;
const CODES = 3;
const member = (i: number) => ({
  contactId: `con_cpnmember${i}`,
  shopUserId: `cpn-u${i}`,
  name: `会员${i}`,
  email: `cpn${i}@example.com`,
  locale: i % 2 ? ('en' as const) : ('zh-CN' as const),
  consent: { widget: true, email: true },
  labels: ['coupon-recall'],
});

const content = {
  widget: {
    zh: { title: '回归礼券', body: '{{name}}，送您一张{{couponTerms}}的优惠券：{{couponCode}}' },
    en: { title: 'A coupon for you', body: 'Hi {{name}}, here is a coupon: {{couponCode}} ({{couponTerms}})' },
  },
  email: {
    zh: { subject: '{{name}}，送您一张优惠券', body: '好久不见，期待您再次光临。' },
    en: { subject: '{{name}}, a coupon for you', body: 'It has been a while; we hope to see you again.' },
  },
};

describe('a campaign with a coupon offer', () => {
  let poolId = '';

  it('refuses a pool that does not exist, at its field, in the reader’s language', async () => {
    expect(
      (
        await client.call('PUT', '/segments/coupon-recall', {
          token: marketing,
          body: { name: '礼券召回', conditions: { labels: { any: ['coupon-recall'] } } },
        })
      ).status,
    ).toBe(200);
    const res = await client.call('POST', '/campaigns', {
      token: marketing,
      headers: { 'accept-language': 'zh-CN' },
      body: {
        name: '无券活动',
        segmentId: 'coupon-recall',
        channels: ['widget'],
        variants: [{ variantId: 'a', weight: 1, content: { widget: content.widget } }],
        offer: { kind: 'coupon', poolId: 'cpn_00000000000000000000000000' },
        holdoutRatio: 0,
      },
    });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain('优惠券');
    expect(res.json.details.fields).toEqual([
      { path: 'offer.poolId', message: '优惠券 cpn_00000000000000000000000000 不存在', en: 'coupon pool cpn_00000000000000000000000000 does not exist' },
    ]);
  });

  it('gives each member one code while the pool lasts; the others get the message without one', async () => {
    await seedMembers(
      stack.db,
      Array.from({ length: MEMBERS }, (_, i) => member(i)),
    );
    const pool = await client.call('POST', '/coupons/pools', {
      token: marketing,
      body: {
        name: { zh: '满99减10', en: '10 off 99' },
        value: 10,
        threshold: 99,
        expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        generate: { count: CODES, alphabet: 'ABCDEFGHJKMNPQRSTUVWXYZ23456789', length: 10 },
      },
    });
    expect(pool.status).toBe(201);
    poolId = pool.json.pool.poolId;
    const campaignId = await launchCouponCampaign(client, marketing, {
      name: '礼券召回',
      segmentId: 'coupon-recall',
      channels: ['widget', 'email'],
      content: content,
      poolId,
      members: MEMBERS,
    });

    const offers: { kind: string; code?: string; value?: number; threshold?: number }[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      const session = await client.call('POST', '/widget/session', {
        body: { shopId: 'demo', user: { id: `cpn-u${i}`, hmac: hmacHex(identitySecret, `cpn-u${i}`) } },
      });
      const list = await client.call('GET', '/widget/campaign-messages', { token: session.json.token });
      expect(list.json.items, `member ${i}`).toHaveLength(1);
      const message = list.json.items[0] as { body: string; offer: { kind: string; code?: string } };
      offers.push(message.offer);
      if (message.offer.kind === 'coupon') {
        expect(message.body).toContain(message.offer.code);
        expect(message.body).toContain(i % 2 ? '10 yuan off orders of 99 or more' : '满99减10');
      } else expect(message.body).not.toMatch(/\{\{/);
    }
    const codes = offers.filter((o) => o.kind === 'coupon').map((o) => o.code);
    expect(codes).toHaveLength(CODES);
    expect(new Set(codes).size).toBe(CODES);
    expect(offers.filter((o) => o.kind === 'none')).toHaveLength(MEMBERS - CODES);
    expect(offers.find((o) => o.kind === 'coupon')).toMatchObject({ value: 10, threshold: 99 });

    // the email places no {{couponCode}}: a coupon line goes under the text, in the member's language
    const emails = (
      await stack.db.send(
        new QueryCommand({
          TableName: 'Kefu',
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': keys.emailOutboxPartition().gsi1pk },
        }),
      )
    ).Items!.filter((e) => e.campaignId === campaignId);
    expect(emails).toHaveLength(MEMBERS);
    const withCode = emails.filter((e) => codes.some((c) => String(e.text).includes(c!)));
    expect(withCode).toHaveLength(CODES);
    for (const e of withCode)
      expect(String(e.text)).toMatch(e.lang === 'zh' ? /您的优惠券：\S+（满99减10，/ : /Your coupon: \S+ \(10 yuan off orders of 99 or more, valid until/);
    const stock = await client.call('GET', '/coupons/pools', { token: marketing });
    expect(stock.json.pools.find((p: { poolId: string }) => p.poolId === poolId)).toMatchObject({ total: CODES, claimed: CODES, available: 0 });
  }, 180_000);
});
