/**
 * Coupon redemption (pure): which stored code a shop's `coupon.redeemed` names, and the campaign a
 * claim key stands for. (A campaign's redemption figures are in shared/campaigns/report.ts: the
 * campaigns folder must not import coupons at run time, test/infra/import-cycles.)
 */

/**
 * The campaign and member a claim key names: shared/campaigns/send.ts claims a campaign's code under
 * `campaign#{campaignId}#{contactId}` (undefined for other claimants, e.g. the 催单 apology).
 */
export function campaignOfClaim(claimKey: string): { campaignId: string; contactId: string } | undefined {
  const match = /^campaign#([^#]+)#([^#]+)$/.exec(claimKey);
  return match ? { campaignId: match[1]!, contactId: match[2]! } : undefined;
}

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
  const pick = open.find((i) => campaignOfClaim(i.claimedBy)) ?? open[0];
  if (pick) return { redeem: pick };
  if (items.some((i) => i.redeemedAt)) return { ignore: 'repeated' };
  return { ignore: items.length > 0 ? 'not_given' : 'unknown_code' };
}
