import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conflict, notFound } from '#shared/http/errors.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

/**
 * Contact merge: a duplicate (an anonymous visitor, an email-only contact) is folded into the
 * contact that stays. Conversations and tickets follow; the duplicate keeps a `MERGED` redirect.
 * Orders, points and consent stay with the shop customer they belong to (a duplicate that is itself
 * a verified shop customer is never merged away).
 */

export interface MergeContact {
  contactId: string;
  verified: boolean;
  shopUserId?: string;
  mergedInto?: string;
  version?: number;
}

/** Ports of a merge (table access), so the rules are tested with fakes. */
export interface MergePorts {
  contact(contactId: string): Promise<MergeContact | undefined>;
  conversations(contactId: string): Promise<{ conversationId: string }[]>;
  tickets(contactId: string): Promise<{ ticketId: string }[]>;
  /** Writes the redirect and marks the duplicate (idempotent for the same target). */
  markMerged(from: MergeContact, into: string, at: string): Promise<void>;
  moveConversation(conversationId: string, from: string, into: string): Promise<boolean>;
  moveTicket(ticketId: string, from: string, into: string): Promise<boolean>;
}

/**
 * Merges `fromId` into `intoId`. Resumable: the redirect is written first, then every item moves
 * under a condition on its current owner, so running it again moves only what is left.
 */
export async function mergeContacts(fromId: string, intoId: string, ports: MergePorts, now: Date): Promise<{ conversations: number; tickets: number }> {
  if (fromId === intoId) throw conflict({ en: 'a contact cannot be merged into itself', zh: '联系人不能合并到自身' });
  const [from, into] = await Promise.all([ports.contact(fromId), ports.contact(intoId)]);
  if (!from) throw notFound('contact to merge');
  if (!into) throw notFound('target contact');
  if (into.mergedInto)
    throw conflict({
      en: `the target was itself merged into ${into.mergedInto}; merge into that contact`,
      zh: `目标联系人已被合并到 ${into.mergedInto}，请合并到该联系人`,
    });
  if (from.mergedInto && from.mergedInto !== intoId)
    throw conflict({ en: `this contact was already merged into ${from.mergedInto}`, zh: `该联系人已合并到 ${from.mergedInto}` });
  if (from.verified && from.shopUserId)
    throw conflict({
      en: 'a verified shop customer cannot be merged away; merge the other contact into it',
      zh: '已验证的店铺顾客不能被合并掉，请把另一个联系人合并到它',
    });
  if (!from.mergedInto) await ports.markMerged(from, intoId, now.toISOString());
  let conversations = 0;
  for (const c of await ports.conversations(fromId)) if (await ports.moveConversation(c.conversationId, fromId, intoId)) conversations++;
  let tickets = 0;
  for (const t of await ports.tickets(fromId)) if (await ports.moveTicket(t.ticketId, fromId, intoId)) tickets++;
  return { conversations, tickets };
}

/** Every item of a gsi1 partition (a contact's conversations or tickets), paged to the end. */
async function partition(gsi1pk: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': gsi1pk },
        ExclusiveStartKey: start,
      }),
    );
    out.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  return out;
}

async function moveIf(update: ConstructorParameters<typeof UpdateCommand>[0]): Promise<boolean> {
  try {
    await db().send(new UpdateCommand(update));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** The merge's table side. */
export const dynamoMergePorts: MergePorts = {
  async contact(contactId) {
    const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.contact(contactId), ConsistentRead: true }));
    return res.Item as MergeContact | undefined;
  },
  conversations: async (contactId) =>
    (await partition(keys.contactConversationsPartition(contactId).gsi1pk)).map((c) => ({ conversationId: String(c.conversationId) })),
  tickets: async (contactId) => (await partition(keys.contactTicketsPartition(contactId).gsi1pk)).map((t) => ({ ticketId: String(t.ticketId) })),
  async markMerged(from, into, at) {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: { ...keys.mergedRedirect(from.contactId), contactId: from.contactId, intoContactId: into, at },
              ConditionExpression: 'attribute_not_exists(pk) OR intoContactId = :i',
              ExpressionAttributeValues: { ':i': into },
            },
          },
          {
            Update: {
              TableName: tableName(),
              Key: keys.contact(from.contactId),
              UpdateExpression: 'SET mergedInto = :i, mergedAt = :t, updatedAt = :t, version = if_not_exists(version, :z) + :one',
              ConditionExpression: 'attribute_not_exists(mergedInto) OR mergedInto = :i',
              ExpressionAttributeValues: { ':i': into, ':t': at, ':z': 0, ':one': 1 },
            },
          },
        ],
      }),
    );
  },
  async moveConversation(conversationId, from, into) {
    const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.conversation(conversationId), ConsistentRead: true }));
    const c = res.Item;
    if (!c || c.contactId !== from) return false;
    const index = keys.conversationOfContact(into, String(c.createdAt), conversationId);
    return moveIf({
      TableName: tableName(),
      Key: keys.conversation(conversationId),
      UpdateExpression: 'SET contactId = :to, gsi1pk = :g, gsi1sk = :gs, version = version + :one',
      ConditionExpression: 'contactId = :from',
      ExpressionAttributeValues: { ':to': into, ':from': from, ':g': index.gsi1pk, ':gs': index.gsi1sk, ':one': 1 },
    });
  },
  async moveTicket(ticketId, from, into) {
    const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.ticket(ticketId), ConsistentRead: true }));
    const t = res.Item;
    if (!t || (t.requester as { contactId?: string } | undefined)?.contactId !== from) return false;
    const index = keys.ticketOfContact(into, String(t.createdAt), ticketId);
    return moveIf({
      TableName: tableName(),
      Key: keys.ticket(ticketId),
      UpdateExpression: 'SET requester.contactId = :to, gsi1pk = :g, gsi1sk = :gs, version = if_not_exists(version, :z) + :one',
      ConditionExpression: 'requester.contactId = :from',
      ExpressionAttributeValues: { ':to': into, ':from': from, ':g': index.gsi1pk, ':gs': index.gsi1sk, ':z': 0, ':one': 1 },
    });
  },
};
