/**
 * The ports the ticket domain runs on. The service (shared/tickets/service.ts) takes them as an
 * argument: DynamoDB + SQS + WebSocket pushes in the functions (shared/tickets/adapters.ts), an
 * in-memory fake in unit tests.
 */

import type { IdGen } from '#shared/ids.ts';
import type { QueueMessage } from '#shared/queue/messages.ts';
import type { Calendar } from '#shared/sla/calendar.ts';
import type { SlaPolicy } from '#shared/sla/policy.ts';
import type { Conversation, Message } from '#shared/store/conversations.ts';
import type { Team } from './assignment.ts';
import type { TicketGuess } from './classify.ts';
import type { AuditEntry, Ticket, TicketState } from './model.ts';
import type { RoutingRule } from './routing.ts';

/** Ticket configuration as the domain sees it (current policy versions only). */
export interface TicketConfig {
  rules: RoutingRule[];
  teams: Map<string, Team>;
  policies: Map<string, SlaPolicy>;
  /** Named calendars, including `shop` (the shop's business hours) and `24x7`. */
  calendars: Map<string, Calendar>;
  defaultTeam: string;
  defaultPolicy: string;
}

/** Everything one change writes, atomically. */
export interface TicketCommit {
  /** Tickets written: `prev` undefined creates, else the write is conditional on `prev.ticket.version`. */
  tickets: { next: TicketState; prev?: TicketState }[];
  audit: AuditEntry[];
  /** Agent load changes; an increase with `capacity` only succeeds while the load is below it. */
  loads: { sub: string; delta: number; capacity?: number }[];
  /** A new thread for the ticket, or an existing conversation to link (fails if already linked). */
  conversation?: { create: Conversation; message: Message } | { link: string };
  /** Round-robin cursor of a team: who got the last ticket. */
  cursor?: { team: string; sub: string };
}

export type ConflictReason = 'version' | 'capacity' | 'link' | 'exists';

/** A conditional write in a commit failed; nothing was written. */
export class CommitConflict extends Error {
  readonly reason: ConflictReason;
  /** For `capacity`: the agent who turned out to be full. */
  readonly sub: string | undefined;
  constructor(reason: ConflictReason, sub?: string) {
    super(`ticket commit conflict: ${reason}`);
    this.name = 'CommitConflict';
    this.reason = reason;
    this.sub = sub;
  }
}

export interface TicketStore {
  config(shopId: string): Promise<TicketConfig>;
  /** One exact policy version (a ticket's clocks keep theirs). */
  policyVersion(policyId: string, version: number): Promise<SlaPolicy | undefined>;
  get(ticketId: string): Promise<TicketState | undefined>;
  /** Open-ticket load per agent. */
  loads(subs: readonly string[]): Promise<Map<string, number>>;
  /** A team's waiting tickets, most urgent then oldest first. */
  waiting(team: string, limit: number): Promise<Ticket[]>;
  commit(commit: TicketCommit): Promise<void>;
  staffName(sub: string): Promise<string | undefined>;
  /** What routing needs to know of a requester, with the service benefits of their member tier. */
  requester(contactId: string): Promise<{ name?: string; email?: string; tier?: string; shopId?: string; benefits?: TierServiceBenefits } | undefined>;
}

/** What a member tier promises in service: its own SLA policy, a priority raise, a dedicated team. */
export interface TierServiceBenefits {
  slaPolicyId?: string;
  priorityBoost?: number;
  routingTeam?: string;
}

/** A scheduled SLA timer, as it travels on the `sla-timers` queue (its contract: shared/queue/messages.ts). */
export type TimerMessage = QueueMessage<'sla-timers'>;

/** A frame pushed to staff consoles. */
export type StaffFrame =
  | { type: 'ticket'; ticket: Ticket }
  | {
      type: 'sla';
      kind: 'warn' | 'breach';
      ticketId: string;
      metric: string;
      dueAt: string;
      subject: string;
      assignee?: string;
      escalatedTo?: string;
      text: { 'zh-CN': string; en: string };
    };

export interface TicketPorts {
  store: TicketStore;
  now: () => Date;
  ids: IdGen;
  /** Schedules timers (the first hop of each chain). */
  schedule: (timers: TimerMessage[]) => Promise<void>;
  notify: (frame: StaffFrame) => Promise<void>;
  /** Agents who are online now. */
  online: () => Promise<Set<string>>;
  classify: (text: string) => Promise<TicketGuess>;
  /** Tells other modules what happened (surveys after a solve, quality counters on a breach). */
  events?: (event: TicketEvent) => Promise<void>;
  /** Mirrors the ticket's assignee and status onto its chat thread (one conversation, one truth). */
  thread?: (conversationId: string, change: ThreadChange) => Promise<void>;
}

/** What the chat thread of a ticket must show after a ticket change. */
export interface ThreadChange {
  /** The ticket's assignee, or null when it has none now. */
  assignee?: { sub: string; name: string } | null;
  status?: 'open' | 'pending' | 'resolved';
  /** Who made the change (credited in the quality figures). */
  by?: string;
}

/** What the tickets module reports to the rest of the platform. */
export type TicketEvent =
  | { type: 'solved'; ticket: Ticket }
  | { type: 'sla_breached'; ticket: Ticket; metric: string; at: string }
  | { type: 'sla_met'; ticket: Ticket; metric: string; at: string };
