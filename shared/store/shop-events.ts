import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ShopEvent, ShopEventMessage } from '#shared/api/shop-events.ts';
import { newId } from '#shared/ids.ts';
import { logger } from '#shared/log.ts';
import { careDateItem } from '#shared/members/care-rules.ts';
import { addMonths, credit, debit, type LedgerChange } from '#shared/members/ledger.ts';
import { decideOrder, type OrderRecord } from '#shared/members/orders.ts';
import {
  backoff,
  commit,
  ledgerItems,
  loyaltyConfig,
  MAX_ATTEMPTS,
  profileItem,
  readLedger,
  readMember,
  type TransactItem,
  tierChangeItems,
  windowMetrics,
} from '#shared/members/store.ts';
import { initialTier, orderPoints, type TierChange, tierOf, upgradeOnEvent } from '#shared/members/tiers.ts';
import { createContact, findContactByShopUser } from '#shared/store/contacts.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

/** What applying a shop event did: changed something, or nothing (stale, repeated or already applied). */
export type ShopEventOutcome = 'applied' | 'stale';

type OrderEvent = Exclude<ShopEvent, { type: 'member.upserted' }>;
type MemberEvent = Extract<ShopEvent, { type: 'member.upserted' }>;

/** The contact of a shop customer, created (as verified: the shop vouches for it) on first sight. */
export async function contactForCustomer(shopId: string, customerId: string, at: string): Promise<string> {
  const existing = await findContactByShopUser(shopId, customerId);
  if (existing) return existing;
  const contactId = newId('con');
  const outcome = await createContact({
    contactId,
    shopId,
    verified: true,
    shopUserId: customerId,
    createdAt: at,
    updatedAt: at,
    version: 1,
  });
  if (outcome === 'created') return contactId;
  const winner = await findContactByShopUser(shopId, customerId);
  if (!winner) throw new Error('contact uniqueness item without a contact');
  return winner;
}

/**
 * Applies one shop event: the single entry point of the queue consumer and of `kefu import`.
 * Order events change the order, the contact's RFM figures, its points and tier in one
 * transaction; older events never overwrite newer state, and repeats change nothing.
 */
export async function applyShopEvent({ shopId, event }: ShopEventMessage): Promise<ShopEventOutcome> {
  return event.type === 'member.upserted' ? applyMemberEvent(shopId, event) : applyOrderEvent(shopId, event);
}

const STATUS_TIMES = ['createdAt', 'paidAt', 'shippedAt', 'deliveredAt', 'refundedAt'] as const;

function orderFromItem(item: Record<string, unknown> | undefined): OrderRecord | undefined {
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

function orderPut(order: OrderRecord, previous: OrderRecord | undefined): TransactItem {
  const { times, version, ...fields } = order;
  return {
    Put: {
      TableName: tableName(),
      Item: { ...keys.order(order.orderId), ...keys.orderOfContact(order.contactId, order.placedAt, order.orderId), ...fields, ...times, version: version + 1 },
      ...(previous
        ? previous.version === 0
          ? { ConditionExpression: 'attribute_not_exists(version)' }
          : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': previous.version } }
        : { ConditionExpression: 'attribute_not_exists(pk)' }),
    },
  };
}

async function applyOrderEvent(shopId: string, event: OrderEvent): Promise<ShopEventOutcome> {
  const at = event.occurredAt;
  const customerContact = await contactForCustomer(shopId, event.data.customerId, at);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const got = await db().send(new GetCommand({ TableName: tableName(), Key: keys.order(event.data.orderId), ConsistentRead: true }));
    const previous = orderFromItem(got.Item);
    const contactId = previous?.contactId ?? customerContact;
    const [member, config] = await Promise.all([readMember(contactId), loyaltyConfig()]);
    if (!member) throw new Error('order contact has no profile');
    const decision = decideOrder(previous, event, contactId, member.rfm);
    if (decision.noop) return 'stale';

    let order = decision.order;
    const tier = member.tier ?? initialTier(config.tiers, config.settings, at);
    let tierState = tier;
    let tierChange: TierChange | undefined;
    let change: LedgerChange | undefined;
    if (decision.counting === 'count') {
      const points = orderPoints(order.countedAmount ?? 0, tierOf(config.tiers, tier.tierId), config.settings);
      if (points > 0) {
        const entryId = newId('pt', Date.parse(at));
        const planned = credit(
          { balance: member.balance, lots: [] },
          { kind: 'earn', points, sourceId: `order#${order.orderId}#earn`, entryId, at, expiresAt: addMonths(at, config.settings.pointsExpiryMonths) },
        );
        if (typeof planned !== 'string') {
          change = planned;
          order = { ...order, earnedPoints: points, earnLotId: entryId };
        }
      }
      const metrics = await windowMetrics(contactId, config, at, { current: order, extraPoints: change?.entry.points ?? 0 });
      const upgraded = upgradeOnEvent(tier, config.tiers, metrics, config.settings, at);
      tierState = upgraded.state;
      tierChange = upgraded.change;
    } else if (decision.counting === 'uncount' && (order.earnedPoints ?? 0) > 0) {
      const planned = debit(await readLedger(member), {
        kind: 'reverse',
        points: order.earnedPoints ?? 0,
        sourceId: `order#${order.orderId}#reverse`,
        entryId: newId('pt', Date.parse(at)),
        at,
        ...(order.earnLotId ? { preferLot: order.earnLotId } : {}),
        allowPartial: true,
      });
      if (typeof planned !== 'string') change = planned;
    }

    const earnedDelta = change?.entry.kind === 'earn' ? change.entry.points : 0;
    const items: TransactItem[] = [
      ...(change ? ledgerItems(contactId, change) : []),
      orderPut(order, previous),
      ...(decision.counting !== 'none' || !member.tier
        ? [
            profileItem(member, {
              ...(decision.counting !== 'none' ? { rfm: decision.rfm } : {}),
              ...(change ? { ledger: { balance: change.entry.balanceAfter, earned: member.earned + earnedDelta } } : {}),
              tier: tierState,
            }),
          ]
        : []),
      ...(tierChange ? tierChangeItems(contactId, shopId, tierChange, at, `order#${order.orderId}`) : []),
      ...(decision.counting === 'count' && member.rfm.orderCount === 0
        ? [careDateItem(contactId, 'first_order', order.orderId, at), careDateItem(contactId, 'anniversary', 'member', at)]
        : []),
      ...(event.type === 'order.delivered' ? [careDateItem(contactId, 'post_delivery', order.orderId, at)] : []),
    ];
    const outcome = await commit(items, change ? 0 : undefined);
    if (outcome === 'committed') return 'applied';
    if (outcome === 'duplicate') {
      logger.warn('order points already recorded', { orderId: order.orderId, contactId });
      return 'stale';
    }
    await backoff(attempt);
  }
  throw new Error('order event: too much contention on one order or contact');
}

const PROFILE_FIELDS = ['name', 'email', 'phone', 'locale', 'birthday'] as const;

async function applyMemberEvent(shopId: string, event: MemberEvent): Promise<ShopEventOutcome> {
  const at = event.occurredAt;
  const contactId = await contactForCustomer(shopId, event.data.customerId, at);
  let indexEmail = true;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const member = await readMember(contactId);
    if (!member) throw new Error('member contact has no profile');
    const profileAt = member.item.profileAt;
    if (typeof profileAt === 'string' && profileAt >= at) return 'stale';
    const set: Record<string, unknown> = { profileAt: at, updatedAt: at, version: member.version + 1 };
    for (const name of PROFILE_FIELDS) if (event.data[name] !== undefined) set[name] = event.data[name];
    const newEmail = event.data.email?.toLowerCase();
    const indexed = typeof member.item.emailIndexed === 'string' ? member.item.emailIndexed : undefined;
    if (newEmail && newEmail !== indexed && indexEmail) set.emailIndexed = newEmail;
    const names = Object.keys(set);
    const items: TransactItem[] = [
      {
        Update: {
          TableName: tableName(),
          Key: keys.contact(contactId),
          UpdateExpression: `SET ${names.map((n, i) => `#f${i} = :f${i}`).join(', ')}`,
          ConditionExpression: member.version === 0 ? 'attribute_not_exists(version)' : 'version = :v',
          ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#f${i}`, n])),
          ExpressionAttributeValues: {
            ...Object.fromEntries(names.map((n, i) => [`:f${i}`, set[n]])),
            ...(member.version === 0 ? {} : { ':v': member.version }),
          },
        },
      },
    ];
    if (event.data.birthday) items.push(careDateItem(contactId, 'birthday', 'member', event.data.birthday));
    let guardIndex: number | undefined;
    if (newEmail && newEmail !== indexed && indexEmail) {
      guardIndex = items.length;
      items.push({
        Put: {
          TableName: tableName(),
          Item: { ...keys.contactByEmail(newEmail), contactId },
          ConditionExpression: 'attribute_not_exists(pk) OR contactId = :me',
          ExpressionAttributeValues: { ':me': contactId },
        },
      });
      if (indexed)
        items.push({
          Delete: {
            TableName: tableName(),
            Key: keys.contactByEmail(indexed),
            ConditionExpression: 'contactId = :me',
            ExpressionAttributeValues: { ':me': contactId },
          },
        });
    }
    const outcome = await commit(items, guardIndex);
    if (outcome === 'committed') return 'applied';
    if (outcome === 'duplicate') {
      logger.warn('email already belongs to another contact; profile saved without the email index', { contactId });
      indexEmail = false;
      continue;
    }
    await backoff(attempt);
  }
  throw new Error('member event: too much contention on one contact');
}
