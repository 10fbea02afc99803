/**
 * The ticket: one model for chat, email, phone, web-form and API issues. A ticket is a header
 * that links one conversation (its thread), carries routing and assignment state and a summary
 * of its SLA clocks (the clocks themselves are separate items, see shared/sla/clock.ts).
 */
import * as z from 'zod/mini';
import type { MetricClock } from '#shared/sla/clock.ts';
import { PRIORITIES, type Priority, type SlaMetric } from '#shared/sla/policy.ts';
import type { TicketStatus } from '#shared/sla/ticket-sla.ts';
import { cleanLine } from '#shared/text/hygiene.ts';

export type { Priority, TicketStatus };
export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const satisfies readonly TicketStatus[];
export const CHANNELS = ['chat', 'email', 'phone', 'web_form', 'api', 'wechat'] as const;
export type TicketChannel = (typeof CHANNELS)[number];

export type CustomFieldValue = string | number | boolean;

export interface Person {
  kind: 'staff' | 'visitor' | 'system' | 'bot';
  sub?: string;
  name?: string;
}

export interface Ticket {
  ticketId: string;
  shopId: string;
  subject: string;
  status: TicketStatus;
  priority: Priority;
  category?: string;
  language?: string;
  /** Member tier of the requester when the ticket was routed (tier-aware SLA and routing). */
  tier?: string;
  tags: string[];
  team?: string;
  assignee?: { sub: string; name: string };
  /** True while the ticket waits in its team's queue for an agent with free capacity. */
  waiting: boolean;
  customFields: Record<string, CustomFieldValue>;
  requester: { contactId: string; name?: string; email?: string; phone?: string };
  channel: TicketChannel;
  conversationId: string;
  routedBy?: string;
  sla: {
    policyId: string;
    policyVersion: number;
    calendarId: string;
    nextDueAt?: string;
    nextMetric?: SlaMetric;
    breached: SlaMetric[];
  };
  escalatedTo?: string;
  mergedInto?: string;
  mergedFrom?: string[];
  createdBy: Person;
  createdAt: string;
  updatedAt: string;
  firstRespondedAt?: string;
  solvedAt?: string;
  closedAt?: string;
  version: number;
}

/** One append-only audit entry: who did what when, written in the transaction of the change. */
export interface AuditEntry {
  auditId: string;
  ticketId: string;
  at: string;
  actor: Person;
  action:
    | 'created'
    | 'updated'
    | 'assigned'
    | 'queued'
    | 'reopened'
    | 'closed'
    | 'merged'
    | 'merged_into'
    | 'replied'
    | 'customer_replied'
    | 'sla_warning'
    | 'sla_breach';
  changes?: Record<string, { from: unknown; to: unknown }>;
  /** Human-readable summary in both languages. */
  text: { 'zh-CN': string; en: string };
}

/** A ticket with its SLA clocks: what the domain reads and writes as one unit. */
export interface TicketState {
  ticket: Ticket;
  clocks: MetricClock[];
}

export const TicketIdParams = z.strictObject({
  ticketId: z.string().check(z.regex(/^tkt_[0-9a-z]{26}$/, 'not a ticket id')),
});

const Tag = z.string().check(z.trim(), z.toLowerCase(), z.regex(/^[\p{L}\p{N}_-]{1,40}$/u, 'tags are 1–40 letters, digits, _ or -'));
export const Tags = z.array(Tag).check(z.maxLength(20));
export const CustomFields = z.record(
  z.string().check(z.regex(/^[a-z][a-z0-9_]{0,39}$/, 'custom field names are snake_case, ≤ 40 characters')),
  z.union([z.string().check(z.maxLength(500)), z.number(), z.boolean()]),
);
export const PrioritySchema = z.enum(PRIORITIES);
export const StatusSchema = z.enum(TICKET_STATUSES);
export const Subject = z.string().check(cleanLine(), z.minLength(1, 'subject must not be empty'), z.maxLength(200));
export const Category = z.string().check(z.regex(/^[A-Z][A-Z_]{0,39}$/, 'categories are UPPER_SNAKE_CASE'));
export const TeamId = z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'team ids are lowercase letters, digits, _ or -'));

/** Whether a ticket is still being worked (counts toward its assignee's load). */
export function isActive(status: TicketStatus): boolean {
  return status !== 'solved' && status !== 'closed';
}
