/**
 * SLA policies: response and resolution targets per ticket priority, overridable per member tier,
 * measured on a named calendar, with a warning threshold and the actions a breach triggers.
 * Policies are versioned: a ticket keeps the version it started under until its priority or tier
 * changes, when it is re-evaluated against the current version.
 */
import * as z from 'zod/mini';

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Sort rank for queues: most urgent first. */
export const PRIORITY_RANK: Readonly<Record<Priority, number>> = { urgent: 0, high: 1, normal: 2, low: 3 };

export const SLA_METRICS = ['first_response', 'next_response', 'resolution'] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];

export const BREACH_ACTIONS = ['notify', 'raise_priority', 'reassign_to_queue', 'escalate'] as const;
export type BreachAction = (typeof BREACH_ACTIONS)[number];

/** Calendar ids with a built-in meaning: the shop's business hours, and round-the-clock time. */
export const SHOP_CALENDAR = 'shop';
export const CALENDAR_24X7 = '24x7';

const Minutes = z.int().check(z.positive(), z.lte(60 * 24 * 90));
export const SlaTargetsSchema = z.strictObject({
  first_response: z.optional(Minutes),
  next_response: z.optional(Minutes),
  resolution: z.optional(Minutes),
});
export type SlaTargets = z.infer<typeof SlaTargetsSchema>;

const Localized = z.strictObject({ 'zh-CN': z.string().check(z.minLength(1), z.maxLength(200)), en: z.string().check(z.minLength(1), z.maxLength(200)) });
export type LocalizedText = z.infer<typeof Localized>;

const Id = z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'ids are 1–40 lowercase letters, digits, _ or -'));

/** What an admin sends for a policy; the server owns `version` and `createdAt`. */
export const SlaPolicyInputSchema = z.strictObject({
  name: Localized,
  calendarId: Id,
  targets: z.strictObject({
    low: SlaTargetsSchema,
    normal: SlaTargetsSchema,
    high: SlaTargetsSchema,
    urgent: SlaTargetsSchema,
  }),
  tierTargets: z.optional(z.record(Id, z.partialRecord(z.enum(PRIORITIES), SlaTargetsSchema))),
  warnAtPercent: z._default(z.int().check(z.gte(1), z.lte(99)), 80),
  breachActions: z._default(z.array(z.enum(BREACH_ACTIONS)).check(z.maxLength(4)), ['notify']),
  escalateTo: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
});
export type SlaPolicyInput = z.infer<typeof SlaPolicyInputSchema>;

export interface SlaPolicy extends SlaPolicyInput {
  policyId: string;
  version: number;
  createdAt: string;
}

/** A ticket's reference to the policy version its clocks run under. */
export interface PolicyRef {
  policyId: string;
  version: number;
}

/**
 * Built-in policy used until an admin saves one: business hours of the shop, tighter first
 * response for the gold and platinum member tiers; a breach notifies staff and raises the priority.
 */
export const DEFAULT_POLICY: SlaPolicy = {
  policyId: 'default',
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  name: { 'zh-CN': '默认服务标准', en: 'Default service levels' },
  calendarId: SHOP_CALENDAR,
  targets: {
    urgent: { first_response: 15, next_response: 30, resolution: 240 },
    high: { first_response: 30, next_response: 60, resolution: 540 },
    normal: { first_response: 60, next_response: 120, resolution: 1080 },
    low: { first_response: 240, next_response: 480, resolution: 2700 },
  },
  tierTargets: {
    gold: { normal: { first_response: 30 }, high: { first_response: 15 } },
    platinum: { normal: { first_response: 20 }, high: { first_response: 10 }, urgent: { first_response: 10 } },
  },
  warnAtPercent: 80,
  breachActions: ['notify', 'raise_priority'],
};

/** The targets that apply to a priority and member tier (a tier overrides metric by metric). */
export function targetsFor(policy: SlaPolicy, priority: Priority, tier: string | undefined): SlaTargets {
  const base = policy.targets[priority];
  const override = tier ? policy.tierTargets?.[tier]?.[priority] : undefined;
  return { ...base, ...override };
}

/**
 * A member tier's priority raise: `steps` up, never above `high` (urgent stays for what routing
 * rules and people decide) and never down.
 */
export function boostPriority(priority: Priority, steps: number): Priority {
  const i = PRIORITIES.indexOf(priority);
  const cap = PRIORITIES.indexOf('high');
  return i >= cap ? priority : (PRIORITIES[Math.min(cap, i + Math.max(0, Math.floor(steps)))] ?? priority);
}

/** One priority step up (urgent stays urgent): the `raise_priority` breach action. */
export function raisePriority(priority: Priority): Priority {
  const i = PRIORITIES.indexOf(priority);
  return PRIORITIES[Math.min(PRIORITIES.length - 1, i + 1)] ?? priority;
}
