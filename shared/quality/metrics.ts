/**
 * Service-quality metric definitions (pure). A conversation's quality state is folded event by
 * event (created, first agent reply, status changes); each step yields the counter increments for
 * the day items of its scopes, so the dashboards read pre-aggregated counters instead of raw
 * conversations. The same fold runs in unit tests over hand-made timelines.
 *
 * Definitions (days are the shop's calendar days: `facts.timeZone`, see zone.ts; UTC when unset):
 * - first response time (frt): first public agent reply − (bot hand-off time, else creation), minus
 *   time spent pending; counted on the reply's day.
 * - resolution time (rt): first resolution − creation, minus time spent pending (waiting on the
 *   customer pauses the clock); counted on the resolution's day.
 * - resolved / reopened: conversations resolved for the first time / reopened for the first time
 *   on that day; reopen rate = reopened ÷ resolved over a period.
 * - resolution rate (cohort): of the conversations created in the period, the share resolved now
 *   (`created_resolved` is added to the creation day and taken back on a reopen).
 * - backlog: open + pending conversations (a running gauge; +1 created, −1 resolved, +1 reopened).
 * - first-contact resolution (fcr): a conversation whose first resolution came after exactly one
 *   public agent reply, or that the bot resolved (`byBot`) with no agent reply and no hand-off.
 *   Counted (+1 `fcr`) on the first resolution's day in the scopes of that resolution, and taken
 *   back (−1 on that same day item) when it is reopened or gets a second distinct agent reply, so
 *   it only ever holds for conversations resolved once, with one reply, never reopened.
 *   FCR rate = fcr ÷ resolved over a period (both counted on the first resolution's day).
 * - response time (art): every public agent reply that answers a customer: reply − the oldest
 *   customer message since the previous public agent reply (not before the bot hand-off); counted
 *   on the reply's day, credited to who replied. Average response = art_sum ÷ art_n.
 * - per agent only (written to `agent#{sub}` alone): `agent_replies` (public replies sent),
 *   `handled` (conversations the agent replied to or resolved, once per conversation, on the day
 *   they first did) and `handled_resolved` (of those, the ones resolved now: +1 on the handled
 *   day at every resolution, −1 at every reopen). Agent resolution rate = handled_resolved ÷ handled.
 */

import { localDate } from '#shared/sla/calendar.ts';
import { observe } from './histogram.ts';

export type ConversationStatus = 'open' | 'pending' | 'resolved';

/** What the fold needs to know of a conversation (read from its header at the event). */
export interface ConversationFacts {
  conversationId: string;
  createdAt: string;
  channel: string;
  /** Assigned agent (subject) at the event. */
  agent?: string;
  category?: string;
  /** When the bot handed the conversation to a human (the first-response clock starts there). */
  handoffAt?: string;
  /** The shop's time zone: days are cut at its midnight (default UTC). */
  timeZone?: string;
}

export type QualityEvent =
  | { kind: 'created'; at: string }
  | {
      kind: 'agent_reply';
      at: string /** The message id (tells a redelivery from a new reply). */;
      id?: string /** Who replied (credited with the first response). */;
      by?: string;
      /** The oldest customer message this reply answers (see `unansweredSince`); none: the reply answers nothing new. */
      waitingSince?: string;
    }
  | {
      kind: 'status';
      status: ConversationStatus;
      at: string;
      /** Resolved by the bot (shopper confirmed). */
      byBot?: boolean;
      /** The agent who changed the status (credited with a resolution). */
      by?: string;
    };

/** Quality state of one conversation (stored next to its header, versioned). */
export interface QualityState {
  conversationId: string;
  createdAt: string;
  status: ConversationStatus;
  firstReplyAt?: string;
  /** The id (else time) of the first agent reply, so its redelivery is not a second reply. */
  firstReplyKey?: string;
  /** Who sent the first public agent reply. */
  firstReplyBy?: string;
  /** Distinct public agent replies, capped at 2 (all FCR needs to know). */
  replies?: number;
  /** The id (else time) of the last agent reply counted (its redelivery counts nothing). */
  lastReplyKey?: string;
  /** Agents who replied to or resolved the conversation → the shop day they first did (at most MAX_HANDLERS). */
  handlers?: Record<string, string>;
  /** Currently counted as a first-contact resolution. */
  fcr?: boolean;
  firstResolvedAt?: string;
  lastResolvedAt?: string;
  resolutions: number;
  reopens: number;
  pendingSince?: string;
  pausedMs: number;
  /** The scopes counted at first resolution (later events of the conversation count there too). */
  agent?: string;
  category?: string;
  version: number;
}

/** Counter increments for one day item (all scopes of the event get the same increments). */
export interface MetricDelta {
  day: string;
  counters: Record<string, number>;
  /** The agent credited with these counters when not the conversation's assignee (who replied, who resolved). */
  agent?: string;
  /** Counted in `agent#{agent}` only (per-agent workload), not in the conversation's other scopes. */
  agentOnly?: boolean;
}

/** A conversation behind a number, for drill-down lists. */
export interface Fact {
  metric: 'resolved' | 'reopened' | 'slow_first_response';
  day: string;
  at: string;
}

export interface StepResult {
  state: QualityState;
  deltas: MetricDelta[];
  /** Change of the open backlog gauge. */
  backlog: number;
  facts: Fact[];
}

/** First responses slower than this are listed in the drill-down (seconds). */
export const SLOW_FIRST_RESPONSE_SECONDS = 3600;

/** At most this many agents are tracked as having handled one conversation. */
export const MAX_HANDLERS = 20;

/** The calendar day (`YYYY-MM-DD`) of an ISO timestamp in a time zone (UTC when none is given). */
export function dayOf(iso: string, timeZone = 'UTC'): string {
  return timeZone === 'UTC' ? iso.slice(0, 10) : localDate(Date.parse(iso), timeZone);
}

/** The calendar day `days` after `day` (negative: before). */
export function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * When the customer started waiting for the reply that follows `earlier` (public messages of the
 * thread, oldest first): the oldest visitor message after the last public agent message, or
 * undefined when the customer wrote nothing since (the agent is writing again).
 */
export function unansweredSince(earlier: readonly { author: { kind: string }; createdAt: string; internal?: boolean }[]): string | undefined {
  let since: string | undefined;
  for (let i = earlier.length - 1; i >= 0; i--) {
    const m = earlier[i]!;
    if (m.internal) continue;
    if (m.author.kind === 'agent') break;
    if (m.author.kind === 'visitor') since = m.createdAt;
  }
  return since;
}

const ms = (iso: string) => Date.parse(iso);

function add(deltas: MetricDelta[], day: string, counters: Record<string, number>, agent?: string, agentOnly = false): void {
  const found = deltas.find((d) => d.day === day && d.agent === agent && (d.agentOnly ?? false) === agentOnly);
  if (!found) {
    deltas.push({ day, counters: { ...counters }, ...(agent ? { agent } : {}), ...(agent && agentOnly ? { agentOnly } : {}) });
    return;
  }
  for (const [k, v] of Object.entries(counters)) found.counters[k] = (found.counters[k] ?? 0) + v;
}

/** Records that `agent` handled the conversation (first time only): `handled`, and `handled_resolved` when it is resolved now. */
function handle(state: QualityState, deltas: MetricDelta[], agent: string, day: string): void {
  const handlers = state.handlers ?? {};
  if (handlers[agent] || Object.keys(handlers).length >= MAX_HANDLERS) return;
  state.handlers = { ...handlers, [agent]: day };
  add(deltas, day, { handled: 1, ...(state.status === 'resolved' ? { handled_resolved: 1 } : {}) }, agent, true);
}

/** Every handler's cohort: +1 (resolved) or −1 (reopened) on the day they first handled it. */
function handledResolved(state: QualityState, deltas: MetricDelta[], delta: 1 | -1): void {
  for (const [agent, day] of Object.entries(state.handlers ?? {})) add(deltas, day, { handled_resolved: delta }, agent, true);
}

/** Takes a first-contact resolution back (on the day it was counted, from the agent it was credited to). */
function uncountFcr(state: QualityState, deltas: MetricDelta[], timeZone?: string): void {
  state.fcr = false;
  if (state.firstResolvedAt) add(deltas, dayOf(state.firstResolvedAt, timeZone), { fcr: -1 }, state.agent);
}

/** A fresh state for a conversation first seen at `event` (open, unless it was created resolved). */
export function initialState(facts: ConversationFacts): QualityState {
  return { conversationId: facts.conversationId, createdAt: facts.createdAt, status: 'open', resolutions: 0, reopens: 0, pausedMs: 0, version: 0 };
}

/**
 * One step of the fold: the next state and what to count, or undefined when the event changes
 * nothing (already applied, same status) — which is what makes redelivered events no-ops.
 */
export function step(prev: QualityState | undefined, facts: ConversationFacts, event: QualityEvent): StepResult | undefined {
  const deltas: MetricDelta[] = [];
  const out: Fact[] = [];
  const shopDay = (iso: string) => dayOf(iso, facts.timeZone);
  if (event.kind === 'created') {
    if (prev) return undefined;
    add(deltas, shopDay(facts.createdAt), { conv_created: 1 });
    return { state: { ...initialState(facts), version: 1 }, deltas, backlog: 1, facts: out };
  }
  const state: QualityState = { ...(prev ?? initialState(facts)), version: (prev?.version ?? 0) + 1 };
  let backlog = 0;
  if (event.kind === 'agent_reply') {
    const key = event.id ?? event.at;
    if (key === (state.firstReplyKey ?? state.firstReplyAt) || key === state.lastReplyKey) return undefined;
    let changed = false;
    const replyDay = shopDay(event.at);
    if (!state.firstReplyAt) {
      state.firstReplyAt = event.at;
      state.firstReplyKey = key;
      if (event.by) state.firstReplyBy = event.by;
      state.replies = 1;
      const start = facts.handoffAt && facts.handoffAt > facts.createdAt ? facts.handoffAt : facts.createdAt;
      const seconds = Math.max(0, (ms(event.at) - ms(start) - state.pausedMs) / 1000);
      add(deltas, replyDay, observe('frt', seconds), event.by);
      if (seconds >= SLOW_FIRST_RESPONSE_SECONDS) out.push({ metric: 'slow_first_response', day: replyDay, at: event.at });
      changed = true;
    } else if ((state.replies ?? 1) < 2) {
      state.replies = 2;
      if (state.fcr) uncountFcr(state, deltas, facts.timeZone);
      changed = true;
    }
    if (event.waitingSince) {
      const start = facts.handoffAt && facts.handoffAt > event.waitingSince ? facts.handoffAt : event.waitingSince;
      add(deltas, replyDay, observe('art', Math.max(0, (ms(event.at) - ms(start)) / 1000)), event.by);
      changed = true;
    }
    if (event.by) {
      add(deltas, replyDay, { agent_replies: 1 }, event.by, true);
      handle(state, deltas, event.by, replyDay);
      changed = true;
    }
    if (!changed) return undefined;
    state.lastReplyKey = key;
    return { state, deltas, backlog, facts: out };
  }
  const from = state.status;
  const to = event.status;
  if (from === to) return undefined;
  if (from === 'pending' && state.pendingSince) {
    state.pausedMs += Math.max(0, ms(event.at) - ms(state.pendingSince));
    delete state.pendingSince;
  }
  if (to === 'pending') state.pendingSince = event.at;
  const day = shopDay(event.at);
  if (to === 'resolved') {
    backlog -= 1;
    state.resolutions += 1;
    state.lastResolvedAt = event.at;
    if (!state.firstResolvedAt) {
      state.firstResolvedAt = event.at;
      // Credit who did the work: the agent who resolved, else the assignee, else who first replied.
      const resolver = event.by ?? facts.agent ?? state.firstReplyBy;
      if (resolver) state.agent = resolver;
      if (facts.category) state.category = facts.category;
      const seconds = Math.max(0, (ms(event.at) - ms(state.createdAt) - state.pausedMs) / 1000);
      const replies = state.replies ?? (state.firstReplyAt ? 1 : 0);
      const fcr = replies === 1 || (replies === 0 && event.byBot === true && !facts.handoffAt);
      if (fcr) state.fcr = true;
      add(deltas, day, { resolved: 1, ...(fcr ? { fcr: 1 } : {}), ...observe('rt', seconds) }, state.agent);
      out.push({ metric: 'resolved', day, at: event.at });
    } else {
      add(deltas, day, { re_resolved: 1 });
    }
    add(deltas, shopDay(state.createdAt), { created_resolved: 1 });
    handledResolved(state, deltas, 1);
    state.status = to;
    if (event.by) handle(state, deltas, event.by, day);
  }
  if (from === 'resolved') {
    backlog += 1;
    add(deltas, day, { reopen_events: 1, ...(state.reopens === 0 ? { reopened: 1 } : {}) });
    if (state.reopens === 0) out.push({ metric: 'reopened', day, at: event.at });
    if (state.fcr) uncountFcr(state, deltas, facts.timeZone);
    state.reopens += 1;
    add(deltas, shopDay(state.createdAt), { created_resolved: -1 });
    handledResolved(state, deltas, -1);
  }
  state.status = to;
  return { state, deltas, backlog, facts: out };
}

/** Folds a whole timeline (unit tests and the naive bench side): final state, the day counters of scope `all`, backlog. */
export function foldTimeline(
  facts: ConversationFacts,
  events: readonly QualityEvent[],
): { state?: QualityState; days: Map<string, Record<string, number>>; backlog: number } {
  let state: QualityState | undefined;
  let backlog = 0;
  const days = new Map<string, Record<string, number>>();
  for (const event of events) {
    const result = step(state, facts, event);
    if (!result) continue;
    state = result.state;
    backlog += result.backlog;
    for (const d of result.deltas) {
      if (d.agentOnly) continue;
      const acc = days.get(d.day) ?? {};
      for (const [k, v] of Object.entries(d.counters)) acc[k] = (acc[k] ?? 0) + v;
      days.set(d.day, acc);
    }
  }
  return { ...(state ? { state } : {}), days, backlog };
}

/** The scopes an event counts in: everything, the agent, the channel, the category. */
export function scopesOf(facts: Pick<ConversationFacts, 'agent' | 'channel' | 'category'>): string[] {
  return [
    'all',
    ...(facts.agent ? [`agent#${facts.agent}`] : []),
    ...(facts.channel ? [`channel#${facts.channel}`] : []),
    ...(facts.category ? [`category#${facts.category}`] : []),
  ];
}

/**
 * The scopes one delta counts in: the conversation's scopes (`counted`: its credited agent, channel,
 * category), with the delta's agent in place of that agent when it names one, or only that agent's
 * scope for per-agent workload (`agentOnly`).
 */
export function deltaScopes(d: Pick<MetricDelta, 'agent' | 'agentOnly'>, counted: Pick<ConversationFacts, 'agent' | 'channel' | 'category'>): string[] {
  if (d.agent && d.agentOnly) return [`agent#${d.agent}`];
  return scopesOf(d.agent ? { ...counted, agent: d.agent } : counted);
}

/** Sums day counter maps (a period's totals). */
export function sumCounters(items: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) for (const [k, v] of Object.entries(item)) if (typeof v === 'number') out[k] = (out[k] ?? 0) + v;
  return out;
}
