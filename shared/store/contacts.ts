import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

export interface Contact {
  contactId: string;
  shopId: string;
  /** Anonymous visitor, or a shopper whose identity the shop verified. */
  verified: boolean;
  shopUserId?: string;
  name?: string;
  email?: string;
  locale?: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Reads a contact profile. */
export async function getContact(contactId: string): Promise<Contact | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.contact(contactId) }));
  return res.Item ? strip(res.Item) : undefined;
}

/** The contact that a shop user id was linked to (strongly consistent via the uniqueness item). */
export async function findContactByShopUser(shopId: string, shopUserId: string): Promise<string | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.contactByShopUser(shopId, shopUserId), ConsistentRead: true }));
  return res.Item?.contactId as string | undefined;
}

/**
 * Creates a contact. A verified shopper's contact is written together with its uniqueness item
 * in one transaction, so two concurrent first visits cannot create two contacts.
 */
export async function createContact(contact: Contact): Promise<'created' | 'exists'> {
  const item = { ...keys.contact(contact.contactId), ...contact };
  if (!contact.shopUserId) {
    await db().send(new PutCommand({ TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    return 'created';
  }
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Put: {
              TableName: tableName(),
              Item: { ...keys.contactByShopUser(contact.shopId, contact.shopUserId), contactId: contact.contactId },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
    return 'created';
  } catch (error) {
    if ((error as Error).name === 'TransactionCanceledException') return 'exists';
    throw error;
  }
}

function strip(item: Record<string, unknown>): Contact {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g1s, ...rest } = item;
  return rest as unknown as Contact;
}
