/**
 * Per-agent performance (pure): one row per staff member who answers customers, from the day
 * counters of their `agent#{sub}` scope through the same `figures` as the dashboard, so a number
 * here means exactly what it means there. Credit goes to who did the work: the first reply's
 * author gets the first response, every replier their response times and workload, the resolver
 * the resolution and the survey scores (see metrics.ts).
 */
import { sumCounters } from './metrics.ts';
import { type DayCounters, figures } from './summary.ts';

/** Roles whose members answer customers (the scope select of the dashboard lists the same). */
export const ANSWERING_ROLES: readonly string[] = ['agent', 'supervisor', 'admin'];

export interface StaffEntry {
  sub: string;
  name: string;
  email: string;
  roles: readonly string[];
}

export interface AgentRow {
  sub: string;
  name: string;
  email: string;
  /** Conversations the agent replied to or resolved in the period (once each). */
  handled: number;
  /** Public replies sent in the period. */
  replies: number;
  /** Conversations whose first resolution was theirs in the period. */
  resolved: number;
  /** Open tickets assigned to them now (their load); null when not read. */
  openNow: number | null;
  firstResponse: { count: number; meanSeconds: number | null; medianSeconds: number | null };
  /** Every reply that answered a customer: the mean is the average response time. */
  responseTime: { count: number; meanSeconds: number | null; medianSeconds: number | null };
  /** Of the conversations they handled in the period, the share resolved now. */
  resolutionRate: number | null;
  csat: { responses: number; average: number | null; satisfiedRate: number | null };
}

/** The body of `GET /quality/agents`; the console reads this type (type-only import). */
export interface QualityAgentsResponse {
  from: string;
  to: string;
  days: number;
  /** The shop's time zone: `from` and `to` are its calendar days. */
  timeZone: string;
  items: AgentRow[];
  cost: { requests: number; itemsRead: number };
}

/** Whether a staff member answers customers (and so has a row). */
export function answersCustomers(roles: readonly string[]): boolean {
  return roles.some((r) => ANSWERING_ROLES.includes(r));
}

/** One agent's row from the day items of their scope in the period. */
export function agentRow(staff: Pick<StaffEntry, 'sub' | 'name' | 'email'>, days: readonly DayCounters[], openNow: number | null): AgentRow {
  const f = figures(sumCounters(days.map((d) => d.counters)));
  const brief = (d: typeof f.firstResponse) => ({ count: d.count, meanSeconds: d.meanSeconds, medianSeconds: d.medianSeconds });
  return {
    sub: staff.sub,
    name: staff.name || staff.email || staff.sub,
    email: staff.email,
    handled: f.work.handled,
    replies: f.work.replies,
    resolved: f.conversations.resolved,
    openNow,
    firstResponse: brief(f.firstResponse),
    responseTime: brief(f.responseTime),
    resolutionRate: f.work.resolutionRate,
    csat: { responses: f.csat.responses, average: f.csat.average, satisfiedRate: f.csat.satisfiedRate },
  };
}

/** Rows of everyone who answers customers: busiest first (handled, then replies), then by name. */
export function agentRows(
  staff: readonly StaffEntry[],
  daysBySub: ReadonlyMap<string, readonly DayCounters[]>,
  loads?: ReadonlyMap<string, number>,
): AgentRow[] {
  return staff
    .filter((s) => answersCustomers(s.roles))
    .map((s) => agentRow(s, daysBySub.get(s.sub) ?? [], loads ? (loads.get(s.sub) ?? 0) : null))
    .sort((a, b) => b.handled - a.handled || b.replies - a.replies || a.name.localeCompare(b.name));
}
