/**
 * Coupon redemption (pure): which stored code a shop's `coupon.redeemed` names. The campaign a
 * claim key stands for is `keys.campaignOfMember` (shared/store/keys.ts). (A campaign's redemption
 * figures are in shared/campaigns/report.ts: the campaigns folder must not import coupons at run
 * time, test/infra/import-cycles.)
 */
import { keys } from '#shared/store/keys.ts';

/** A code item as stored (`COUPON#{poolId}#{code}`): given when `claimedBy` is set, used when `redeemedAt` is. */
export interface StoredCode {
  poolId: string;
  code: string;
  claimedBy?: string;
  redeemedAt?: string;
}

/**
 * What a redemption of a code does, given the pools' items of that code (a code is unique within a
 * pool, so several pools may hold it): the given, unredeemed one is redeemed; a code already
 * redeemed is a repeat; a code that exists but was never given, or none at all, is ignored.
 */
export type RedeemPlan = { redeem: StoredCode & { claimedBy: string } } | { ignore: 'repeated' | 'not_given' | 'unknown_code' };

export function planRedemption(items: readonly StoredCode[]): RedeemPlan {
  const open = items.filter((i): i is StoredCode & { claimedBy: string } => typeof i.claimedBy === 'string' && !i.redeemedAt);
  // a campaign's code first when several pools gave the same code, else the first found
  const pick = open.find((i) => keys.campaignOfMember(i.claimedBy)) ?? open[0];
  if (pick) return { redeem: pick };
  if (items.some((i) => i.redeemedAt)) return { ignore: 'repeated' };
  return { ignore: items.length > 0 ? 'not_given' : 'unknown_code' };
}
