/**
 * Randomised holdout and A/B variant assignment (pure). A member's arm is a deterministic hash of
 * the campaign id and the contact id, so it is stable across retries, re-runs of the fan-out and
 * report computations, and nothing needs storing to know who was held out. Any ratio works: the
 * hash is mapped to a uniform number in [0, 1) with 52 bits of resolution.
 */
import { createHash } from 'node:crypto';

/** A uniform number in [0, 1) derived from the campaign, the contact and a purpose label. */
export function unitHash(campaignId: string, contactId: string, purpose = 'holdout'): number {
  const digest = createHash('sha256').update(`${purpose}\u0000${campaignId}\u0000${contactId}`).digest();
  const hi = digest.readUInt32BE(0) >>> 12;
  const lo = digest.readUInt32BE(4);
  return (hi * 2 ** 32 + lo) / 2 ** 52;
}

/** True when the member is in the campaign's holdout (ratio fixed at launch; 0 = nobody, 1 = everybody). */
export function inHoldout(campaignId: string, contactId: string, ratio: number): boolean {
  if (!(ratio > 0)) return false;
  return unitHash(campaignId, contactId, 'holdout') < ratio;
}

/** The A/B variant of a treated member, chosen in proportion to the variants' weights (independent of the holdout draw). */
export function pickVariant<V extends { variantId: string; weight: number }>(campaignId: string, contactId: string, variants: readonly V[]): V {
  if (variants.length === 0) throw new Error('a campaign needs at least one variant');
  const total = variants.reduce((sum, v) => sum + Math.max(0, v.weight), 0);
  if (variants.length === 1 || total <= 0) return variants[0] as V;
  let point = unitHash(campaignId, contactId, 'variant') * total;
  for (const v of variants) {
    point -= Math.max(0, v.weight);
    if (point < 0) return v;
  }
  return variants[variants.length - 1] as V;
}
