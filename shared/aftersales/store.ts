/**
 * After-sales requests in the table: `AFTERSALES#{id}` / `REQUEST`, listed per contact in gsi1,
 * one open request per order (`ORDER#{id}` / `AFTERSALES#OPEN`). Every transition is one
 * transaction: the record at the version read, the audit line on its ticket, the webhook outbox
 * events and (when it ends) the release of the order's open claim.
 */
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { conflict } from '#shared/http/errors.ts';
import { newId } from '#shared/ids.ts';
import type { TransactItem } from '#shared/members/store.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import type { Person } from '#shared/tickets/model.ts';
import { DEFAULT_RULES, type OrderFacts, type ShopRules } from './eligibility.ts';
import { type Action, type AfterSalesRequest, auditText, isTerminal, stateSentence, webhookTypes } from './model.ts';

const STORAGE = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'entity'];

export function requestFromItem(item: Record<string, unknown>): AfterSalesRequest {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!STORAGE.includes(k)) out[k] = v;
  return out as unknown as AfterSalesRequest;
}

function requestItem(r: AfterSalesRequest): Record<string, unknown> {
  return { ...keys.aftersalesRequest(r.requestId), ...keys.aftersalesOfContact(r.contactId, r.createdAt, r.requestId), entity: 'aftersales', ...r };
}

/** The shop's after-sales rules (defaults until an admin saves some). */
export async function readRules(): Promise<ShopRules> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.aftersalesSettings() }));
  const item = res.Item ?? {};
  return {
    returnWindowDays: typeof item.returnWindowDays === 'number' ? item.returnWindowDays : DEFAULT_RULES.returnWindowDays,
    excludedCategories: Array.isArray(item.excludedCategories) ? item.excludedCategories.map(String) : DEFAULT_RULES.excludedCategories,
  };
}

/** The order as eligibility reads it: the order item, its delivery time (order or newest delivered parcel). */
export async function orderFacts(orderId: string): Promise<(OrderFacts & { customerId: string; currency: string }) | undefined> {
  const [got, parcels] = await Promise.all([
    db().send(new GetCommand({ TableName: tableName(), Key: keys.order(orderId), ConsistentRead: true })),
    db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':pk': keys.order(orderId).pk, ':s': keys.shipmentPrefix() },
      }),
    ),
  ]);
  const item = got.Item;
  if (!item) return undefined;
  const delivered = (parcels.Items ?? [])
    .filter((p) => p.status === 'delivered' && typeof (p.latest as { at?: unknown } | undefined)?.at === 'string')
    .map((p) => (p.latest as { at: string }).at)
    .sort();
  const deliveredAt = typeof item.deliveredAt === 'string' ? item.deliveredAt : delivered.at(-1);
  return {
    orderId,
    contactId: String(item.contactId),
    customerId: String(item.customerId),
    status: String(item.status),
    amount: Number(item.amount ?? 0),
    currency: String(item.currency ?? 'CNY'),
    quantity: Number(item.quantity ?? 1),
    ...(item.refunded === true ? { refunded: true } : {}),
    ...(deliveredAt ? { deliveredAt } : {}),
    ...(typeof item.category === 'string' ? { category: item.category } : {}),
  };
}

/** Writes a new request and claims its order; 409 when the order already has an open request. */
export async function putNewRequest(r: AfterSalesRequest): Promise<void> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: requestItem(r), ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Put: {
              TableName: tableName(),
              Item: { ...keys.aftersalesOpen(r.orderId), requestId: r.requestId, at: r.createdAt },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'TransactionCanceledException') throw error;
    throw conflict({ en: 'this order already has an after-sales request in progress', zh: '该订单已有进行中的售后申请' }, { orderId: r.orderId });
  }
}

/** Undoes `putNewRequest` (its ticket could not be created): nothing is left half-made. */
export async function dropNewRequest(r: AfterSalesRequest): Promise<void> {
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        { Delete: { TableName: tableName(), Key: keys.aftersalesRequest(r.requestId) } },
        {
          Delete: {
            TableName: tableName(),
            Key: keys.aftersalesOpen(r.orderId),
            ConditionExpression: 'requestId = :r',
            ExpressionAttributeValues: { ':r': r.requestId },
          },
        },
      ],
    }),
  );
}

/** Whether a ticket header exists (a request whose ticket never came is an abandoned claim). */
export async function ticketExists(ticketId: string): Promise<boolean> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.ticket(ticketId), ConsistentRead: true, ProjectionExpression: 'pk' }));
  return res.Item !== undefined;
}

export async function readRequest(requestId: string): Promise<AfterSalesRequest | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.aftersalesRequest(requestId), ConsistentRead: true }));
  return res.Item ? requestFromItem(res.Item) : undefined;
}

/** The open request of an order, if any. */
export async function openRequestOf(orderId: string): Promise<AfterSalesRequest | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.aftersalesOpen(orderId), ConsistentRead: true }));
  return typeof res.Item?.requestId === 'string' ? readRequest(res.Item.requestId) : undefined;
}

/** A contact's requests, newest first. */
export async function listRequests(contactId: string, limit = 20): Promise<AfterSalesRequest[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.aftersalesOfContactPartition(contactId).gsi1pk },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (res.Items ?? []).map(requestFromItem);
}

/** The audit line of a transition, as the ticket store writes its own. */
export function auditItem(ticketId: string, at: string, actor: Person, text: { 'zh-CN': string; en: string }, from: string, to: string): TransactItem {
  const auditId = newId('aud', Date.parse(at));
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...keys.ticketAudit(ticketId, at, auditId),
        entity: 'ticket-audit',
        auditId,
        ticketId,
        at,
        actor,
        action: 'updated',
        changes: { aftersales: { from, to } },
        text,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The webhook outbox events of a transition (signed and delivered by shared/webhooks). */
export function outboxItems(after: AfterSalesRequest, events: { type: string; eventId: string }[], at: string): TransactItem[] {
  return events.map(({ type, eventId }) => {
    const data = {
      requestId: after.requestId,
      orderId: after.orderId,
      customerId: after.customerId,
      kind: after.kind,
      reason: after.reason,
      quantity: after.quantity,
      state: after.state,
      ...(after.refundAmount !== undefined ? { amount: after.refundAmount, currency: after.currency } : {}),
      ...(after.returnAddress ? { returnAddress: after.returnAddress } : {}),
      ...(after.rejectReason ? { rejectReason: after.rejectReason } : {}),
    };
    return {
      Put: {
        TableName: tableName(),
        Item: { ...keys.outboxEvent(eventId), ...keys.outboxPending(at, eventId), eventId, type, at, shopId: after.shopId, ...data },
      },
    };
  });
}

/**
 * The writes of a transition from a record read at `before.version`: the record (with the ids of the
 * webhook events it raised), its audit line, the outbox events and, when it ends, the order's release.
 */
export function transitionItems(
  before: AfterSalesRequest,
  after: AfterSalesRequest,
  action: Action,
  actor: Person,
  at: string,
): { items: TransactItem[]; record: AfterSalesRequest } {
  const events = webhookTypes(after, action).map((type) => ({ type, eventId: newId('evt', Date.parse(at)) }));
  const record: AfterSalesRequest = events.length ? { ...after, events: [...(after.events ?? []), ...events].slice(-20) } : after;
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName(),
        Item: requestItem(record),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': before.version },
      },
    },
    auditItem(after.ticketId, at, actor, auditText(before, after, action), before.state, after.state),
    ...outboxItems(record, events, at),
  ];
  if (isTerminal(after.state) && !isTerminal(before.state))
    items.push({
      Delete: {
        TableName: tableName(),
        Key: keys.aftersalesOpen(after.orderId),
        ConditionExpression: 'attribute_not_exists(pk) OR requestId = :r',
        ExpressionAttributeValues: { ':r': after.requestId },
      },
    });
  return { items, record };
}

/** Writes a staff transition; false when someone else changed the request first. */
export async function writeTransition(items: TransactItem[]): Promise<boolean> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'TransactionCanceledException') return false;
    throw error;
  }
}

/**
 * A shopper's open requests in words, newest first: what the bot's responder takes as `aftersales`
 * (shared/bot/responder.ts) to answer "退款到哪了".
 */
export async function openRequestsInWords(contactId: string): Promise<{ orderId: string; text: { zh: string; en: string } }[]> {
  const all = await listRequests(contactId, 10);
  return all
    .filter((r) => !isTerminal(r.state))
    .map((r) => {
      // Every line names its order (a shopper may have several requests open).
      const s = stateSentence(r);
      const named = (text: string, label: string) => (text.includes(r.orderId) ? text : `${label}${text}`);
      return { orderId: r.orderId, text: { zh: named(s['zh-CN'], `订单 ${r.orderId}：`), en: named(s.en, `Order ${r.orderId}: `) } };
    });
}
