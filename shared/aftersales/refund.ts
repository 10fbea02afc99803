/**
 * What a refund the shop completed changes on the order, the RFM figures and the points (pure).
 * A partial refund shrinks the counted amount and the order's earned points in proportion; the
 * refund that brings the counted amount to zero uncounts the order and takes back every point it
 * still holds. So any sequence of partial refunds, and a later `order.refunded`, never takes back
 * more than the order earned, and the ledger's debit (allowPartial) never goes below zero.
 */
import { cents, type Rfm } from '#shared/members/orders.ts';

export interface RefundOrder {
  counted?: boolean;
  refunded?: boolean;
  countedAmount?: number;
  earnedPoints?: number;
}

export interface RefundPlan {
  /** Money taken off the counted amount (≤ what was still counted). */
  taken: number;
  countedAmount: number;
  earnedPoints: number;
  /** The order no longer counts (its whole counted amount came back). */
  uncounted: boolean;
  /** Points to take back (the ledger takes what is there, never below zero). */
  reversePoints: number;
  rfm: Rfm;
}

/** Plans one completed refund of `amount` on an order; undefined when the order never counted (or already was refunded). */
export function planRefund(order: RefundOrder, rfm: Rfm, amount: number): RefundPlan | undefined {
  if (!order.counted || order.refunded) return undefined;
  const counted = order.countedAmount ?? 0;
  const earned = order.earnedPoints ?? 0;
  const taken = cents(Math.min(Math.max(0, amount), counted));
  const remaining = cents(counted - taken);
  const uncounted = remaining <= 0;
  const reversePoints = uncounted ? earned : counted > 0 ? Math.min(earned, Math.round((earned * taken) / counted)) : 0;
  return {
    taken,
    countedAmount: uncounted ? 0 : remaining,
    earnedPoints: earned - reversePoints,
    uncounted,
    reversePoints,
    rfm: {
      ...rfm,
      totalSpend: Math.max(0, cents(rfm.totalSpend - taken)),
      orderCount: uncounted ? Math.max(0, rfm.orderCount - 1) : rfm.orderCount,
    },
  };
}
