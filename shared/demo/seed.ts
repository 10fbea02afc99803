import { readFileSync } from 'node:fs';
import type { SeedDeps } from '#infra/local/seed.ts';
import { DEMO_SHOPPER } from '#shared/demo/shopper.ts';
import { type KbArticle, publishIndex, saveArticle } from '#shared/kb/store.ts';
import { CALENDAR_24X7, SlaPolicyInputSchema } from '#shared/sla/policy.ts';
import { applyShopEvent } from '#shared/store/shop-events.ts';
import { TeamInputSchema } from '#shared/tickets/assignment.ts';
import { savePolicy, saveRules, saveTeam } from '#shared/tickets/config-store.ts';
import { RoutingRuleSchema } from '#shared/tickets/routing.ts';

type DemoArticle = Pick<KbArticle, 'lang' | 'title' | 'body' | 'category' | 'tags'> & { id: string };

/** The demo shop's help centre (zh + en), published so the bot and widget search can use it. */
export async function seedDemoContent(deps: SeedDeps): Promise<void> {
  const articles = JSON.parse(readFileSync(new URL('./kb-articles.json', import.meta.url), 'utf8')) as DemoArticle[];
  for (const a of articles) {
    await saveArticle(
      {
        articleId: a.id,
        lang: a.lang,
        title: a.title,
        body: a.body,
        category: a.category,
        tags: a.tags,
        status: 'published',
        updatedAt: deps.now.toISOString(),
        updatedBy: 'seed',
      },
      undefined,
    ).catch((error: Error & { status?: number }) => {
      if (error.status !== 409) throw error;
    });
  }
  const index = await publishIndex(deps.now);
  await seedTeams(deps);
  await seedShopper(deps);
  deps.log(`seeded ${articles.length} help articles; search index ${index.version} (${Math.round(index.bytes / 1024)} KB gzipped)`);
}

/**
 * Demo teams (billing, logistics, general support, VIP), the rules that route to them by category,
 * and the VIP service level the gold and platinum tiers name (shared/members/tiers.ts).
 */
async function seedTeams(deps: SeedDeps): Promise<void> {
  const agents = deps.staff.filter((s) => s.roles.includes('agent')).map((s) => s.sub);
  const lead = deps.staff.find((s) => s.roles.includes('supervisor'))?.sub;
  const team = (zh: string, en: string, members: string[]) =>
    TeamInputSchema.parse({ name: { 'zh-CN': zh, en }, members, mode: 'least_loaded', capacity: 5, ...(lead ? { supervisor: lead } : {}) });
  await saveTeam('general', team('综合客服组', 'General support', agents));
  await saveTeam('billing', team('支付退款组', 'Billing and refunds', agents));
  await saveTeam('logistics', team('物流配送组', 'Delivery and logistics', agents));
  // the supervisor also takes VIP work; a lead who is an agent too is listed once
  await saveTeam('vip', team('VIP 专属客服组', 'VIP support', [...new Set([...agents, ...(lead ? [lead] : [])])]));
  await savePolicy(
    'vip',
    SlaPolicyInputSchema.parse({
      name: { 'zh-CN': 'VIP 服务标准（全天候）', en: 'VIP service levels (around the clock)' },
      calendarId: CALENDAR_24X7,
      targets: {
        urgent: { first_response: 5, next_response: 15, resolution: 120 },
        high: { first_response: 10, next_response: 20, resolution: 240 },
        normal: { first_response: 15, next_response: 30, resolution: 480 },
        low: { first_response: 60, next_response: 120, resolution: 1440 },
      },
      breachActions: ['notify', 'escalate'],
      ...(lead ? { escalateTo: lead } : {}),
    }),
    deps.now,
  );
  await saveRules([
    RoutingRuleSchema.parse({
      ruleId: 'billing',
      name: { 'zh-CN': '支付、退款、发票 → 支付退款组', en: 'Payments, refunds, invoices → billing' },
      when: { categories: ['PAYMENT', 'REFUND', 'INVOICE', 'CANCELLATION_FEE'] },
      then: { team: 'billing' },
    }),
    RoutingRuleSchema.parse({
      ruleId: 'logistics',
      name: { 'zh-CN': '物流、地址、订单 → 物流配送组', en: 'Delivery, address, orders → logistics' },
      when: { categories: ['DELIVERY', 'SHIPPING_ADDRESS', 'ORDER'] },
      then: { team: 'logistics' },
    }),
  ]);
}

/** The demo shopper's profile and orders, through the same event processing as the shop's API. */
async function seedShopper(deps: SeedDeps): Promise<void> {
  const day = (n: number) => new Date(deps.now.getTime() - n * 86_400_000).toISOString();
  const orders = [
    { orderId: 'DEMO-1001', amount: 1280, placed: 200, steps: ['order.paid', 'order.shipped', 'order.delivered'] as const },
    { orderId: 'DEMO-1002', amount: 899, placed: 40, steps: ['order.paid', 'order.shipped', 'order.delivered'] as const },
    { orderId: 'DEMO-1003', amount: 268, placed: 2, steps: ['order.paid', 'order.shipped'] as const },
  ];
  await applyShopEvent({
    shopId: deps.shopId,
    event: {
      eventId: 'demo-member-1',
      type: 'member.upserted',
      occurredAt: day(365),
      data: { customerId: DEMO_SHOPPER.id, name: DEMO_SHOPPER.name, email: DEMO_SHOPPER.email, locale: 'zh-CN' },
    },
  });
  for (const o of orders) {
    for (const [i, type] of o.steps.entries()) {
      await applyShopEvent({
        shopId: deps.shopId,
        event: {
          eventId: `demo-${o.orderId}-${type}`,
          type,
          occurredAt: day(o.placed - i),
          data: { orderId: o.orderId, customerId: DEMO_SHOPPER.id, amount: o.amount, currency: 'CNY', quantity: 1 },
        },
      });
    }
  }
}
