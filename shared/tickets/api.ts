/**
 * Request schemas of the ticket routes (strict: unknown fields are refused, server-owned fields
 * such as version bumps, SLA state, audit and assignment load never come from the client) and the
 * views the routes answer with.
 */
import * as z from 'zod/mini';
import { PageInfo, Text } from '#shared/api/chat.ts';
import type { Calendar } from '#shared/sla/calendar.ts';
import { elapsedMs, type MetricClock } from '#shared/sla/clock.ts';
import { cleanLine } from '#shared/text/hygiene.ts';
import {
  Category,
  CustomFields,
  type Person,
  PrioritySchema,
  StatusSchema,
  Subject,
  Tags,
  TeamId,
  type Ticket,
  TicketIdParams,
  type TicketState,
} from './model.ts';

const Sub = z.string().check(z.minLength(1), z.maxLength(128));
const Name = z.string().check(cleanLine(), z.minLength(1), z.maxLength(200));
const Phone = z.string().check(z.trim(), z.regex(/^\+?[0-9 ()-]{5,30}$/, 'phone: digits, spaces, + ( ) -'));

export const CreateTicketBody = z.strictObject({
  channel: z.enum(['phone', 'email', 'api']),
  subject: Subject,
  text: Text,
  /** An existing contact, or who called / wrote (a contact is created for them). */
  requester: z.union([
    z.strictObject({ contactId: z.string().check(z.regex(/^con_[0-9a-z]{26}$/, 'not a contact id')) }),
    z.strictObject({ name: z.optional(Name), email: z.optional(z.email()), phone: z.optional(Phone) }),
  ]),
  /** Shop of a new requester (defaults to the only shop, `demo`, on a single-shop install). */
  shopId: z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/))),
  priority: z.optional(PrioritySchema),
  category: z.optional(Category),
  tags: z.optional(Tags),
  customFields: z.optional(CustomFields),
  team: z.optional(TeamId),
  assignee: z.optional(Sub),
  status: z.optional(z.enum(['new', 'open', 'pending', 'on_hold'])),
});
export type CreateTicketBody = z.infer<typeof CreateTicketBody>;

export const UpdateTicketBody = z.strictObject({
  version: z.int().check(z.gte(1)),
  status: z.optional(StatusSchema),
  priority: z.optional(PrioritySchema),
  category: z.optional(Category),
  subject: z.optional(Subject),
  tags: z.optional(Tags),
  team: z.optional(TeamId),
  assignee: z.optional(z.nullable(Sub)),
  customFields: z.optional(
    z.record(z.string().check(z.regex(/^[a-z][a-z0-9_]{0,39}$/)), z.nullable(z.union([z.string().check(z.maxLength(500)), z.number(), z.boolean()]))),
  ),
});
export type UpdateTicketBody = z.infer<typeof UpdateTicketBody>;

export const MergeBody = z.strictObject({
  into: TicketIdParams.shape.ticketId,
  version: z.int().check(z.gte(1)),
});

export const ConvertBody = z.strictObject({
  subject: z.optional(Subject),
  priority: z.optional(PrioritySchema),
  category: z.optional(Category),
  tags: z.optional(Tags),
  customFields: z.optional(CustomFields),
  team: z.optional(TeamId),
  assignee: z.optional(Sub),
});

export const WidgetTicketBody = z.strictObject({
  subject: Subject,
  text: Text,
  email: z.optional(z.email('email must be a valid address so the team can answer')),
  name: z.optional(Name),
  page: z.optional(PageInfo),
});

export const ListQuery = z.strictObject({
  view: z._default(z.enum(['mine', 'unassigned', 'team', 'sla_at_risk']), 'mine'),
  status: z.optional(StatusSchema),
  team: z.optional(TeamId),
  /** SLA at risk: deadlines within this many minutes (breached ones always show). */
  within: z.optional(z.pipe(z.string().check(z.regex(/^\d{1,4}$/)), z.transform(Number))),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
});

/** A clock as the console shows it: state, deadline and business minutes used so far. */
export function clockView(clock: MetricClock, now: Date, calendar: Calendar) {
  return {
    metric: clock.metric,
    state: clock.state,
    targetMinutes: clock.targetMinutes,
    elapsedMinutes: Math.round(elapsedMs(clock, now, calendar) / 600) / 100,
    policy: clock.policy,
    ...(clock.dueAt ? { dueAt: clock.dueAt } : {}),
    ...(clock.warnedAt ? { warnedAt: clock.warnedAt } : {}),
    ...(clock.breachedAt ? { breachedAt: clock.breachedAt } : {}),
    ...(clock.stoppedAt ? { stoppedAt: clock.stoppedAt } : {}),
  };
}

/** A ticket with its clocks for staff. */
export function ticketView(state: TicketState, now: Date, calendar: Calendar) {
  return { ticket: state.ticket, clocks: state.clocks.map((c) => clockView(c, now, calendar)) };
}

/** What a shopper may see of their ticket: no team, assignee subject, SLA or custom fields. */
export function ticketForVisitor(t: Ticket) {
  return {
    ticketId: t.ticketId,
    subject: t.subject,
    status: t.status,
    channel: t.channel,
    conversationId: t.conversationId,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

/** The audit actor for a staff caller. */
export function staffPerson(caller: { sub: string; name: string }): Person {
  return { kind: 'staff', sub: caller.sub, name: caller.name };
}
