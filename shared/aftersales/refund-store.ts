/**
 * `refund.completed` from the shop: one transaction marks the request completed (audited on its
 * ticket), shrinks the order's counted amount and earned points, adjusts the RFM figures and takes
 * back the points earned on the refunded amount (never below zero). The event id is claimed in the
 * same transaction, so a repeat changes nothing.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { RefundEvent } from '#shared/api/shop-events.ts';
import { newId } from '#shared/ids.ts';
import { debit, type LedgerChange } from '#shared/members/ledger.ts';
import { backoff, commit, ledgerItems, MAX_ATTEMPTS, profileItem, readLedger, readMember, type TransactItem } from '#shared/members/store.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import type { Person } from '#shared/tickets/model.ts';
import { type AfterSalesRequest, applyAction, isRefusal, isTerminal } from './model.ts';
import { planRefund } from './refund.ts';
import { auditItem, openRequestOf, readRequest, transitionItems } from './store.ts';

const SHOP: Person = { kind: 'system', name: 'shop' };

async function requestFor(event: RefundEvent): Promise<AfterSalesRequest | undefined> {
  const named = event.data.requestId ? await readRequest(event.data.requestId) : await openRequestOf(event.data.orderId);
  return named && named.orderId === event.data.orderId ? named : undefined;
}

export async function applyRefundCompleted(_shopId: string, event: RefundEvent): Promise<'applied' | 'stale'> {
  const { orderId, amount } = event.data;
  const at = event.occurredAt;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const got = await db().send(new GetCommand({ TableName: tableName(), Key: keys.order(orderId), ConsistentRead: true }));
    const order = got.Item;
    const request = await requestFor(event);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: tableName(),
          Item: { ...keys.aftersalesRefund(orderId, event.eventId), eventId: event.eventId, amount, at, ...(request ? { requestId: request.requestId } : {}) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    const member = order ? await readMember(String(order.contactId)) : undefined;
    const plan =
      order && member
        ? planRefund(
            {
              ...(order.counted === true ? { counted: true } : {}),
              ...(order.refunded === true ? { refunded: true } : {}),
              countedAmount: Number(order.countedAmount ?? 0),
              earnedPoints: Number(order.earnedPoints ?? 0),
            },
            member.rfm,
            amount,
          )
        : undefined;
    if (order && member && plan) {
      const version = typeof order.version === 'number' ? order.version : 0;
      items.push({
        Update: {
          TableName: tableName(),
          Key: keys.order(orderId),
          UpdateExpression: `SET countedAmount = :c, earnedPoints = :e, version = :nv${plan.uncounted ? ', refunded = :t' : ''}`,
          ConditionExpression: version === 0 ? 'attribute_not_exists(version)' : 'version = :v',
          ExpressionAttributeValues: {
            ':c': plan.countedAmount,
            ':e': plan.earnedPoints,
            ':nv': version + 1,
            ...(version === 0 ? {} : { ':v': version }),
            ...(plan.uncounted ? { ':t': true } : {}),
          },
        },
      });
      let change: LedgerChange | undefined;
      if (plan.reversePoints > 0) {
        const planned = debit(await readLedger(member), {
          kind: 'reverse',
          points: plan.reversePoints,
          sourceId: `refund#${orderId}#${event.eventId}`,
          entryId: newId('pt', Date.parse(at)),
          at,
          ...(typeof order.earnLotId === 'string' ? { preferLot: order.earnLotId } : {}),
          allowPartial: true,
        });
        if (typeof planned !== 'string') change = planned;
      }
      if (change) items.push(...ledgerItems(member.contactId, change));
      items.push(profileItem(member, { rfm: plan.rfm, ...(change ? { ledger: { balance: change.entry.balanceAfter, earned: member.earned } } : {}) }));
    }
    if (request) {
      const action = { action: 'refund_completed' as const, amount };
      const after = isTerminal(request.state) ? undefined : applyAction(request, action, at);
      if (after && !isRefusal(after)) items.push(...transitionItems(request, after, action, SHOP, at).items);
      else
        items.push(
          auditItem(
            request.ticketId,
            at,
            SHOP,
            { 'zh-CN': `售后：商家已退款 ¥${amount.toFixed(2)}`, en: `After-sales: the shop refunded ¥${amount.toFixed(2)}` },
            request.state,
            request.state,
          ),
        );
    }
    const outcome = await commit(items, 0);
    if (outcome === 'committed') return 'applied';
    if (outcome === 'duplicate') return 'stale';
    await backoff(attempt);
  }
  throw new Error('refund event: too much contention on one order or contact');
}
