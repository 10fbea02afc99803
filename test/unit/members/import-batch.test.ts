import { beforeAll, describe, expect, it } from 'vitest';
import type { ShopEventMessage } from '#shared/api/shop-events.ts';
import { derivedId, foldNewCustomer, type Row, watermarkOf } from '#shared/members/import-batch.ts';
import type { LoyaltyConfig } from '#shared/members/store.ts';
import { DEFAULT_SETTINGS, DEFAULT_TIERS, sortTiers } from '#shared/members/tiers.ts';

const config: LoyaltyConfig = { tiers: sortTiers(DEFAULT_TIERS), settings: DEFAULT_SETTINGS, stored: false, versions: {} };

function row(line: number, type: string, orderId: string, at: string, amount: number): Row {
  return {
    line,
    message: {
      shopId: 'demo',
      event: { eventId: `e-${orderId}-${type}`, type, occurredAt: at, data: { orderId, customerId: 'c1', amount, currency: 'CNY' } },
    } as ShopEventMessage,
  };
}

const rows = [
  row(2, 'order.paid', 'o1', '2026-01-01T00:00:00Z', 120),
  row(3, 'order.paid', 'o2', '2026-02-01T00:00:00Z', 450),
  row(4, 'order.paid', 'o1', '2026-01-01T00:00:00Z', 120),
  row(5, 'order.refunded', 'o2', '2026-02-03T00:00:00Z', 450),
  row(6, 'order.paid', 'o3', '2026-03-01T00:00:00Z', 80),
];

describe('import batch: a new customer folded in memory', () => {
  beforeAll(() => {
    process.env.TABLE_NAME ??= 'Kefu';
  });

  it('gives the RFM, points and ledger the live path would, once per order', () => {
    const fold = foldNewCustomer('demo', 'c1', rows, config, watermarkOf(rows));
    expect(fold.outcomes).toEqual(['applied', 'applied', 'stale', 'applied', 'applied']);
    expect(fold.profile).toMatchObject({ contactId: fold.contactId, shopUserId: 'c1', orderCount: 2, totalSpend: 200, version: 1 });
    const entries = fold.items.filter((i) => String(i.sk).startsWith('POINTS#'));
    const lots = fold.items.filter((i) => String(i.sk).startsWith('PTLOT#'));
    expect(entries.map((e) => e.kind)).toEqual(['earn', 'earn', 'reverse', 'earn']);
    const sum = entries.reduce((s, e) => s + Number(e.points), 0);
    expect(sum).toBe(fold.profile.pointsBalance);
    expect(lots.reduce((s, l) => s + Number(l.remaining), 0)).toBe(fold.profile.pointsBalance);
    // The refund took the order's own lot back: it is gone, not left at zero.
    expect(lots.every((l) => Number(l.remaining) > 0)).toBe(true);
    // Crossing 500 spent made the member silver, with its timeline entry and outbox event.
    expect(fold.items.filter((i) => i.type === 'member.tier_changed').length).toBe(2);
    expect(fold.items.some((i) => String(i.pk).startsWith('POINTSRC#'))).toBe(false);
    const orders = fold.items.filter((i) => i.sk === 'ORDER');
    expect(orders.map((o) => [o.orderId, o.counted, o.refunded ?? false])).toEqual([
      ['o1', true, false],
      ['o2', true, true],
      ['o3', true, false],
    ]);
  });

  it('is the same on every run: derived ids, watermark and items', () => {
    const a = foldNewCustomer('demo', 'c1', rows, config, watermarkOf(rows));
    const b = foldNewCustomer('demo', 'c1', rows, config, watermarkOf(rows));
    expect(b).toEqual(a);
    expect(a.contactId).toMatch(/^con_[0-9a-z]{26}$/);
    expect(watermarkOf(rows.slice(0, 4))).not.toBe(watermarkOf(rows));
    expect(derivedId('con', '2026-01-01T00:00:00Z', 'x')).not.toBe(derivedId('con', '2026-01-01T00:00:00Z', 'y'));
  });
});
