/**
 * One order event in as few DynamoDB calls as its invariants allow (issue 15):
 *   1. BatchGet: the customer's contact link, the order and its dispatch watch;
 *   2. (paid only) whether the order has a shipment yet (Query, Limit 1) — in parallel with 3 and 4;
 *   3. one Query of the member's partition: profile, ledger entries of the tier window and open lots;
 *   4. one Query of the contact's orders (gsi1): the tier window's spend and the churn history;
 *   5. one TransactWriteItems: ledger entry + source guard + lot, order, profile (RFM, points,
 *      tier, churn score), tier/churn timeline + outbox, care dates, dispatch watch and, for a
 *      customer seen for the first time, the contact and its uniqueness item.
 * A new customer skips 3 and 4 (nothing to read). Repeats and stale events write nothing (the
 * order's state decides; points are guarded by their source item), conflicting writers re-read
 * and plan again, so at-least-once delivery has exactly-once effects without a separate
 * idempotency record.
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { ShopEvent } from '#shared/api/shop-events.ts';
import { type ChurnContext, churnContext, churnGuard, planChurn, serviceSignals, storedSignals } from '#shared/churn/store.ts';
import { newId } from '#shared/ids.ts';
import { keys } from '#shared/store/keys.ts';
import { batchGetItems, db, itemKeyOf, queryAll, tableName } from '#shared/store/table.ts';
import { careDateItem } from './care-rules.ts';
import { addMonths, credit, debit, type LedgerChange, type Lot } from './ledger.ts';
import { decideOrder, EMPTY_RFM, type OrderDecision, type OrderRecord } from './orders.ts';
import {
  backoff,
  commit,
  type LoyaltyConfig,
  ledgerItems,
  loyaltyConfig,
  MAX_ATTEMPTS,
  type MemberRecord,
  memberFromItem,
  metricsFromItems,
  type ProfilePatch,
  profileChanges,
  profileItem,
  type TransactItem,
  tierChangeItems,
} from './store.ts';
import { addDays, initialTier, metricsNeeded, orderPoints, type TierChange, type TierState, tierOf, upgradeOnEvent } from './tiers.ts';

export type OrderEvent = Exclude<ShopEvent, { type: 'member.upserted' }>;

/** A paid order not shipped yet, as the logistics side watches it. */
export interface DispatchWatchInput {
  orderId: string;
  contactId: string;
  paidAt: string;
  dispatchBy?: string;
}

export interface OrderEventOptions {
  /** The consumer's clock (churn recency); defaults to now. */
  now?: Date;
  /** Rescore churn in the same write (the consumer; imports leave it to the daily run). */
  rescore?: boolean;
  /** The 催单 watch of a paid, unshipped order (the consumer passes shared/logistics'; imports do not watch). */
  dispatch?: {
    /** Builds the watch item. */
    watchItem: (watch: DispatchWatchInput) => Promise<Record<string, unknown>>;
    /** Whether the order has any shipment yet. */
    hasShipment: (orderId: string) => Promise<boolean>;
  };
}

const STATUS_TIMES = ['createdAt', 'paidAt', 'shippedAt', 'deliveredAt', 'refundedAt'] as const;
const UNSHIPPED = new Set(['created', 'paid']);

export function orderFromItem(item: Record<string, unknown> | undefined): OrderRecord | undefined {
  if (!item) return undefined;
  const times: Record<string, string> = {};
  for (const name of STATUS_TIMES) if (typeof item[name] === 'string') times[name] = item[name] as string;
  return {
    orderId: String(item.orderId),
    contactId: String(item.contactId),
    customerId: String(item.customerId),
    amount: Number(item.amount ?? 0),
    currency: String(item.currency ?? 'CNY'),
    quantity: Number(item.quantity ?? 1),
    status: String(item.status),
    statusAt: String(item.statusAt),
    placedAt: String(item.placedAt ?? item.statusAt),
    ...(item.counted === true ? { counted: true } : {}),
    ...(item.refunded === true ? { refunded: true } : {}),
    ...(typeof item.countedAmount === 'number' ? { countedAmount: item.countedAmount } : {}),
    ...(typeof item.earnedPoints === 'number' ? { earnedPoints: item.earnedPoints } : {}),
    ...(typeof item.earnLotId === 'string' ? { earnLotId: item.earnLotId } : {}),
    times,
    version: Number(item.version ?? 0),
  };
}

/** The order item as stored (its gsi1 copy lists it under its contact). */
export function orderItem(order: OrderRecord, version: number): Record<string, unknown> {
  const { times, version: _v, ...fields } = order;
  return { ...keys.order(order.orderId), ...keys.orderOfContact(order.contactId, order.placedAt, order.orderId), ...fields, ...times, version };
}

export function orderPut(order: OrderRecord, previous: OrderRecord | undefined): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: orderItem(order, order.version + 1),
      ...(previous
        ? previous.version === 0
          ? { ConditionExpression: 'attribute_not_exists(version)' }
          : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': previous.version } }
        : { ConditionExpression: 'attribute_not_exists(pk)' }),
    },
  };
}

/** The member's partition from the tier window's ledger entries (or the profile) to its lots, one consistent Query. */
async function readMemberPartition(contactId: string, config: LoyaltyConfig, eventAt: string) {
  const from = metricsNeeded(config.tiers).points ? `${keys.pointsEntryPrefix()}${addDays(eventAt, -config.settings.windowDays)}` : keys.contact(contactId).sk;
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': keys.contact(contactId).pk, ':from': from, ':to': `${keys.pointsLotPrefix()}~` },
    ConsistentRead: true,
  });
  const profile = items.find((i) => i.sk === keys.contact(contactId).sk);
  const entries = items.filter((i) => String(i.sk).startsWith(keys.pointsEntryPrefix()));
  const lots: Lot[] = items
    .filter((i) => String(i.sk).startsWith(keys.pointsLotPrefix()))
    .map((i) => ({ lotId: String(i.lotId), expiresAt: String(i.expiresAt), remaining: Number(i.remaining) }))
    .sort((a, b) => (a.expiresAt < b.expiresAt ? -1 : a.expiresAt > b.expiresAt ? 1 : 0));
  return { profile, entries, lots };
}

const contactOrdersQuery = (contactId: string) =>
  queryAll({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :p',
    ExpressionAttributeValues: { ':p': keys.contactOrdersPartition(contactId).gsi1pk },
  });

/** The profile and uniqueness item of a customer seen for the first time (the shop vouches for it). */
function newContactItems(shopId: string, customerId: string, contactId: string, at: string, changes: { set: Record<string, unknown>; remove: string[] }) {
  const TableName = tableName();
  return [
    {
      Put: {
        TableName,
        Item: { ...keys.contact(contactId), contactId, shopId, verified: true, shopUserId: customerId, createdAt: at, updatedAt: at, ...changes.set },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    { Put: { TableName, Item: { ...keys.contactByShopUser(shopId, customerId), contactId }, ConditionExpression: 'attribute_not_exists(pk)' } },
  ] satisfies TransactItem[];
}

/** What an order event changes for its member, planned against read state (pure). */
export interface OrderPlan {
  order: OrderRecord;
  change?: LedgerChange;
  tierState: TierState;
  tierChange?: TierChange;
}

/**
 * Plans an order decision's points and tier (pure): earn on counting (window metrics from the
 * member's other orders and ledger entries), reverse on uncounting (from its open lots). Shared by
 * the live path and the batch import's in-memory fold.
 */
export function planOrder(
  decision: OrderDecision,
  member: MemberRecord,
  config: LoyaltyConfig,
  eventAt: string,
  entries: readonly Record<string, unknown>[],
  orderItems: readonly Record<string, unknown>[],
  lots: readonly Lot[],
  entryId: (kind: 'earn' | 'reverse') => string,
): OrderPlan {
  let order = decision.order;
  const tier = member.tier ?? initialTier(config.tiers, config.settings, eventAt);
  let tierState = tier;
  let tierChange: TierChange | undefined;
  let change: LedgerChange | undefined;
  if (decision.counting === 'count') {
    const points = orderPoints(order.countedAmount ?? 0, tierOf(config.tiers, tier.tierId), config.settings);
    if (points > 0) {
      const id = entryId('earn');
      const planned = credit(
        { balance: member.balance, lots: [] },
        {
          kind: 'earn',
          points,
          sourceId: `order#${order.orderId}#earn`,
          entryId: id,
          at: eventAt,
          expiresAt: addMonths(eventAt, config.settings.pointsExpiryMonths),
        },
      );
      if (typeof planned !== 'string') {
        change = planned;
        order = { ...order, earnedPoints: points, earnLotId: id };
      }
    }
    const metrics = metricsFromItems(orderItems, entries, config, eventAt, { current: order, extraPoints: change?.entry.points ?? 0 });
    const upgraded = upgradeOnEvent(tier, config.tiers, metrics, config.settings, eventAt);
    tierState = upgraded.state;
    tierChange = upgraded.change;
  } else if (decision.counting === 'uncount' && (order.earnedPoints ?? 0) > 0) {
    const planned = debit(
      { balance: member.balance, lots: [...lots] },
      {
        kind: 'reverse',
        points: order.earnedPoints ?? 0,
        sourceId: `order#${order.orderId}#reverse`,
        entryId: entryId('reverse'),
        at: eventAt,
        ...(order.earnLotId ? { preferLot: order.earnLotId } : {}),
        allowPartial: true,
      },
    );
    if (typeof planned !== 'string') change = planned;
  }
  return { order, ...(change ? { change } : {}), tierState, ...(tierChange ? { tierChange } : {}) };
}

/** Applies one order event (see the file comment); 'stale' when it changes nothing. */
export async function applyOrderEvent(shopId: string, event: OrderEvent, options: OrderEventOptions = {}): Promise<'applied' | 'stale'> {
  const eventAt = event.occurredAt;
  const now = options.now ?? new Date();
  const { orderId, customerId } = event.data;
  const countable = event.type !== 'order.created';
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const linkKey = keys.contactByShopUser(shopId, customerId);
    const [got, config] = await Promise.all([batchGetItems([linkKey, keys.order(orderId), keys.dispatchWatch(orderId)]), loyaltyConfig()]);
    const previous = orderFromItem(got.get(itemKeyOf(keys.order(orderId))));
    const watching = got.has(itemKeyOf(keys.dispatchWatch(orderId)));
    const linked = got.get(itemKeyOf(linkKey))?.contactId as string | undefined;
    const contactId = previous?.contactId ?? linked ?? newId('con');
    const isNew = !previous && !linked;

    const [partition, orderItems, shipped, churnCtx] = await Promise.all([
      isNew ? undefined : readMemberPartition(contactId, config, eventAt),
      isNew || !countable || !(options.rescore || metricsNeeded(config.tiers).spend) ? [] : contactOrdersQuery(contactId),
      event.type === 'order.paid' && options.dispatch && !watching ? options.dispatch.hasShipment(orderId) : true,
      options.rescore && countable ? churnContext(now) : undefined,
    ]);
    if (partition && !partition.profile) throw new Error('order contact has no profile');
    const member: MemberRecord = partition?.profile
      ? memberFromItem(partition.profile)
      : { contactId, version: 0, rfm: EMPTY_RFM, balance: 0, earned: 0, item: {} };
    const decision = decideOrder(previous, event, contactId, member.rfm);
    if (decision.noop) {
      if (watching && event.type !== 'order.paid') await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.dispatchWatch(orderId) }));
      return 'stale';
    }

    const { order, change, tierState, tierChange } = planOrder(
      decision,
      member,
      config,
      eventAt,
      partition?.entries ?? [],
      orderItems,
      partition?.lots ?? [],
      () => newId('pt', Date.parse(eventAt)),
    );

    const churn = churnCtx && decision.counting !== 'none' ? await churnPlan(contactId, member, isNew, orderItems, order, now, churnCtx) : undefined;
    const earnedDelta = change?.entry.kind === 'earn' ? change.entry.points : 0;
    const patch: ProfilePatch = {
      ...(decision.counting !== 'none' ? { rfm: decision.rfm } : {}),
      ...(change ? { ledger: { balance: change.entry.balanceAfter, earned: member.earned + earnedDelta } } : {}),
      tier: tierState,
      ...(churn?.changed ? { extra: { set: churn.set, remove: isNew ? [] : churn.remove, condition: churnGuard(churn.version) } } : {}),
    };
    const writeProfile = isNew || decision.counting !== 'none' || !member.tier || churn?.changed;
    const items: TransactItem[] = [
      // The order item (counted / refunded, under its version) makes the points exactly-once.
      ...(change ? ledgerItems(contactId, change, { guard: false }) : []),
      orderPut(order, previous),
      ...(isNew ? newContactItems(shopId, customerId, contactId, eventAt, profileChanges(member, patch)) : writeProfile ? [profileItem(member, patch)] : []),
      ...(tierChange ? tierChangeItems(contactId, shopId, tierChange, eventAt, `order#${order.orderId}`) : []),
      ...(churn?.changed ? churn.items : []),
      ...careItems(decision, member, event, order),
      ...(await dispatchItems(event, order, contactId, watching, shipped, options)),
    ];
    // A repeat or a concurrent writer fails the order's (or profile's) condition: re-read, plan again.
    if ((await commit(items)) === 'committed') return 'applied';
    await backoff(attempt);
  }
  throw new Error('order event: too much contention on one order or contact');
}

/** The care dates an order event starts: first order and membership anniversary, post-delivery. */
export function careItems(decision: OrderDecision, member: MemberRecord, event: OrderEvent, order: OrderRecord): TransactItem[] {
  return [
    ...(decision.counting === 'count' && member.rfm.orderCount === 0
      ? [
          careDateItem(member.contactId, 'first_order', order.orderId, event.occurredAt),
          careDateItem(member.contactId, 'anniversary', 'member', event.occurredAt),
        ]
      : []),
    ...(event.type === 'order.delivered' ? [careDateItem(member.contactId, 'post_delivery', order.orderId, event.occurredAt)] : []),
  ];
}

/** The churn rescore folded into the order's write: counted orders as they will be, signals reused while fresh. */
async function churnPlan(
  contactId: string,
  member: MemberRecord,
  isNew: boolean,
  orderItems: readonly Record<string, unknown>[],
  order: OrderRecord,
  now: Date,
  ctx: ChurnContext,
) {
  const orders = orderItems
    .filter((o) => o.orderId !== order.orderId)
    .map((o) => ({
      counted: o.counted === true,
      refunded: o.refunded === true,
      placedAt: o.placedAt,
      key: String(o.gsi1sk ?? ''),
      amount: Number(o.countedAmount ?? o.amount ?? 0),
    }))
    .concat([
      {
        counted: order.counted === true,
        refunded: order.refunded === true,
        placedAt: order.placedAt,
        key: keys.orderOfContact(contactId, order.placedAt, order.orderId).gsi1sk,
        amount: order.countedAmount ?? order.amount,
      },
    ])
    .filter((o) => o.counted && !o.refunded && typeof o.placedAt === 'string')
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((o) => ({ placedAt: String(o.placedAt), amount: o.amount }));
  // A contact created by this event has no tickets or conversations yet; otherwise the signals
  // stored by a rescore within the day are reused (the daily run recounts them).
  const signals = orders.length === 0 ? {} : isNew ? {} : (storedSignals(member.item, now) ?? (await serviceSignals(contactId, now, member.item)));
  return planChurn(contactId, member.item, orders, signals, now, ctx);
}

async function dispatchItems(
  event: OrderEvent,
  order: OrderRecord,
  contactId: string,
  watching: boolean,
  shipped: boolean,
  options: OrderEventOptions,
): Promise<TransactItem[]> {
  if (!options.dispatch || event.type === 'order.created') return [];
  if (event.type !== 'order.paid') return watching ? [{ Delete: { TableName: tableName(), Key: keys.dispatchWatch(order.orderId) } }] : [];
  if (watching || shipped || !UNSHIPPED.has(order.status)) return [];
  const dispatchBy = event.data.dispatchBy;
  const item = await options.dispatch.watchItem({ orderId: order.orderId, contactId, paidAt: event.occurredAt, ...(dispatchBy ? { dispatchBy } : {}) });
  return [{ Put: { TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' } }];
}
