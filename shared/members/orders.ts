/**
 * Orders and RFM figures (pure). The order's status follows the newest event only, but whether
 * the order *counts* (paid, once) is decided independently of arrival order: any event that
 * implies payment counts it once, a refund uncounts it once, and a refund that arrives before
 * the payment makes the late payment count for nothing.
 */

export type OrderEventType = 'order.created' | 'order.paid' | 'order.shipped' | 'order.delivered' | 'order.refunded';

export interface OrderEventData {
  orderId: string;
  customerId: string;
  amount: number;
  currency: string;
  quantity?: number;
}

/** The order item as stored (`ORDER#{orderId}` / `ORDER`). */
export interface OrderRecord {
  orderId: string;
  contactId: string;
  customerId: string;
  amount: number;
  currency: string;
  quantity: number;
  status: string;
  /** Time of the event the status came from (older events never overwrite it). */
  statusAt: string;
  /** Earliest event time seen for the order. */
  placedAt: string;
  /** Counted into the RFM figures (and earned points) once. */
  counted?: boolean;
  /** Refunded: never counts again. */
  refunded?: boolean;
  /** The amount that was counted, subtracted again on refund. */
  countedAmount?: number;
  /** Points the order earned and the lot they went into (a refund reverses them). */
  earnedPoints?: number;
  earnLotId?: string;
  /** Per-status event times: `paidAt`, `shippedAt`… */
  times: Record<string, string>;
  version: number;
}

/** Purchase figures on the contact profile. */
export interface Rfm {
  orderCount: number;
  /** Rounded to cents. */
  totalSpend: number;
  firstOrderAt?: string;
  lastOrderAt?: string;
}

export const EMPTY_RFM: Rfm = { orderCount: 0, totalSpend: 0 };

const STATUS_ORDER = ['created', 'paid', 'shipped', 'delivered', 'refunded'];

/** Lifecycle position of a status: breaks ties between events with the same time (a same-day refund wins). */
function statusRank(status: string): number {
  return STATUS_ORDER.indexOf(status);
}

const PAYMENT_IMPLIED = new Set<OrderEventType>(['order.paid', 'order.shipped', 'order.delivered']);

/** Money rounded to cents (floating sums drift otherwise). */
export function cents(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Average order value, derived on read. */
export function avgSpend(rfm: Rfm): number {
  return rfm.orderCount > 0 ? cents(rfm.totalSpend / rfm.orderCount) : 0;
}

export interface OrderDecision {
  order: OrderRecord;
  /** `count`: add to RFM and earn points; `uncount`: subtract and reverse. */
  counting: 'count' | 'uncount' | 'none';
  rfm: Rfm;
  /** Nothing changes (a stale or repeated event). */
  noop: boolean;
}

/** Decides what one order event changes on the order and the contact's RFM figures. */
export function decideOrder(
  prev: OrderRecord | undefined,
  event: { type: OrderEventType; occurredAt: string; data: OrderEventData },
  contactId: string,
  rfm: Rfm,
): OrderDecision {
  const at = event.occurredAt;
  const status = event.type.slice('order.'.length);
  const newer = !prev || prev.statusAt < at || (prev.statusAt === at && statusRank(status) > statusRank(prev.status));
  const base: OrderRecord = prev ?? {
    orderId: event.data.orderId,
    contactId,
    customerId: event.data.customerId,
    amount: event.data.amount,
    currency: event.data.currency,
    quantity: event.data.quantity ?? 1,
    status,
    statusAt: at,
    placedAt: at,
    times: {},
    version: 0,
  };
  let order: OrderRecord = {
    ...base,
    placedAt: base.placedAt < at ? base.placedAt : at,
    times: base.times[`${status}At`] && base.times[`${status}At`]! <= at ? base.times : { ...base.times, [`${status}At`]: at },
  };
  if (newer) {
    order = {
      ...order,
      amount: event.data.amount,
      currency: event.data.currency,
      quantity: event.data.quantity ?? order.quantity,
      status,
      statusAt: at,
    };
  }

  let counting: OrderDecision['counting'] = 'none';
  let next = rfm;
  if (event.type === 'order.refunded') {
    if (order.counted && !order.refunded) {
      counting = 'uncount';
      next = {
        ...rfm,
        orderCount: Math.max(0, rfm.orderCount - 1),
        totalSpend: Math.max(0, cents(rfm.totalSpend - (order.countedAmount ?? 0))),
      };
    }
    order = { ...order, refunded: true };
  } else if (PAYMENT_IMPLIED.has(event.type) && !order.counted && !order.refunded) {
    counting = 'count';
    const amount = event.data.amount;
    order = { ...order, counted: true, countedAmount: amount };
    next = {
      orderCount: rfm.orderCount + 1,
      totalSpend: cents(rfm.totalSpend + amount),
      firstOrderAt: rfm.firstOrderAt && rfm.firstOrderAt < order.placedAt ? rfm.firstOrderAt : order.placedAt,
      lastOrderAt: rfm.lastOrderAt && rfm.lastOrderAt > order.placedAt ? rfm.lastOrderAt : order.placedAt,
    };
  }
  const noop = !!prev && counting === 'none' && !newer && order.placedAt === prev.placedAt && order.refunded === prev.refunded && order.times === prev.times;
  return { order, counting, rfm: next, noop };
}
