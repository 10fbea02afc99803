import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { signVisitorToken } from '#shared/auth/visitor-token.ts';
import { forgetLoyaltyConfig } from '#shared/members/store.ts';
import { keys } from '#shared/store/keys.ts';
import { httpEvent, sqsEvent } from '../support/events.ts';

process.env.TABLE_NAME = 'Kefu';
const ddb = mockClient(DynamoDBDocumentClient);
const raw = mockClient(DynamoDBClient);
const SESSION_KEY = Buffer.alloc(32, 9).toString('base64');
const context = { functionName: 'members-test', awsRequestId: 'r', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

const contactItem = {
  ...keys.contact('con_1'),
  contactId: 'con_1',
  shopId: 'demo',
  verified: true,
  shopUserId: 'cust-1',
  version: 4,
  orderCount: 2,
  totalSpend: 450,
  pointsBalance: 450,
  pointsEarned: 450,
  tierId: 'bronze',
  tierSince: '2026-01-01T00:00:00.000Z',
  tierReviewAt: '2026-12-01T00:00:00.000Z',
};

function staff(role: string) {
  return { sub: 'staff-1', email: 'x@demo.kefu', 'cognito:groups': `[${role}]` };
}

beforeEach(() => {
  ddb.reset();
  raw.reset();
  forgetLoyaltyConfig();
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { Key: keys.settings() }).resolves({ Item: { sessionKey: SESSION_KEY } });
  ddb.on(GetCommand, { Key: keys.contact('con_1') }).resolves({ Item: contactItem });
  ddb.on(GetCommand, { Key: keys.loyaltySettings() }).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(TransactWriteCommand).resolves({});
});

describe('POST /contacts/{contactId}/points', async () => {
  const { handler } = await import('#functions/http/points-adjust.ts');
  const adjust = (role: string, body: unknown) =>
    handler(httpEvent({ method: 'POST', path: '/contacts/{contactId}/points', params: { contactId: 'con_1' }, body, claims: staff(role) }), context);

  it('agents may not adjust points; nothing is written', async () => {
    const res = await adjust('agent', { points: 10, reason: 'goodwill' });
    expect(res.statusCode).toBe(403);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('a supervisor credit writes guard, entry, lot and balance in one transaction, conditional on the profile version', async () => {
    const res = await adjust('supervisor', { points: 25, reason: 'late parcel', adjustmentId: 'adj-12345678' });
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body!)).toMatchObject({
      balance: 475,
      entry: { kind: 'adjust', points: 25, actor: 'staff-1', sourceId: 'adjust#con_1#adj-12345678' },
    });
    const [call] = ddb.commandCalls(TransactWriteCommand);
    const items = call!.args[0].input.TransactItems!;
    expect(items[0]!.Put).toMatchObject({ Item: keys.pointsSource('adjust#con_1#adj-12345678'), ConditionExpression: 'attribute_not_exists(pk)' });
    expect(items[1]!.Put?.Item).toMatchObject({ kind: 'adjust', points: 25, balanceAfter: 475, reason: 'late parcel' });
    expect(items[2]!.Put?.Item).toMatchObject({ remaining: 25, gsi2pk: expect.stringMatching(/^POINTSEXP#\d$/) });
    expect(items[3]!.Update).toMatchObject({
      Key: keys.contact('con_1'),
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: expect.objectContaining({ ':v': 4 }),
    });
    expect(Object.values(items[3]!.Update!.ExpressionAttributeValues!)).toContain(475);
  });

  it('a repeated adjustment id (guard condition failed) answers 200 duplicate', async () => {
    ddb.on(TransactWriteCommand).rejects(
      Object.assign(new Error('cancelled'), {
        name: 'TransactionCanceledException',
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }],
      }),
    );
    const res = await adjust('admin', { points: 25, reason: 'late parcel', adjustmentId: 'adj-12345678' });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body!)).toEqual({ duplicate: true, balance: 450 });
  });

  it('a debit beyond the balance is refused with 409 and writes nothing', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ lotId: 'pt_1', expiresAt: '2027-01-01T00:00:00.000Z', remaining: 450 }] });
    const res = await adjust('admin', { points: -451, reason: 'correction' });
    expect(res.statusCode).toBe(409);
    expect(JSON.parse(res.body!).details).toEqual({ code: 'insufficient_points' });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('zero points and server-owned fields are rejected by the strict schema', async () => {
    expect((await adjust('admin', { points: 0, reason: 'nothing' })).statusCode).toBe(400);
    expect((await adjust('admin', { points: 5, reason: 'fine', balanceAfter: 9 })).statusCode).toBe(400);
  });
});

describe('GET /widget/membership', async () => {
  const { handler } = await import('#functions/http/widget-membership.ts');
  const call = async (verified: boolean, contactId = 'con_1') => {
    const token = await signVisitorToken({ contactId, shopId: 'demo', sessionId: 'ses_1', verified });
    return handler(httpEvent({ method: 'GET', path: '/widget/membership', headers: { authorization: `Bearer ${token}` } }), context);
  };

  it('anonymous visitors are refused', async () => {
    expect((await call(false)).statusCode).toBe(403);
  });

  it('a verified shopper gets tier, points and bilingual perks, without internal routing fields', async () => {
    const res = await call(true);
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body!);
    expect(body.tier).toMatchObject({ tierId: 'bronze', name: { zh: '铜卡会员', en: 'Bronze' } });
    expect(body.points).toMatchObject({ balance: 450, lifetimeEarned: 450 });
    expect(body.benefits.perks[0]).toEqual({ zh: '每消费 1 元得 1 积分', en: '1 point per currency unit spent' });
    expect(body.benefits).not.toHaveProperty('routingTeam');
    expect(body.nextTier).toMatchObject({ tierId: 'silver', spendToGo: 500 });
  });

  it('another shop’s contact is not found (no cross-shop reads)', async () => {
    ddb.on(GetCommand, { Key: keys.contact('con_2') }).resolves({ Item: { ...contactItem, ...keys.contact('con_2'), contactId: 'con_2', shopId: 'other' } });
    expect((await call(true, 'con_2')).statusCode).toBe(404);
  });
});

describe('shop-events consumer', async () => {
  const { handler } = await import('#functions/queue/shop-events-consumer.ts');

  /** The customer's link, read with the order and its dispatch watch in one BatchGet; the member's partition by one Query. */
  function knownCustomer() {
    const link = keys.contactByShopUser('demo', 'cust-1');
    ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: { pk: string; sk: string }[] }> }) => ({
      Responses: { Kefu: input.RequestItems.Kefu!.Keys.filter((k) => k.pk === link.pk && k.sk === link.sk).map(() => ({ ...link, contactId: 'con_1' })) },
    }));
    ddb.on(QueryCommand, { KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to' }).resolves({ Items: [contactItem] });
  }

  it('a paid order: one BatchGet, two Queries and one transaction update order, RFM, balance, ledger, tier and dispatch watch', async () => {
    knownCustomer();
    ddb
      .on(QueryCommand, { IndexName: 'gsi1', ExpressionAttributeValues: { ':p': keys.contactOrdersPartition('con_1').gsi1pk } })
      .resolves({ Items: [{ orderId: 'o-1', counted: true, countedAmount: 450, placedAt: '2026-05-01T00:00:00Z', gsi1sk: '2026-05-01T00:00:00Z#o-1' }] });
    const message = {
      shopId: 'demo',
      event: { eventId: 'e-9', type: 'order.paid', occurredAt: '2026-06-01T00:00:00Z', data: { orderId: 'o-9', customerId: 'cust-1', amount: 100 } },
    };
    const out = await handler(sqsEvent('shop-events', [{ body: message }]), context);
    expect(out).toEqual({ batchItemFailures: [] });
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(1);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
    // No Powertools record for order events: the order's own state makes repeats change nothing.
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    const [call] = ddb.commandCalls(TransactWriteCommand);
    const items = call!.args[0].input.TransactItems!;
    const put = (match: (item: Record<string, unknown>) => boolean) => items.find((i) => i.Put?.Item && match(i.Put.Item))?.Put;
    expect(items.some((i) => String(i.Put?.Item?.pk ?? '').startsWith('POINTSRC#'))).toBe(false);
    expect(put((i) => i.kind === 'earn')?.Item).toMatchObject({ points: 100, balanceAfter: 550 });
    expect(put((i) => i.sk === 'ORDER')).toMatchObject({
      Item: { orderId: 'o-9', counted: true, countedAmount: 100, earnedPoints: 100, status: 'paid' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    const update = items.find((i) => i.Update)!.Update!;
    expect(update.ConditionExpression).toMatch(/^version = :v/);
    expect(Object.values(update.ExpressionAttributeValues!)).toEqual(expect.arrayContaining([3, 550, 'silver', 'TIER#silver']));
    // The churn score is folded into the same profile update.
    expect(Object.values(update.ExpressionAttributeNames!)).toEqual(expect.arrayContaining(['churnRisk', 'churnHistory', 'churnVersion']));
    expect(put((i) => i.type === 'member.tier_changed' && !i.gsi1pk)?.Item).toMatchObject({ from: 'bronze', to: 'silver' });
    expect(put((i) => i.type === 'member.tier_changed' && i.gsi1pk === 'OUTBOX#PENDING')?.Item).toMatchObject({ to: 'silver' });
    expect(put((i) => i.sk === 'DISPATCH')).toMatchObject({ Item: { orderId: 'o-9', contactId: 'con_1', paidAt: '2026-06-01T00:00:00Z' } });
  });

  it('a repeated order event writes nothing', async () => {
    knownCustomer();
    const link = keys.contactByShopUser('demo', 'cust-1');
    const order = {
      ...keys.order('o-8'),
      orderId: 'o-8',
      contactId: 'con_1',
      customerId: 'cust-1',
      amount: 20,
      status: 'paid',
      statusAt: '2026-06-01T00:00:00Z',
      placedAt: '2026-06-01T00:00:00Z',
      paidAt: '2026-06-01T00:00:00Z',
      counted: true,
      countedAmount: 20,
      version: 1,
    };
    ddb.on(BatchGetCommand).resolves({ Responses: { Kefu: [{ ...link, contactId: 'con_1' }, order] } });
    const message = {
      shopId: 'demo',
      event: { eventId: 'e-8', type: 'order.paid', occurredAt: '2026-06-01T00:00:00Z', data: { orderId: 'o-8', customerId: 'cust-1', amount: 20 } },
    };
    expect(await handler(sqsEvent('shop-events', [{ body: message }]), context)).toEqual({ batchItemFailures: [] });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('in a batch, a message that fails validation is reported alone; the valid one is applied', async () => {
    knownCustomer();
    const good = {
      shopId: 'demo',
      event: { eventId: 'e-10', type: 'order.created', occurredAt: '2026-06-01T00:00:00Z', data: { orderId: 'o-10', customerId: 'cust-1', amount: 5 } },
    };
    const out = await handler(
      sqsEvent('shop-events', [
        { body: good, messageId: 'm-good' },
        { body: { shopId: 'demo', event: { type: 'order.paid' } }, messageId: 'm-bad' },
      ]),
      context,
    );
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-bad' }] });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});

describe('credential-less sample events (what the bundle test sends)', async () => {
  const { functions } = await import('#infra/manifest.ts');
  const { sampleInvocations } = await import('../support/events.ts');
  const mine = functions.filter((f) => /^(contact-|points-|tiers-|widget-membership$)/.test(f.name));

  it.each(mine.map((f) => [f.name, f] as const))('%s answers without credentials: 401 for protected routes, a clean run for schedules', async (_name, fn) => {
    const { handler } = (await import(`../../${fn.entry}`)) as { handler: (event: unknown, context: Context) => Promise<unknown> };
    for (const sample of sampleInvocations(fn)) {
      const out = await handler(sample.event, context);
      if (sample.trigger === 'http') expect((out as { statusCode: number }).statusCode, sample.label).toBe(401);
      else expect(out, sample.label).toMatchObject({ complete: true });
    }
  });
  it('covers the sixteen member functions (with contact labels, reveal and shipments)', () => {
    expect(mine).toHaveLength(16);
  });
});
