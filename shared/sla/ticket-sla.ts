/**
 * How a ticket's SLA clocks react to what happens to the ticket: creation starts first response and
 * resolution; pending / on hold pauses every running clock; the first public agent reply stops first
 * response; a customer message after an answer starts a next-response cycle that the next agent
 * reply stops; solving stops everything and reopening resumes resolution; a priority or tier change
 * re-evaluates every clock against the current policy version. Pure: the caller persists the result.
 */
import type { Calendar } from './calendar.ts';
import { type ClockTarget, type Deadline, deadlinesOf, type MetricClock, pauseClock, resumeClock, retargetClock, startClock, stopClock } from './clock.ts';
import { type Priority, type SlaMetric, type SlaPolicy, targetsFor } from './policy.ts';

export type TicketStatus = 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';

const PAUSED: ReadonlySet<TicketStatus> = new Set(['pending', 'on_hold']);
const DONE: ReadonlySet<TicketStatus> = new Set(['solved', 'closed']);

export interface SlaContext {
  policy: SlaPolicy;
  calendar: Calendar;
  priority: Priority;
  tier: string | undefined;
}

/** The target a metric has under a policy, priority and tier (undefined: the policy sets none). */
export function clockTarget(ctx: SlaContext, metric: SlaMetric): ClockTarget | undefined {
  const minutes = targetsFor(ctx.policy, ctx.priority, ctx.tier)[metric];
  if (!minutes) return undefined;
  return { policy: { policyId: ctx.policy.policyId, version: ctx.policy.version }, targetMinutes: minutes, warnAtPercent: ctx.policy.warnAtPercent };
}

/** Clocks of a new ticket: first response and resolution (paused at once if created pending). */
export function openClocks(ctx: SlaContext, at: Date, status: TicketStatus = 'new'): MetricClock[] {
  const clocks: MetricClock[] = [];
  for (const metric of ['first_response', 'resolution'] as const) {
    const target = clockTarget(ctx, metric);
    if (target) clocks.push(startClock(metric, target, at, ctx.calendar));
  }
  return PAUSED.has(status) || DONE.has(status) ? onStatusChange(clocks, 'open', status, at, ctx.calendar) : clocks;
}

/** Clocks after a status change. */
export function onStatusChange(clocks: MetricClock[], from: TicketStatus, to: TicketStatus, at: Date, calendar: Calendar): MetricClock[] {
  if (from === to) return clocks;
  if (DONE.has(to)) return clocks.map((c) => stopClock(c, at, calendar));
  if (PAUSED.has(to)) {
    return clocks.map((c) =>
      c.state === 'stopped' && DONE.has(from) && c.metric === 'resolution' ? { ...c, state: 'paused' as const } : pauseClock(c, at, calendar),
    );
  }
  return clocks.map((c) => {
    if (c.state === 'paused') return resumeClock(c, at, calendar);
    if (c.state === 'stopped' && DONE.has(from) && c.metric === 'resolution') return resumeClock(c, at, calendar, true);
    return c;
  });
}

/** Clocks after a public agent reply: first response and the current next-response cycle stop. */
export function onAgentReply(clocks: MetricClock[], at: Date, calendar: Calendar): MetricClock[] {
  return clocks.map((c) => (c.metric === 'resolution' ? c : stopClock(c, at, calendar)));
}

/**
 * Clocks after a customer message: once the ticket has been answered (first response stopped), a
 * new next-response cycle starts unless one is already counting. While the ticket is paused the new
 * cycle starts paused.
 */
export function onCustomerMessage(clocks: MetricClock[], ctx: SlaContext, at: Date, status: TicketStatus): MetricClock[] {
  const first = clocks.find((c) => c.metric === 'first_response');
  if (first && first.state !== 'stopped') return clocks;
  const current = clocks.find((c) => c.metric === 'next_response');
  if (current && current.state !== 'stopped') return clocks;
  const target = clockTarget(ctx, 'next_response');
  if (!target) return clocks;
  let started = startClock('next_response', target, at, ctx.calendar, current);
  if (PAUSED.has(status)) started = pauseClock(started, at, ctx.calendar);
  return [...clocks.filter((c) => c.metric !== 'next_response'), started];
}

/** Clocks re-evaluated after a priority or tier change, against the context's (current) policy. */
export function onRetarget(clocks: MetricClock[], ctx: SlaContext, at: Date): MetricClock[] {
  return clocks.map((c) => {
    if (c.state === 'stopped') return c;
    const target = clockTarget(ctx, c.metric);
    return target ? retargetClock(c, target, at, ctx.calendar) : stopClock(c, at, ctx.calendar);
  });
}

/** Every deadline a timer must exist for. */
export function deadlines(clocks: MetricClock[]): Deadline[] {
  return clocks.flatMap(deadlinesOf);
}

/** Deadlines that are new or moved between two sets of clocks (those need a timer). */
export function newDeadlines(before: MetricClock[], after: MetricClock[]): Deadline[] {
  const known = new Set(deadlines(before).map((d) => `${d.metric}#${d.kind}#${d.timerVersion}`));
  return deadlines(after).filter((d) => !known.has(`${d.metric}#${d.kind}#${d.timerVersion}`));
}

/** What the ticket header shows: the earliest running breach deadline and the metrics breached. */
export function slaSummary(clocks: MetricClock[]): { nextDueAt?: string; nextMetric?: SlaMetric; breached: SlaMetric[] } {
  let next: MetricClock | undefined;
  for (const c of clocks) {
    if (c.state !== 'running' || !c.dueAt || c.breachedAt) continue;
    if (!next || c.dueAt < (next.dueAt as string)) next = c;
  }
  return {
    ...(next ? { nextDueAt: next.dueAt, nextMetric: next.metric } : {}),
    breached: clocks.filter((c) => c.breachedAt).map((c) => c.metric),
  };
}
