import { describe, expect, it } from 'vitest';
import { checkEligibility, DEFAULT_RULES, type OrderFacts } from '#shared/aftersales/eligibility.ts';

const NOW = new Date('2026-12-10T04:00:00Z');
const order = (over: Partial<OrderFacts> = {}): OrderFacts => ({
  orderId: 'o1',
  contactId: 'con_1',
  status: 'delivered',
  amount: 199,
  quantity: 2,
  deliveredAt: '2026-12-05T02:00:00Z',
  ...over,
});
const ask = { contactId: 'con_1', kind: 'return' as const, quantity: 1 };

describe('after-sales eligibility', () => {
  it('allows a return within 7 days of delivery', () => {
    expect(checkEligibility(order(), ask, DEFAULT_RULES, NOW)).toEqual({ ok: true });
  });

  it('refuses after the window and says when it was delivered (UTC+8 day)', () => {
    const verdict = checkEligibility(order({ deliveredAt: '2026-12-02T17:00:00Z' }), ask, DEFAULT_RULES, NOW);
    expect(verdict).toMatchObject({ ok: false, code: 'window' });
    if (!verdict.ok) {
      expect(verdict.text['zh-CN']).toBe('已超过签收后 7 天的售后期限（签收于 2026-12-03）');
      expect(verdict.text.en).toContain('7-day');
    }
    expect(checkEligibility(order({ deliveredAt: '2026-12-02T17:00:00Z' }), ask, { ...DEFAULT_RULES, returnWindowDays: 15 }, NOW).ok).toBe(true);
  });

  it('another shopper’s order is simply not found', () => {
    expect(checkEligibility(order({ contactId: 'con_2' }), ask, DEFAULT_RULES, NOW)).toMatchObject({ ok: false, code: 'no_order' });
    expect(checkEligibility(undefined, ask, DEFAULT_RULES, NOW)).toMatchObject({ ok: false, code: 'no_order' });
  });

  it('checks the order status: unpaid, refunded, not delivered (refund-only still allowed)', () => {
    expect(checkEligibility(order({ status: 'created', deliveredAt: undefined }), ask, DEFAULT_RULES, NOW)).toMatchObject({ code: 'unpaid' });
    expect(checkEligibility(order({ refunded: true }), ask, DEFAULT_RULES, NOW)).toMatchObject({ code: 'refunded' });
    const shipped = order({ status: 'shipped', deliveredAt: undefined });
    const verdict = checkEligibility(shipped, ask, DEFAULT_RULES, NOW);
    expect(verdict).toMatchObject({ ok: false, code: 'not_delivered' });
    if (!verdict.ok) expect(verdict.text['zh-CN']).toContain('仅退款');
    expect(checkEligibility(shipped, { ...ask, kind: 'refund_only' }, DEFAULT_RULES, NOW).ok).toBe(true);
  });

  it('refuses excluded categories and more items than ordered', () => {
    const rules = { ...DEFAULT_RULES, excludedCategories: ['生鲜'] };
    const verdict = checkEligibility(order({ category: '生鲜' }), ask, rules, NOW);
    expect(verdict).toMatchObject({ ok: false, code: 'excluded' });
    if (!verdict.ok) expect(verdict.text['zh-CN']).toBe('该类商品（生鲜）不支持退换货');
    expect(checkEligibility(order(), { ...ask, quantity: 3 }, DEFAULT_RULES, NOW)).toMatchObject({ ok: false, code: 'quantity' });
  });
});
