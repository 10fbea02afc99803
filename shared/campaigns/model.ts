/**
 * Request and stored shapes of segments and campaigns (zod/mini, strict: unknown fields are
 * refused, server-owned fields are never taken from the client).
 */
import * as z from 'zod/mini';
import { CHURN_LEVELS } from '#shared/churn/score.ts';
import { msg } from '#shared/http/messages.ts';
import { normaliseLabel } from '#shared/members/label-text.ts';
import { isTimeZone } from './quiet-hours.ts';

export const CHANNELS = ['widget', 'email', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

const Id = z.string().check(z.minLength(1), z.maxLength(128));
const Slug = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/));
const Code = z.string().check(z.regex(/^[a-z][a-z0-9_]{0,40}$/));
/** A label condition, spelled as stored labels are (so ＶＩＰ in a segment matches VIP on a contact). */
const Label = z.string().check(z.maxLength(64), z.overwrite(normaliseLabel), z.minLength(1));

const Range = (max = 1e12) =>
  z
    .strictObject({ min: z.optional(z.number().check(z.minimum(0), z.maximum(max))), max: z.optional(z.number().check(z.minimum(0), z.maximum(max))) })
    .check(z.refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, msg('min must not exceed max', '最小值不能大于最大值')));

/** Conditions of a segment; all given conditions must hold (AND). */
export const SegmentConditions = z.strictObject({
  tiers: z.optional(z.array(Slug).check(z.minLength(1), z.maxLength(20))),
  points: z.optional(Range()),
  orderCount: z.optional(Range()),
  totalSpend: z.optional(Range()),
  avgSpend: z.optional(Range()),
  daysSinceLastOrder: z.optional(Range(36500)),
  churnLevels: z.optional(z.array(z.enum(CHURN_LEVELS)).check(z.minLength(1), z.maxLength(3))),
  /** Any of these churn reason codes. */
  churnReasons: z.optional(z.array(Code).check(z.minLength(1), z.maxLength(20))),
  churnRisk: z.optional(Range(1)),
  /** Days since the member's last conversation (never contacted counts as infinitely long ago). */
  daysSinceLastContact: z.optional(Range(36500)),
  labels: z.optional(
    z.strictObject({
      any: z.optional(z.array(Label).check(z.minLength(1), z.maxLength(20))),
      all: z.optional(z.array(Label).check(z.minLength(1), z.maxLength(20))),
      none: z.optional(z.array(Label).check(z.minLength(1), z.maxLength(20))),
    }),
  ),
  /** The member granted marketing consent on every channel listed. */
  consent: z.optional(z.array(z.enum(CHANNELS)).check(z.minLength(1), z.maxLength(3))),
});
export type SegmentConditions = z.infer<typeof SegmentConditions>;

export const SegmentParams = z.strictObject({ segmentId: Slug });
export type SegmentParams = z.infer<typeof SegmentParams>;

export const SegmentBody = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(120)),
  description: z.optional(z.string().check(z.maxLength(1000))),
  conditions: SegmentConditions,
  /** The version read; required when replacing a stored segment (409 when someone changed it since). */
  version: z.optional(z.int().check(z.minimum(0))),
});
export type SegmentBody = z.infer<typeof SegmentBody>;

export const PreviewBody = z.strictObject({
  conditions: SegmentConditions,
  /** A campaign's channels: the answer then also says how many of the audience they reach (`reach`). */
  channels: z.optional(z.array(z.enum(CHANNELS)).check(z.minLength(1), z.maxLength(3))),
});
export type PreviewBody = z.infer<typeof PreviewBody>;

const Text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const Titled = z.strictObject({ title: Text(200), body: Text(4000) });
const Mail = z.strictObject({ subject: Text(200), body: Text(20000) });
const bilingual = <T extends z.ZodMiniType>(t: T) => z.strictObject({ zh: t, en: t });

/** What a variant says on each channel, in zh and en; `{{placeholders}}` are personalised. */
export const Content = z.strictObject({
  widget: z.optional(bilingual(Titled)),
  email: z.optional(bilingual(Mail)),
  webhook: z.optional(bilingual(Titled)),
});
export type Content = z.infer<typeof Content>;

export const Variant = z.strictObject({
  variantId: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,15}$/)),
  weight: z.number().check(z.minimum(0.001), z.maximum(1000)),
  content: Content,
});
export type Variant = z.infer<typeof Variant>;

export const Offer = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  /** Bonus points credited through the members ledger (idempotent per campaign and member). */
  z.strictObject({ kind: z.literal('points'), points: z.int().check(z.minimum(1), z.maximum(100_000)) }),
  /** A code of a coupon pool, claimed once per campaign and member (the message goes without one when the pool is empty). */
  z.strictObject({ kind: z.literal('coupon'), poolId: z.string().check(z.regex(/^cpn_[0-9a-z]{26}$/, 'not a coupon pool id')) }),
]);
export type Offer = z.infer<typeof Offer>;

const TimeOfDay = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/));

export const QuietHoursSchema = z.strictObject({
  start: TimeOfDay,
  end: TimeOfDay,
  timeZone: z.string().check(z.maxLength(64), z.refine(isTimeZone, msg('unknown IANA time zone', '未知的 IANA 时区'))),
});

export const FrequencyCap = z.strictObject({
  max: z.int().check(z.minimum(1), z.maximum(20)),
  windowHours: z.int().check(z.minimum(1), z.maximum(720)),
});
export type FrequencyCap = z.infer<typeof FrequencyCap>;

export const CampaignBody = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(120)),
  segmentId: Slug,
  channels: z.array(z.enum(CHANNELS)).check(z.minLength(1), z.maxLength(3)),
  variants: z.array(Variant).check(z.minLength(1), z.maxLength(4)),
  offer: z._default(Offer, { kind: 'none' }),
  /** Send at this time; absent = as soon as it is launched. */
  schedule: z.optional(z.strictObject({ at: z.iso.datetime({ offset: true }) })),
  /** Share of the eligible audience held out at random (any ratio in [0, 1)); fixed at launch. */
  holdoutRatio: z.number().check(z.minimum(0), z.maximum(0.99)),
  /** Campaign and care messages a member may receive per window (default 1 per 72 h). */
  frequencyCap: z.optional(FrequencyCap),
  /** No delivery in this local-time window (default 21:00–09:00 Asia/Shanghai); null turns it off. */
  quietHours: z.optional(z.nullable(QuietHoursSchema)),
  /** Orders placed this many days after the send start are attributed (default 14). */
  attributionDays: z.optional(z.int().check(z.minimum(1), z.maximum(90))),
  /** The version read; required when replacing a draft. */
  version: z.optional(z.int().check(z.minimum(0))),
});
export type CampaignBody = z.infer<typeof CampaignBody>;

export const CampaignParams = z.strictObject({ campaignId: Id });
export type CampaignParams = z.infer<typeof CampaignParams>;

export const CAMPAIGN_ACTIONS = ['launch', 'pause', 'resume', 'cancel'] as const;
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];

export const CampaignStatusBody = z.strictObject({
  action: z.enum(CAMPAIGN_ACTIONS),
  /** The version read (409 when someone changed the campaign since). */
  version: z.int().check(z.minimum(1)),
});
export type CampaignStatusBody = z.infer<typeof CampaignStatusBody>;

export const ListQuery = z.strictObject({
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  limit: z.optional(z.string().check(z.regex(/^([1-9]|[1-9]\d|100)$/))),
});
export type ListQuery = z.infer<typeof ListQuery>;

export const CONSENT_CHANNELS = CHANNELS;
export const ConsentBody = z.strictObject({
  channel: z.enum(CHANNELS),
  granted: z.boolean(),
});
export type ConsentBody = z.infer<typeof ConsentBody>;

export const ShopConsentBody = z.strictObject({
  customerId: Id,
  channel: z.enum(CHANNELS),
  granted: z.boolean(),
  /** When the shopper gave or withdrew consent (older statements never overwrite newer ones). */
  at: z.iso.datetime({ offset: true }),
});
export type ShopConsentBody = z.infer<typeof ShopConsentBody>;

export const UnsubscribeQuery = z.strictObject({ t: z.string().check(z.minLength(10), z.maxLength(1024)), lang: z.optional(z.enum(['zh', 'en'])) });
export type UnsubscribeQuery = z.infer<typeof UnsubscribeQuery>;
