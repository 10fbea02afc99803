import { DeleteCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { attachmentKey, deleteObjects } from '#shared/attachments.ts';
import { stableId } from '#shared/campaigns/send.ts';
import { ACCESS_ACTION_TEXT, accessLogOfContact } from '#shared/privacy/access-log.ts';
import { type EraseStore, MESSAGE_TOMBSTONE } from '#shared/privacy/erase.ts';
import { type ExportReads, publicRow, type Row } from '#shared/privacy/export.ts';
import { tasksOfContact } from '#shared/privacy/tasks.ts';
import { keys } from '#shared/store/keys.ts';
import { db, setRemove, tableName } from '#shared/store/table.ts';

/**
 * Table side of export and erasure. Every read is a Query on an existing access pattern
 * (a contact's partition, or a gsi1 `CONTACT#{id}#…` partition), paged to its end; erasure walks
 * the same patterns. Campaign send records have no per-contact index: the erasure walks the
 * campaigns listing (gsi1 `CAMPAIGNS`) and reads `SEND#{contactId}` of each — a batch over an
 * index partition, never a table Scan.
 */

type QuerySpec = { index?: 'gsi1'; pkName: string; pk: string; prefix?: string; consistent?: boolean };

/** Every item of one partition (optionally under a sort-key prefix), page by page. */
export async function* queryPages(spec: QuerySpec): AsyncGenerator<Row[]> {
  let start: Record<string, unknown> | undefined;
  const skName = spec.index ? 'gsi1sk' : 'sk';
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        ...(spec.index ? { IndexName: spec.index } : { ConsistentRead: spec.consistent ?? true }),
        KeyConditionExpression: spec.prefix ? '#pk = :pk AND begins_with(#sk, :p)' : '#pk = :pk',
        ExpressionAttributeNames: { '#pk': spec.pkName, ...(spec.prefix ? { '#sk': skName } : {}) },
        ExpressionAttributeValues: { ':pk': spec.pk, ...(spec.prefix ? { ':p': spec.prefix } : {}) },
        ExclusiveStartKey: start,
      }),
    );
    yield res.Items ?? [];
    start = res.LastEvaluatedKey;
  } while (start);
}

async function queryAll(spec: QuerySpec): Promise<Row[]> {
  const out: Row[] = [];
  for await (const page of queryPages(spec)) out.push(...page);
  return out;
}

const contactPk = (contactId: string) => keys.contact(contactId).pk;
const gsi1 = (pk: string): QuerySpec => ({ index: 'gsi1', pkName: 'gsi1pk', pk });

async function get(key: { pk: string; sk: string }): Promise<Row | undefined> {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item;
}

/** The export's reads on the live table. */
export const dynamoExportReads: ExportReads = {
  profile: (contactId) => get(keys.contact(contactId)),
  consentLog: (contactId) => queryAll({ pkName: 'pk', pk: contactPk(contactId), prefix: keys.consentLogPrefix() }),
  async orders(contactId) {
    const orders = await queryAll(gsi1(keys.contactOrdersPartition(contactId).gsi1pk));
    // Each order with its parcels and their trace (kept under the order's partition).
    return Promise.all(
      orders.map(async (order) => {
        const orderPk = keys.order(String(order.orderId)).pk;
        const [shipments, trace] = await Promise.all([
          queryAll({ pkName: 'pk', pk: orderPk, prefix: keys.shipmentPrefix() }),
          queryAll({ pkName: 'pk', pk: orderPk, prefix: keys.shipmentTracesPrefix() }),
        ]);
        return shipments.length ? { ...order, shipments: shipments.map(publicRow), trace: trace.map(publicRow) } : order;
      }),
    );
  },
  conversations: (contactId) => queryAll(gsi1(keys.contactConversationsPartition(contactId).gsi1pk)),
  messages: (conversationId) => queryAll({ pkName: 'pk', pk: keys.conversation(conversationId).pk, prefix: keys.messagePrefix() }),
  tickets: (contactId) => queryAll(gsi1(keys.contactTicketsPartition(contactId).gsi1pk)),
  async surveys(contactId) {
    const surveys = await queryAll(gsi1(keys.contactSurveysPartition(contactId).gsi1pk));
    return Promise.all(
      surveys.map(async (survey) => {
        const response = await get(keys.surveyResponse(String(survey.surveyId)));
        return response ? { survey, response } : { survey };
      }),
    );
  },
  ledger: (contactId) => queryAll({ pkName: 'pk', pk: contactPk(contactId), prefix: keys.pointsEntryPrefix() }),
  async accessLog(contactId) {
    return (await accessLogOfContact(contactId, new Date())).map((e) => ({
      at: e.at,
      staff: e.staff.name,
      action: e.action,
      actionText: ACCESS_ACTION_TEXT[e.action],
      fields: e.fields,
      ...(e.reason ? { reason: e.reason } : {}),
    }));
  },
};

/** Sets and removes attributes of one item (only if it still exists). */
async function patch(key: { pk: string; sk: string }, set: Record<string, unknown>, remove: string[] = []): Promise<void> {
  const update = setRemove(set, remove);
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: `${update.set} ${update.remove}`.trim(),
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: update.names,
        ...(Object.keys(update.values).length ? { ExpressionAttributeValues: update.values } : {}),
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
}

async function del(key: { pk: string; sk: string }): Promise<void> {
  await db().send(new DeleteCommand({ TableName: tableName(), Key: key }));
}

type Attachment = { attachmentId: string };

/** Profile attributes an erased contact keeps: ids, figures and index keys, no personal data. */
const PROFILE_KEEP = new Set([
  'pk',
  'sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'contactId',
  'shopId',
  'verified',
  'createdAt',
  'updatedAt',
  'version',
  'orderCount',
  'totalSpend',
  'firstOrderAt',
  'lastOrderAt',
  'pointsBalance',
  'pointsEarned',
  'tierId',
  'tierSince',
  'tierReviewAt',
  'tierGraceUntil',
  'churnRisk',
  'churnLevel',
  'churnReasonCodes',
  'churnVersion',
]);

/** Ledger attributes kept for accounting: numbers, dates and kinds, no free text. */
const LEDGER_KEEP = new Set([
  'pk',
  'sk',
  'entryId',
  'contactId',
  'kind',
  'points',
  'delta',
  'balance',
  'balanceAfter',
  'at',
  'expiresAt',
  'lotId',
  'shortfall',
  'sourceId',
]);

/** The erasure's writes on the live table and the attachments bucket. */
export const dynamoEraseStore: EraseStore = {
  async exports(contactId) {
    const bundles = (await tasksOfContact(contactId)).filter((t) => t.kind === 'export' && t.objectKey);
    await deleteObjects(bundles.map((t) => t.objectKey as string));
    return bundles.length;
  },

  async conversations(contactId, stub) {
    let changed = 0;
    const conversations = await queryAll(gsi1(keys.contactConversationsPartition(contactId).gsi1pk));
    for (const conversation of conversations) {
      const conversationId = String(conversation.conversationId);
      for await (const page of queryPages({ pkName: 'pk', pk: keys.conversation(conversationId).pk, prefix: keys.messagePrefix() })) {
        for (const message of page) {
          const attachments = (message.attachments as Attachment[] | undefined) ?? [];
          if (attachments.length) await deleteObjects(attachments.map((a) => attachmentKey(conversationId, a.attachmentId)));
          const author = message.author as { kind?: string; name?: string } | undefined;
          const fromContact = author?.kind === 'visitor';
          if (fromContact && (message.text !== MESSAGE_TOMBSTONE || attachments.length || author?.name)) {
            await patch(
              { pk: String(message.pk), sk: String(message.sk) },
              { text: MESSAGE_TOMBSTONE, author: { kind: 'visitor', name: stub }, erased: true },
              ['attachments', 'meta'],
            );
            changed++;
          } else if (attachments.length) {
            await patch({ pk: String(message.pk), sk: String(message.sk) }, { attachmentsErased: attachments.length }, ['attachments']);
            changed++;
          }
        }
      }
      await patch(keys.conversation(conversationId), { contactName: stub, lastMessagePreview: MESSAGE_TOMBSTONE }, ['offline', 'page']);
      // A WeChat conversation's link to the customer's WeChat identity goes too: the next message
      // from that WeChat user starts a new contact.
      const wechat = await get(keys.wecomConversation(conversationId));
      if (wechat) {
        await del(keys.wecomCustomer(String(wechat.openKfId), String(wechat.externalUserId)));
        await del(keys.wecomConversation(conversationId));
      }
      changed++;
    }
    return changed;
  },

  async orders(contactId, stub) {
    const orders = await queryAll(gsi1(keys.contactOrdersPartition(contactId).gsi1pk));
    for (const order of orders) {
      await patch(keys.order(String(order.orderId)), { customerId: stub }, ['name', 'email', 'phone', 'address', 'shipping']);
      // Parcels and their trace (where the parcel went, who signed for it) go with the person.
      const orderPk = keys.order(String(order.orderId)).pk;
      for (const prefix of [keys.shipmentPrefix(), keys.shipmentTracesPrefix()]) {
        for await (const page of queryPages({ pkName: 'pk', pk: orderPk, prefix })) {
          for (const item of page) await del({ pk: String(item.pk), sk: String(item.sk) });
        }
      }
    }
    // After-sales requests: the shopper's note, the return address and the photos go; the
    // request's numbers (kind, amounts, states) stay with the order, as the ledger's do.
    const requests = await queryAll(gsi1(keys.aftersalesOfContactPartition(contactId).gsi1pk));
    for (const request of requests) {
      const photos = (request.photos as { attachmentId: string }[] | undefined) ?? [];
      if (photos.length) await deleteObjects(photos.map((p) => attachmentKey(String(request.photoScope), p.attachmentId)));
      await patch(keys.aftersalesRequest(String(request.requestId)), { photos: [], erased: true }, ['note', 'returnAddress']);
    }
    return orders.length + requests.length;
  },

  async tickets(contactId, stub) {
    const tickets = await queryAll(gsi1(keys.contactTicketsPartition(contactId).gsi1pk));
    for (const ticket of tickets) await patch(keys.ticket(String(ticket.ticketId)), { requester: { contactId, name: stub } });
    return tickets.length;
  },

  async surveys(contactId) {
    const surveys = await queryAll(gsi1(keys.contactSurveysPartition(contactId).gsi1pk));
    let changed = 0;
    for (const survey of surveys) {
      const surveyId = String(survey.surveyId);
      const response = await get(keys.surveyResponse(surveyId));
      if (response) {
        const answers = Object.fromEntries(
          Object.entries((response.answers as Record<string, unknown> | undefined) ?? {}).filter(
            ([, v]) => typeof v === 'number' || Array.isArray(v) || (typeof v === 'string' && !/\s/.test(v)),
          ),
        );
        await patch(keys.surveyResponse(surveyId), { answers }, ['comment']);
        changed++;
      }
      await patch(keys.surveyFollowUp(surveyId), {}, ['comment']);
    }
    return changed;
  },

  async campaigns(contactId) {
    let changed = 0;
    for await (const page of queryPages(gsi1(keys.campaignsPartition().gsi1pk))) {
      for (const campaign of page) {
        const campaignId = String(campaign.campaignId);
        if (await get(keys.campaignSend(campaignId, contactId))) {
          await del(keys.campaignSend(campaignId, contactId));
          changed++;
        }
        await del(keys.emailOutbox(`cmp-${stableId(campaignId, contactId)}`));
        await del(keys.outboxEvent(`evt_cmp_${stableId(campaignId, contactId)}`));
      }
    }
    return changed;
  },

  async 'contact-records'(contactId) {
    let changed = 0;
    for await (const page of queryPages({ pkName: 'pk', pk: contactPk(contactId) })) {
      for (const item of page) {
        const sk = String(item.sk);
        const key = { pk: String(item.pk), sk };
        if (sk.startsWith(keys.pointsEntryPrefix())) {
          const drop = Object.keys(item).filter((k) => !LEDGER_KEEP.has(k));
          if (drop.length) {
            await patch(key, {}, drop);
            changed++;
          }
        } else if (
          sk.startsWith(keys.consentLogPrefix()) ||
          sk.startsWith(keys.campaignMessagePrefix()) ||
          sk.startsWith(keys.careDatePrefix()) ||
          sk.startsWith('CMID#') ||
          sk === keys.contactCap(contactId).sk
        ) {
          await del(key);
          changed++;
        }
      }
    }
    return changed;
  },

  async profile(contactId, stub) {
    const profile = await get(keys.contact(contactId));
    if (!profile) return 0;
    const guards: { pk: string; sk: string }[] = [];
    if (typeof profile.shopUserId === 'string' && typeof profile.shopId === 'string') guards.push(keys.contactByShopUser(profile.shopId, profile.shopUserId));
    for (const email of [profile.email, profile.emailIndexed]) if (typeof email === 'string' && email) guards.push(keys.contactByEmail(email));
    const owned: { pk: string; sk: string }[] = [];
    for (const guard of guards) if ((await get(guard))?.contactId === contactId && !owned.some((g) => g.pk === guard.pk)) owned.push(guard);
    const kept = Object.fromEntries(Object.entries(profile).filter(([k]) => PROFILE_KEEP.has(k)));
    const version = typeof profile.version === 'number' ? profile.version : 0;
    const next = { ...kept, name: stub, erased: true, erasedAt: new Date().toISOString(), version: version + 1 };
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: next,
              ConditionExpression: typeof profile.version === 'number' ? 'version = :v' : 'attribute_not_exists(version)',
              ...(typeof profile.version === 'number' ? { ExpressionAttributeValues: { ':v': version } } : {}),
            },
          },
          ...owned.map((key) => ({
            Delete: { TableName: tableName(), Key: key, ConditionExpression: 'contactId = :c', ExpressionAttributeValues: { ':c': contactId } },
          })),
        ],
      }),
    );
    return 1 + owned.length;
  },
};
