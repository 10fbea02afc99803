/**
 * Routing rules: an ordered list evaluated top to bottom, the first enabled rule whose conditions
 * all hold decides the team, may set the priority, add tags and pick the SLA policy. Conditions are
 * sets (any of the listed values matches); an absent condition matches everything. Pure.
 */
import * as z from 'zod/mini';
import { PRIORITIES, type Priority } from '#shared/sla/policy.ts';
import { CHANNELS, Tags, TeamId, type TicketChannel } from './model.ts';

const Id = z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'ids are 1–40 lowercase letters, digits, _ or -'));
const Name = z.strictObject({ 'zh-CN': z.string().check(z.minLength(1), z.maxLength(200)), en: z.string().check(z.minLength(1), z.maxLength(200)) });
const nonEmpty = <T extends z.ZodMiniType>(item: T) => z.optional(z.array(item).check(z.minLength(1), z.maxLength(50)));

export const RoutingRuleSchema = z.strictObject({
  ruleId: Id,
  name: Name,
  enabled: z._default(z.boolean(), true),
  when: z.strictObject({
    channels: nonEmpty(z.enum(CHANNELS)),
    categories: nonEmpty(z.string().check(z.maxLength(40))),
    priorities: nonEmpty(z.enum(PRIORITIES)),
    languages: nonEmpty(z.string().check(z.maxLength(10))),
    tiers: nonEmpty(z.string().check(z.maxLength(40))),
    tagsAny: nonEmpty(z.string().check(z.maxLength(40))),
    businessHours: z.optional(z.enum(['open', 'closed'])),
  }),
  then: z.strictObject({
    team: z.optional(TeamId),
    priority: z.optional(z.enum(PRIORITIES)),
    addTags: z.optional(Tags),
    slaPolicyId: z.optional(Id),
  }),
});
export type RoutingRule = z.infer<typeof RoutingRuleSchema>;

/** What the rules look at. */
export interface RoutingFacts {
  channel: TicketChannel;
  category?: string;
  priority: Priority;
  language?: string;
  tier?: string;
  tags: readonly string[];
  /** Whether the routing calendar is open now. */
  open: boolean;
}

export interface RoutingDecision {
  ruleId?: string;
  team: string;
  priority: Priority;
  tags: string[];
  slaPolicyId: string;
}

const within = <T>(allowed: readonly T[] | undefined, value: T | undefined) => !allowed || (value !== undefined && allowed.includes(value));

/** Whether every condition of a rule holds for the facts. */
export function ruleMatches(rule: RoutingRule, facts: RoutingFacts): boolean {
  const w = rule.when;
  if (!within(w.channels, facts.channel)) return false;
  if (!within(w.categories, facts.category)) return false;
  if (!within(w.priorities, facts.priority)) return false;
  if (w.languages && !w.languages.some((l) => facts.language?.toLowerCase().startsWith(l.toLowerCase()))) return false;
  if (!within(w.tiers, facts.tier)) return false;
  if (w.tagsAny && !w.tagsAny.some((t) => facts.tags.includes(t))) return false;
  if (w.businessHours && (w.businessHours === 'open') !== facts.open) return false;
  return true;
}

/** Routes a ticket: the first matching enabled rule wins; without a match the defaults apply. */
export function route(rules: readonly RoutingRule[], facts: RoutingFacts, defaults: { team: string; slaPolicyId: string }): RoutingDecision {
  const rule = rules.find((r) => r.enabled && ruleMatches(r, facts));
  const tags = [...new Set([...facts.tags, ...(rule?.then.addTags ?? [])])];
  return {
    ...(rule ? { ruleId: rule.ruleId } : {}),
    team: rule?.then.team ?? defaults.team,
    priority: rule?.then.priority ?? facts.priority,
    tags,
    slaPolicyId: rule?.then.slaPolicyId ?? defaults.slaPolicyId,
  };
}
