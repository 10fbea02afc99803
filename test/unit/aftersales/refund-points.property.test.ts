import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRefund } from '#shared/aftersales/refund.ts';
import { applyChange, credit, debit, type LedgerChange, type LedgerState } from '#shared/members/ledger.ts';
import { cents, decideOrder, type OrderRecord, type Rfm } from '#shared/members/orders.ts';

const AT = '2026-12-01T00:00:00.000Z';

/**
 * Extends the ledger's property tests to after-sales refunds: an order earns points, the shopper
 * may spend some, then the shop reports partial refunds (and perhaps the full `order.refunded`).
 */
describe('points reversal on refunds (property)', () => {
  it('takes back points earned on the refunded amount, never more than earned, never below zero; RFM follows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200_000 }).map((c) => c / 100),
        fc.integer({ min: 0, max: 2_000 }),
        fc.integer({ min: 0, max: 2_500 }),
        fc.array(
          fc.integer({ min: 1, max: 150_000 }).map((c) => c / 100),
          { maxLength: 8 },
        ),
        fc.boolean(),
        (amount, earned, spend, refunds, fullRefundLater) => {
          let ledger: LedgerState = { balance: 0, lots: [] };
          let seq = 0;
          const apply = (change: LedgerChange | string) => {
            if (typeof change === 'string') return;
            ledger = applyChange(ledger, change);
            expect(ledger.balance).toBeGreaterThanOrEqual(0);
            expect(ledger.balance).toBe(ledger.lots.reduce((s, l) => s + l.remaining, 0));
          };
          const otherRfm: Rfm = { orderCount: 3, totalSpend: 500 };
          let order: OrderRecord = {
            orderId: 'o1',
            contactId: 'c',
            customerId: 'c',
            amount,
            currency: 'CNY',
            quantity: 1,
            status: 'paid',
            statusAt: AT,
            placedAt: AT,
            counted: true,
            countedAmount: amount,
            times: { paidAt: AT },
            version: 1,
          };
          let rfm: Rfm = { orderCount: otherRfm.orderCount + 1, totalSpend: cents(otherRfm.totalSpend + amount) };
          if (earned > 0) {
            const c = credit(ledger, { kind: 'earn', points: earned, sourceId: 'earn', entryId: 'lot-order', at: AT, expiresAt: '2027-12-01T00:00:00Z' });
            apply(c);
            order = { ...order, earnedPoints: earned, earnLotId: 'lot-order' };
          }
          // Points from elsewhere, then some spent: a reversal may find less than it wants.
          apply(credit(ledger, { kind: 'adjust', points: 100, sourceId: 'gift', entryId: 'lot-gift', at: AT, expiresAt: '2027-06-01T00:00:00Z' }));
          if (spend > 0) apply(debit(ledger, { kind: 'redeem', points: spend, sourceId: 'spend', entryId: `pt-${seq++}`, at: AT, allowPartial: true }));

          let wanted = 0;
          let taken = 0;
          for (const refund of refunds) {
            const plan = planRefund(order, rfm, refund);
            if (!plan) {
              expect(order.refunded).toBe(true);
              continue;
            }
            expect(plan.reversePoints).toBeGreaterThanOrEqual(0);
            expect(plan.reversePoints).toBeLessThanOrEqual(order.earnedPoints ?? 0);
            expect(plan.taken).toBeLessThanOrEqual(order.countedAmount ?? 0);
            wanted += plan.reversePoints;
            taken = cents(taken + plan.taken);
            if (plan.reversePoints > 0)
              apply(
                debit(ledger, {
                  kind: 'reverse',
                  points: plan.reversePoints,
                  sourceId: `refund#${seq}`,
                  entryId: `pt-${seq++}`,
                  at: AT,
                  preferLot: 'lot-order',
                  allowPartial: true,
                }),
              );
            order = { ...order, countedAmount: plan.countedAmount, earnedPoints: plan.earnedPoints, ...(plan.uncounted ? { refunded: true } : {}) };
            rfm = plan.rfm;
            expect(rfm.totalSpend).toBeGreaterThanOrEqual(0);
          }
          expect(wanted).toBeLessThanOrEqual(earned);
          expect(taken).toBeLessThanOrEqual(amount);
          expect(rfm.totalSpend).toBeCloseTo(cents(otherRfm.totalSpend + amount - taken), 2);
          if (taken >= amount) {
            // Fully refunded: every earned point was asked back and the order no longer counts.
            expect(wanted).toBe(earned);
            expect(rfm.orderCount).toBe(otherRfm.orderCount);
          }
          if (fullRefundLater) {
            // The shop's later `order.refunded` takes only what the partial refunds left.
            const decision = decideOrder(order, { type: 'order.refunded', occurredAt: '2026-12-02T00:00:00Z', data: { ...order, currency: 'CNY' } }, 'c', rfm);
            if (decision.counting === 'uncount') {
              wanted += order.earnedPoints ?? 0;
              rfm = decision.rfm;
            }
            expect(wanted).toBe(earned);
            expect(rfm.orderCount).toBe(otherRfm.orderCount);
            expect(rfm.totalSpend).toBeCloseTo(otherRfm.totalSpend, 2);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
