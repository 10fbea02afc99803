/** Request schemas of the member, points and tier routes (strict: unknown fields are refused). */
import * as z from 'zod/mini';

const Id = z.string().check(z.minLength(1), z.maxLength(128));
const Text = z.strictObject({ zh: z.string().check(z.minLength(1), z.maxLength(200)), en: z.string().check(z.minLength(1), z.maxLength(200)) });

export const ContactParams = z.strictObject({ contactId: Id });
export type ContactParams = z.infer<typeof ContactParams>;

export const ContactLookupQuery = z.strictObject({
  email: z.optional(z.email()),
  shopId: z.optional(Id),
  shopUserId: z.optional(Id),
});
export type ContactLookupQuery = z.infer<typeof ContactLookupQuery>;

export const LedgerQuery = z.strictObject({
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  limit: z.optional(z.string().check(z.regex(/^([1-9]|[1-9]\d|100)$/))),
});
export type LedgerQuery = z.infer<typeof LedgerQuery>;

export const PointsAdjustBody = z.strictObject({
  /** Signed: positive credits (they expire like earned points), negative debits. */
  points: z.int().check(
    z.minimum(-1_000_000),
    z.maximum(1_000_000),
    z.refine((n) => n !== 0, 'points must not be 0'),
  ),
  reason: z.string().check(z.minLength(3), z.maxLength(500)),
  /** Client-chosen id: a retry with the same id changes nothing. */
  adjustmentId: z.optional(z.string().check(z.minLength(8), z.maxLength(64), z.regex(/^[\w-]+$/))),
});
export type PointsAdjustBody = z.infer<typeof PointsAdjustBody>;

export const RedeemBody = z.strictObject({
  customerId: Id,
  redemptionId: z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[\w.:-]+$/)),
  points: z.int().check(z.minimum(1), z.maximum(10_000_000)),
});
export type RedeemBody = z.infer<typeof RedeemBody>;

export const TierParams = z.strictObject({ tierId: z.string().check(z.regex(/^[a-z][a-z0-9-]{0,31}$/)) });
export type TierParams = z.infer<typeof TierParams>;

export const TierBody = z.strictObject({
  rank: z.int().check(z.minimum(0), z.maximum(99)),
  name: Text,
  minSpend: z.optional(z.number().check(z.minimum(0))),
  minPoints: z.optional(z.int().check(z.minimum(0))),
  benefits: z.strictObject({
    slaPolicyId: z.optional(Id),
    priorityBoost: z.int().check(z.minimum(0), z.maximum(10)),
    routingTeam: z.optional(Id),
    pointsMultiplier: z.number().check(z.minimum(0), z.maximum(10)),
    perks: z.array(Text).check(z.maxLength(20)),
  }),
  /** The version read; required when replacing a stored tier (409 when someone changed it since). */
  version: z.optional(z.int().check(z.minimum(0))),
});
export type TierBody = z.infer<typeof TierBody>;

export const SettingsBody = z.strictObject({
  pointsPerUnit: z.optional(z.number().check(z.minimum(0), z.maximum(100))),
  pointsExpiryMonths: z.optional(z.int().check(z.minimum(1), z.maximum(120))),
  windowDays: z.optional(z.int().check(z.minimum(1), z.maximum(3650))),
  reviewEveryDays: z.optional(z.int().check(z.minimum(1), z.maximum(365))),
  graceDays: z.optional(z.int().check(z.minimum(0), z.maximum(365))),
  version: z.optional(z.int().check(z.minimum(0))),
});
export type SettingsBody = z.infer<typeof SettingsBody>;
