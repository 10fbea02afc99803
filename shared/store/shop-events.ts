import type { ShopEvent, ShopEventMessage } from '#shared/api/shop-events.ts';
import { newId } from '#shared/ids.ts';
import { logger } from '#shared/log.ts';
import { careDateItem } from '#shared/members/care-rules.ts';
import { applyOrderEvent, type OrderEventOptions } from '#shared/members/order-event.ts';
import { backoff, commit, MAX_ATTEMPTS, readMember, type TransactItem } from '#shared/members/store.ts';
import { createContact, findContactByShopUser } from '#shared/store/contacts.ts';
import { keys } from '#shared/store/keys.ts';
import { tableName } from '#shared/store/table.ts';

/** What applying a shop event did: changed something, or nothing (stale, repeated or already applied). */
export type ShopEventOutcome = 'applied' | 'stale';

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
 * Order events change the order, the contact's RFM figures, its points, tier (and, for the
 * consumer, churn score and dispatch watch) in one transaction (shared/members/order-event.ts);
 * older events never overwrite newer state, and repeats change nothing.
 */
export async function applyShopEvent({ shopId, event }: ShopEventMessage, options: OrderEventOptions = {}): Promise<ShopEventOutcome> {
  return event.type === 'member.upserted' ? applyMemberEvent(shopId, event) : applyOrderEvent(shopId, event, options);
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
