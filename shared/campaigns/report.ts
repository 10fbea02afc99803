/**
 * Campaign measurement: a conversion is an order (paid, not refunded) whose `placedAt` falls in the
 * attribution window [send start, send start + attributionDays]. Treated members (sent) are compared
 * with the holdout drawn from the same eligible audience; the report gives recall rate, orders and
 * revenue per arm, the uplift in recall rate with a 95 % confidence interval (difference of
 * proportions), the revenue-per-member difference, and the same per A/B variant. Each member costs
 * one Query on their order index, so a report is proportional to the campaign's audience.
 * A coupon campaign also counts its codes: given to treated members, redeemed (the shop's
 * `coupon.redeemed`), the rate and the redeemed orders' revenue; the holdout got no codes, so this
 * is its own line beside the arms' comparison (one BatchGet of claim records per 100 treated members;
 * read here by key, not through shared/coupons, which campaigns must not import: test/infra/import-cycles).
 */
import { notFound } from '#shared/http/errors.ts';
import { keys } from '#shared/store/keys.ts';
import { batchGetItems, itemKeyOf, queryAll, tableName } from '#shared/store/table.ts';
import { getCampaign, readProgress, type SendRecord, sendRecords } from './store.ts';
import { type ArmTotals, addMember, compareArms, EMPTY_ARM } from './uplift.ts';

/** Orders of a member in a window: count and revenue of paid, non-refunded orders. */
export async function attributedOrders(contactId: string, from: string, to: string): Promise<{ orders: number; revenue: number }> {
  let orders = 0;
  let revenue = 0;
  const placed = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :p AND gsi1sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':p': keys.contactOrdersPartition(contactId).gsi1pk, ':from': from, ':to': `${to}~` },
  });
  for (const o of placed) {
    if (o.counted !== true || o.refunded === true) continue;
    const placedAt = String(o.placedAt ?? '');
    if (placedAt < from || placedAt > to) continue;
    orders++;
    revenue += Number(o.countedAmount ?? o.amount ?? 0);
  }
  return { orders, revenue: Math.round(revenue * 100) / 100 };
}

/** A campaign's coupon line: codes given to treated members, codes redeemed, the rate and the redeemed orders' revenue. */
export interface Redemptions {
  given: number;
  redeemed: number;
  /** redeemed / given (null when nothing was given). */
  rate: number | null;
  /** Yuan: the sum of the redeemed orders' amounts the shop reported. */
  revenue: number;
}

export const NO_REDEMPTIONS: Redemptions = { given: 0, redeemed: 0, rate: null, revenue: 0 };

/** Adds one treated member's claim record (absent: no code given, e.g. the pool ran out) to the figures. */
export function addClaim(totals: Redemptions, claim: { redeemedAt?: unknown; redeemedAmount?: unknown } | undefined): Redemptions {
  if (!claim) return totals;
  const given = totals.given + 1;
  const used = typeof claim.redeemedAt === 'string';
  const redeemed = totals.redeemed + (used ? 1 : 0);
  const revenue = Math.round((totals.revenue + (used ? Number(claim.redeemedAmount ?? 0) : 0)) * 100) / 100;
  return { given, redeemed, rate: redeemed / given, revenue };
}

/** The claim records (shared/coupons) of the codes a campaign gave these members, by contact id. */
async function couponClaims(poolId: string, campaignId: string, contactIds: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
  const claimKey = (contactId: string) => keys.couponClaim(poolId, keys.campaignMember(campaignId, contactId));
  const items = await batchGetItems(contactIds.map(claimKey));
  const found = new Map<string, Record<string, unknown>>();
  for (const id of contactIds) {
    const item = items.get(itemKeyOf(claimKey(id)));
    if (item) found.set(id, item);
  }
  return found;
}

const METHOD = {
  zh: '转化 = 归因窗口内（发送开始后 N 天）下单并已支付、未退款的订单。提升 = 触达组召回率 − 留出组召回率，95% 置信区间为比例差的 Newcombe（Wilson）区间；任一组少于 30 人时不判断显著性；留出组按 (活动, 会员) 的哈希随机抽取，与触达组来自同一合格人群。',
  en: 'A conversion is a paid, non-refunded order placed within the attribution window (N days from the send start). Uplift = treated recall rate − holdout recall rate, with Newcombe’s 95% (Wilson score) interval for a difference of proportions, and no significance call while either group has fewer than 30 members; the holdout is drawn by a hash of (campaign, member) from the same eligible audience as the treated members.',
};

/** The measurement report of a campaign. */
export async function campaignReport(campaignId: string, now: Date) {
  const c = await getCampaign(campaignId);
  if (!c) throw notFound('campaign');
  const progress = await readProgress(c);
  const poolId = c.offer.kind === 'coupon' ? c.offer.poolId : undefined;
  if (!c.startedAt) return { campaignId, name: c.name, status: c.status, progress, window: null, overall: null, variants: {}, coupon: null, method: METHOD };
  const from = c.startedAt;
  const to = new Date(Date.parse(from) + c.attributionDays * 86_400_000).toISOString();
  let treated: ArmTotals = EMPTY_ARM;
  let holdout: ArmTotals = EMPTY_ARM;
  const byVariant: Record<string, ArmTotals> = {};
  let coupon: Redemptions = NO_REDEMPTIONS;
  for await (const page of sendRecords(campaignId)) {
    const measured = page.filter((r): r is SendRecord => r.state === 'sent' || r.state === 'holdout');
    if (poolId) {
      const treatedIds = measured.filter((r) => r.state === 'sent').map((r) => r.contactId);
      const claims = await couponClaims(poolId, campaignId, treatedIds);
      for (const id of treatedIds) coupon = addClaim(coupon, claims.get(id));
    }
    for (let i = 0; i < measured.length; i += 16) {
      const chunk = measured.slice(i, i + 16);
      const outcomes = await Promise.all(chunk.map((r) => attributedOrders(r.contactId, from, to)));
      chunk.forEach((r, n) => {
        const o = outcomes[n] as { orders: number; revenue: number };
        if (r.state === 'holdout') holdout = addMember(holdout, o.orders, o.revenue);
        else {
          treated = addMember(treated, o.orders, o.revenue);
          const v = r.variantId ?? 'default';
          byVariant[v] = addMember(byVariant[v] ?? EMPTY_ARM, o.orders, o.revenue);
        }
      });
    }
  }
  return {
    campaignId,
    name: c.name,
    status: c.status,
    holdoutRatio: c.holdoutRatio,
    progress,
    window: { from, to, attributionDays: c.attributionDays, complete: now.toISOString() >= to },
    overall: compareArms(treated, holdout),
    variants: Object.fromEntries(Object.entries(byVariant).map(([v, arm]) => [v, compareArms(arm, holdout)])),
    coupon: poolId ? { poolId, ...coupon } : null,
    method: METHOD,
  };
}

/** The answer of `GET /campaigns/{id}/report` (the console reads it through `import type`). */
export type CampaignReport = Awaited<ReturnType<typeof campaignReport>>;
