import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ScheduledEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { scoreContactFitted } from '#shared/churn/fitted-score.ts';
import { encodeHistory, isoDay } from '#shared/churn/history.ts';
import type { StoredModelCard } from '#shared/churn/model-store.ts';
import { keys } from '#shared/store/keys.ts';
import { memberItem } from '../../bench/campaign-fanout.ts';
import { syntheticShop } from '../../bench/churn-fit.ts';
import { apiClient } from '../support/api.ts';
import { until } from '../support/until.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
let client: ReturnType<typeof apiClient>;
let shop: Record<string, unknown>;
let marketing: string;
const N = 1200;

async function get(key: { pk: string; sk: string }) {
  return (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: key, ConsistentRead: true }))).Item;
}

function signed(body: unknown) {
  const raw = JSON.stringify(body);
  const ts = String(Math.floor(Date.now() / 1000));
  return fetch(`${stack.urls.api.replace(/\/$/, '')}/shop/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-kefu-shop': 'demo',
      'x-kefu-timestamp': ts,
      'x-kefu-signature': hmacHex(shop.webhookSecret as string, `${ts}.${raw}`),
    },
    body: raw,
  }).then((res) => res.status);
}

beforeAll(async () => {
  process.env.KEFU_CHURN_MIN_REPEATERS = '200';
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  client = apiClient(stack.urls.api);
  shop = (await get(keys.shop('demo'))) as Record<string, unknown>;
  marketing = await client.staff('marketing@demo.kefu');
  // Members whose purchase history the rescore already stored (18 months, the last ending today).
  const today = Math.floor(Date.now() / 86_400_000);
  const histories = syntheticShop(N, 540, 11, today - 540);
  const now = new Date();
  const items = histories.map((h, i) => ({
    ...memberItem({ contactId: `con_ret_${h.id}`, tierId: i % 3 === 0 ? 'silver' : 'bronze', orderCount: h.days.length }, now),
    churnHistory: encodeHistory(h.days, h.amounts),
    ...(i % 4 === 0 ? { churnLevel: 'high', churnRisk: 0.8, churnReasonCodes: ['long_since_last_purchase', 'single_purchase'] } : {}),
    // Service signals as the rescore keeps them (churnSignals) and as the profile hook (serviceSignals).
    ...(i % 8 === 0 ? { churnSignals: { slaBreaches: 1 } } : i % 8 === 4 ? { serviceSignals: { lowCsat: 1 } } : {}),
  }));
  for (let i = 0; i < items.length; i += 25)
    await stack.db.send(new BatchWriteCommand({ RequestItems: { Kefu: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
});

afterAll(async () => {
  await stack?.stop();
  delete process.env.KEFU_CHURN_MIN_REPEATERS;
});

describe('churn model card and cohort retention over the local stack', () => {
  it('is empty before the daily run and readable by marketing readers only', async () => {
    const empty = await client.call('GET', '/churn/retention', { token: marketing });
    expect(empty.status).toBe(200);
    expect(empty.json).toEqual({ model: null, retention: null });
    expect((await client.call('GET', '/churn/retention', { token: await client.staff('agent@demo.kefu') })).status).toBe(403);
    expect((await client.call('GET', '/churn/retention')).status).toBe(401);
    expect((await client.call('GET', '/churn/retention?x=1', { token: marketing })).status).toBe(400);
  });

  it('the daily run refits on the gathered histories, stores the model card and cohorts, and rescoring uses the fitted model', async () => {
    const { handler } = await import('#functions/schedule/churn-daily.ts');
    const run = (await handler({ time: new Date().toISOString() } as ScheduledEvent)) as { done: boolean; queued: number };
    expect(run.done).toBe(true);
    const res = await client.call('GET', '/churn/retention', { token: await client.staff('lead@demo.kefu') });
    expect(res.status).toBe(200);
    const model = res.json.model as Omit<StoredModelCard, 'spec'>;
    expect(model.coldStart).toBeUndefined();
    expect(model.members).toBe(N);
    expect(model.customers).toBe(N);
    expect(model.candidates.map((c) => c.kind)).toEqual(['handset', 'bgnbd', 'logistic', 'logistic_bgnbd']);
    expect(model.backtest?.auc).toBe(Math.max(...model.candidates.map((c) => c.auc ?? 0)));
    expect(model.deciles).toHaveLength(10);
    expect(res.json.model).not.toHaveProperty('spec');
    const report = res.json.retention.report;
    expect(report.customers).toBe(N);
    expect(report.cohorts.length).toBeGreaterThan(6);
    expect(report.byTier.map((t: { tier: string }) => t.tier).sort()).toEqual(['bronze', 'silver']);
    expect(res.json.retention.reasons.atRisk).toBe(N / 4);
    expect(res.json.retention.reasons.counts).toEqual({ long_since_last_purchase: N / 4, single_purchase: N / 4 });
    // Service problems against risk: the walk ran before the first card, so there is no lapse horizon yet.
    const service = res.json.retention.reasons.service as { horizonDays: number | null; rows: { group: string; members: number; atRisk: number }[] };
    expect(service.horizonDays).toBeNull();
    expect(service.rows.map((r) => [r.group, r.members, r.atRisk])).toEqual([
      ['sla_breaches', N / 8, N / 8],
      ['low_csat', N / 8, N / 8],
      ['any_signal', N / 4, N / 4],
      ['no_signal', (3 * N) / 4, 0],
    ]);

    // The chunks are on one day's partition with a TTL.
    const chunk = await get(keys.churnFitChunk(new Date().toISOString().slice(0, 10), 0));
    expect(typeof chunk?.ttl).toBe('number');

    // A shopper's order is rescored with the active model (when one was promoted over the hand-set score).
    const stored = JSON.parse(String((await get(keys.churnModel()))?.card)) as StoredModelCard;
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();
    for (const [i, d] of [200, 120, 60].entries())
      expect(
        await signed({
          eventId: `ret-o-${i}`,
          type: 'order.paid',
          occurredAt: at(d),
          data: { orderId: `ret-ord-${i}`, customerId: 'ret-shopper', amount: 80 },
        }),
      ).toBe(202);
    const contactId = await until(async () => (await get(keys.contactByShopUser('demo', 'ret-shopper')))?.contactId as string | undefined);
    const profile = await until(async () => {
      const p = await get(keys.contact(contactId));
      return typeof p?.churnHistory === 'string' && p.churnHistory.split(',').length === 3 && p.orderCount === 3 ? p : undefined;
    });
    expect(profile.churnHistory).toBe([200, 120, 60].map((d) => `${Math.floor((Date.now() - d * 86_400_000) / 86_400_000)}:80`).join(','));
    // On these histories the hand-set score ranks poorly, so a fitted model is active.
    if (stored.spec.kind === 'handset') throw new Error(`expected a fitted model, got the hand-set score (${JSON.stringify(stored.candidates)})`);
    expect(model.active).toBe(stored.spec.kind);
    const orders = [200, 120, 60].map((d) => ({ placedAt: isoDay(Math.floor((Date.now() - d * 86_400_000) / 86_400_000)), amount: 80 }));
    const expected = scoreContactFitted(stored.spec, orders, new Date(String(profile.churnScoredAt)), {}, { mediumAt: 0.45, highAt: 0.7 });
    expect(profile.churnRisk).toBe(expected?.risk);
    expect(profile.churnReasons).toEqual(expected?.reasons);
    // The counted service signals are kept for the daily tally (none for this shopper).
    expect(profile.churnSignals).toEqual({});
  });
});
