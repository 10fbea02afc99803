/** Coupon redemption, the pure parts: the shop's event schema, which stored code a redemption takes, the campaign of a claim key, the report's figures. */
import { describe, expect, it } from 'vitest';
import { IncomingShopEvent, isCouponEvent } from '#shared/api/shop-events.ts';
import { addClaim, NO_REDEMPTIONS } from '#shared/campaigns/report.ts';
import { planRedemption } from '#shared/coupons/redemption.ts';
import { zhOf } from '#shared/http/messages.ts';
import { keys } from '#shared/store/keys.ts';

const event = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  eventId: 'ev-1',
  type: 'coupon.redeemed',
  occurredAt: '2026-12-03T10:00:00+08:00',
  data,
  ...extra,
});

describe('the coupon.redeemed shop event', () => {
  it('takes a code with an optional order, customer and amount', () => {
    const parsed = IncomingShopEvent.parse(event({ code: 'ABCD-2345', orderId: 'O-1', customerId: 'u1', amount: 219 }));
    expect(isCouponEvent(parsed)).toBe(true);
    expect(parsed.data).toEqual({ code: 'ABCD-2345', orderId: 'O-1', customerId: 'u1', amount: 219 });
    expect(IncomingShopEvent.parse(event({ code: 'ABCD2345' })).data).toEqual({ code: 'ABCD2345' });
  });

  it('refuses unknown fields, a missing code, a negative amount and a code that is not one, in both languages', () => {
    expect(IncomingShopEvent.safeParse(event({ code: 'ABCD2345', discount: 20 })).success).toBe(false);
    expect(IncomingShopEvent.safeParse(event({ code: 'ABCD2345' }, { extra: true })).success).toBe(false);
    expect(IncomingShopEvent.safeParse(event({ orderId: 'O-1' })).success).toBe(false);
    expect(IncomingShopEvent.safeParse(event({ code: 'ABCD2345', amount: -1 })).success).toBe(false);
    const bad = IncomingShopEvent.safeParse(event({ code: 'AB C' }));
    expect(bad.success).toBe(false);
    const message = bad.error!.issues[0]!.message;
    expect(message).toBe('a coupon code is 4–40 letters, digits or dashes');
    expect(zhOf(message)).toBe('券码应为 4–40 个字母、数字或短横线');
  });
});

describe('which code a redemption takes', () => {
  const given = { poolId: 'cpn_a', code: 'X1234', claimedBy: 'campaign#cmp_1#con_1' };

  it('redeems the given code; a code already redeemed is a repeat', () => {
    expect(planRedemption([given])).toEqual({ redeem: given });
    expect(planRedemption([{ ...given, redeemedAt: '2026-12-03T02:00:00.000Z' }])).toEqual({ ignore: 'repeated' });
  });

  it('ignores a code nobody was given, and a code no pool holds', () => {
    expect(planRedemption([{ poolId: 'cpn_a', code: 'X1234' }])).toEqual({ ignore: 'not_given' });
    expect(planRedemption([])).toEqual({ ignore: 'unknown_code' });
  });

  it('with the same code in several pools, takes the one given and not yet redeemed, a campaign’s first', () => {
    const apology = { poolId: 'cpn_b', code: 'X1234', claimedBy: 'apology#O-9' };
    const used = { poolId: 'cpn_c', code: 'X1234', claimedBy: 'campaign#cmp_2#con_2', redeemedAt: '2026-12-01T00:00:00.000Z' };
    expect(planRedemption([used, apology, given])).toEqual({ redeem: given });
    expect(planRedemption([used, apology, { poolId: 'cpn_d', code: 'X1234' }])).toEqual({ redeem: apology });
  });
});

describe('the campaign of a claim key', () => {
  it('reads the campaign and member of a campaign claim, and nothing from other claimants', () => {
    expect(keys.campaignOfMember('campaign#cmp_01abc#con_9')).toEqual({ campaignId: 'cmp_01abc', contactId: 'con_9' });
    expect(keys.campaignOfMember('apology#O-1')).toBeUndefined();
    expect(keys.campaignOfMember('campaign#only-one-part')).toBeUndefined();
    expect(keys.campaignOfMember(keys.campaignMember('cmp_01abc', 'con_9'))).toEqual({ campaignId: 'cmp_01abc', contactId: 'con_9' });
  });
});

describe('a campaign’s redemption figures', () => {
  it('counts codes given and redeemed, the rate and the redeemed orders’ revenue', () => {
    let totals = NO_REDEMPTIONS;
    expect(totals.rate).toBeNull();
    totals = addClaim(totals, undefined); // a treated member the pool had no code left for
    totals = addClaim(totals, {}); // given, not redeemed
    totals = addClaim(totals, { redeemedAt: '2026-12-03T02:00:00.000Z', redeemedAmount: 219.1 });
    totals = addClaim(totals, { redeemedAt: '2026-12-03T03:00:00.000Z', redeemedAmount: 0.2 });
    totals = addClaim(totals, { redeemedAt: '2026-12-03T04:00:00.000Z' }); // the shop sent no amount
    expect(totals).toEqual({ given: 4, redeemed: 3, rate: 0.75, revenue: 219.3 });
  });
});
