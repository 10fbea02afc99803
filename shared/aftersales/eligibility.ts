/**
 * Whether a shopper may open an after-sales request for an order (pure): the shop's rules (return
 * window after delivery, excluded categories) and the order's status. A refusal says why, in zh-CN
 * and en, so the shopper sees it as it is.
 */
import type { Bilingual, Kind } from './model.ts';

export interface ShopRules {
  /** Days after delivery within which a request may be opened (七天无理由 by default). */
  returnWindowDays: number;
  /** Product categories that cannot be returned or exchanged (e.g. 定制商品, 生鲜). */
  excludedCategories: string[];
}

export const DEFAULT_RULES: ShopRules = { returnWindowDays: 7, excludedCategories: [] };

/** What eligibility needs to know of the order (the stored order item plus its delivery). */
export interface OrderFacts {
  orderId: string;
  contactId: string;
  status: string;
  amount: number;
  quantity: number;
  refunded?: boolean;
  /** When the parcel was delivered: the order's `deliveredAt` or the newest `shipment.delivered`. */
  deliveredAt?: string;
  /** The line's category, when the shop sends one. */
  category?: string;
}

export type Eligibility = { ok: true } | { ok: false; code: string; text: Bilingual };

const DAY_MS = 86_400_000;

function refuse(code: string, zh: string, en: string): Eligibility {
  return { ok: false, code, text: { 'zh-CN': zh, en } };
}

/** The day (UTC+8, how the shopper reads it) of an instant, yyyy-mm-dd. */
function day(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Decides whether `contactId` may ask for `kind` on `quantity` items of `order` at `now`. */
export function checkEligibility(
  order: OrderFacts | undefined,
  request: { contactId: string; kind: Kind; quantity: number },
  rules: ShopRules,
  now: Date,
): Eligibility {
  if (!order || order.contactId !== request.contactId) return refuse('no_order', '找不到该订单，请确认订单号', 'order not found; check the order number');
  if (order.refunded || order.status === 'refunded') return refuse('refunded', '该订单已退款，无需再申请售后', 'this order was already refunded');
  if (order.status === 'created') return refuse('unpaid', '订单尚未付款，无需申请售后，可直接取消订单', 'this order is not paid yet; cancel it instead');
  if (order.category && rules.excludedCategories.some((c) => c.toLowerCase() === order.category?.toLowerCase()))
    return refuse('excluded', `该类商品（${order.category}）不支持退换货`, `items of this category (${order.category}) cannot be returned or exchanged`);
  if (request.quantity > order.quantity)
    return refuse('quantity', `申请数量超过订单数量（${order.quantity} 件）`, `the quantity is more than the order has (${order.quantity})`);
  if (request.kind !== 'refund_only' && !order.deliveredAt)
    return refuse(
      'not_delivered',
      '订单尚未签收，暂不能退货或换货；未收到货可申请仅退款',
      'the order has not been delivered yet, so it cannot be returned or exchanged; ask for a refund only instead',
    );
  if (order.deliveredAt && now.getTime() > Date.parse(order.deliveredAt) + rules.returnWindowDays * DAY_MS)
    return refuse(
      'window',
      `已超过签收后 ${rules.returnWindowDays} 天的售后期限（签收于 ${day(order.deliveredAt)}）`,
      `the ${rules.returnWindowDays}-day after-sales window after delivery has passed (delivered on ${day(order.deliveredAt)})`,
    );
  return { ok: true };
}
