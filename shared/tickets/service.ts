/**
 * Ticket use cases: create (classify → route → SLA clocks → assign or queue), update, merge,
 * react to thread messages, fire SLA timers exactly once, drain a team queue when capacity frees,
 * close solved tickets. Every change is one commit (header + clocks + audit + loads + thread)
 * conditional on the version read; the ports make it runnable against fakes.
 */

import { badRequest, conflict, notFound } from '#shared/http/errors.ts';
import { bestScores } from '#shared/quality/training-best.ts';
import { ALWAYS_OPEN, type Calendar, isOpenAt } from '#shared/sla/calendar.ts';
import { type Deadline, type MetricClock, markFired, timerIsLive } from '#shared/sla/clock.ts';
import { boostPriority, CALENDAR_24X7, DEFAULT_POLICY, type Priority, raisePriority, type SlaPolicy } from '#shared/sla/policy.ts';
import {
  deadlines,
  newDeadlines,
  onAgentReply,
  onCustomerMessage,
  onRetarget,
  onStatusChange,
  openClocks,
  type SlaContext,
  slaSummary,
} from '#shared/sla/ticket-sla.ts';
import { type Conversation, type Message, previewOf } from '#shared/store/conversations.ts';
import { type BestScores, capacityOf, pickAgent, type Team, waitReason } from './assignment.ts';
import {
  type AuditEntry,
  type CustomFieldValue,
  isActive,
  type Person,
  type Ticket,
  type TicketChannel,
  type TicketState,
  type TicketStatus,
} from './model.ts';
import { CommitConflict, type ThreadChange, type TicketCommit, type TicketConfig, type TicketPorts, type TimerMessage } from './ports.ts';
import { route } from './routing.ts';
import { type Bilingual, texts } from './texts.ts';

const ATTEMPTS = 4;
const SYSTEM: Person = { kind: 'system' };

/** The calendar behind an id: a configured one, `24x7`, else the shop's business hours. */
export function calendarFor(cfg: TicketConfig, calendarId: string): Calendar {
  if (calendarId === CALENDAR_24X7) return ALWAYS_OPEN;
  return cfg.calendars.get(calendarId) ?? cfg.calendars.get('shop') ?? ALWAYS_OPEN;
}

function currentPolicy(cfg: TicketConfig, policyId: string): SlaPolicy {
  return cfg.policies.get(policyId) ?? cfg.policies.get(cfg.defaultPolicy) ?? DEFAULT_POLICY;
}

/** The policy version a ticket's clocks run under (falls back to the current one if it vanished). */
async function ticketPolicy(ports: TicketPorts, cfg: TicketConfig, ticket: Ticket): Promise<SlaPolicy> {
  const { policyId, policyVersion } = ticket.sla;
  const current = currentPolicy(cfg, policyId);
  if (current.policyId === policyId && current.version === policyVersion) return current;
  if (policyId === DEFAULT_POLICY.policyId && policyVersion === DEFAULT_POLICY.version) return DEFAULT_POLICY;
  return (await ports.store.policyVersion(policyId, policyVersion)) ?? current;
}

function withSla(ticket: Ticket, clocks: MetricClock[]): Ticket {
  const { nextDueAt: _n, nextMetric: _m, ...base } = ticket.sla;
  return { ...ticket, sla: { ...base, ...slaSummary(clocks) } };
}

function bump(ticket: Ticket, now: Date): Ticket {
  return { ...ticket, updatedAt: now.toISOString(), version: ticket.version + 1 };
}

function entry(
  ports: TicketPorts,
  ticketId: string,
  now: Date,
  actor: Person,
  action: AuditEntry['action'],
  text: Bilingual,
  changes?: AuditEntry['changes'],
): AuditEntry {
  return { auditId: ports.ids('aud'), ticketId, at: now.toISOString(), actor, action, text, ...(changes && Object.keys(changes).length ? { changes } : {}) };
}

/** Timer messages for deadlines: each starts its own chain of delays. */
export function timersFor(ports: Pick<TicketPorts, 'ids'>, ticketId: string, due: Deadline[]): TimerMessage[] {
  return due.map((d) => ({
    ticketId,
    metric: d.metric,
    kind: d.kind,
    dueAt: d.dueAt,
    policyVersion: d.policyVersion,
    timerVersion: d.timerVersion,
    chain: ports.ids('tmr'),
    hop: 0,
  }));
}

/** The chat's status for a ticket status: solved and closed are resolved, pending waits, the rest is open. */
export function threadStatus(status: TicketStatus): 'open' | 'pending' | 'resolved' {
  return status === 'solved' || status === 'closed' ? 'resolved' : status === 'pending' ? 'pending' : 'open';
}

/** What the ticket's thread must change to show this ticket change, if anything. */
export function threadChange(prev: Ticket | undefined, next: Ticket): ThreadChange | undefined {
  const change: ThreadChange = {};
  if (prev ? prev.assignee?.sub !== next.assignee?.sub : next.assignee) change.assignee = next.assignee ?? null;
  if (prev && threadStatus(prev.status) !== threadStatus(next.status)) change.status = threadStatus(next.status);
  return Object.keys(change).length ? change : undefined;
}

async function mirror(ports: TicketPorts, prev: Ticket | undefined, next: Ticket, by?: string): Promise<void> {
  const change = threadChange(prev, next);
  if (change && ports.thread) await ports.thread(next.conversationId, { ...change, ...(by ? { by } : {}) });
}

async function after(ports: TicketPorts, states: { next: TicketState; prev?: TicketState }[], by?: string): Promise<void> {
  const timers = states.flatMap(({ next, prev }) => timersFor(ports, next.ticket.ticketId, newDeadlines(prev?.clocks ?? [], next.clocks)));
  const solved = states.filter(({ next, prev }) => next.ticket.status === 'solved' && prev?.ticket.status !== 'solved');
  const met = states.flatMap(({ next, prev }) => metClocks(prev?.clocks ?? [], next.clocks).map((c) => ({ ticket: next.ticket, clock: c })));
  await Promise.all([
    ports.schedule(timers),
    ...states.map(({ next }) => ports.notify({ type: 'ticket', ticket: next.ticket })),
    ...solved.map(({ next }) => ports.events?.({ type: 'solved', ticket: next.ticket })),
    ...states.map(({ next, prev }) => mirror(ports, prev?.ticket, next.ticket, by)),
    ...met.map(({ ticket, clock }) => ports.events?.({ type: 'sla_met', ticket, metric: clock.metric, at: clock.stoppedAt! })),
  ]);
}

/** Clocks this change stopped before they breached (an SLA target met). */
export function metClocks(before: readonly MetricClock[], after: readonly MetricClock[]): MetricClock[] {
  return after.filter((c) => {
    if (c.state !== 'stopped' || c.breachedAt || !c.stoppedAt) return false;
    const was = before.find((b) => b.metric === c.metric);
    return was?.state !== 'stopped' || was.cycle !== c.cycle;
  });
}

/** Whether an agent holds (counts load for) a ticket. */
const holder = (t: Ticket) => (t.assignee && isActive(t.status) ? t.assignee.sub : undefined);

/** Load changes between two states of a ticket; increases get `capacity` when auto-assigned. */
function loadDelta(prev: Ticket | undefined, next: Ticket, capacity?: number): TicketCommit['loads'] {
  const before = prev ? holder(prev) : undefined;
  const now = holder(next);
  if (before === now) return [];
  return [...(before ? [{ sub: before, delta: -1 }] : []), ...(now ? [{ sub: now, delta: 1, ...(capacity !== undefined ? { capacity } : {}) }] : [])];
}

/** The online members' best practice scores, read only when the team requires training (上岗要求). */
async function scoresFor(team: Team, online: ReadonlySet<string>): Promise<BestScores | undefined> {
  if (!team.training) return undefined;
  return bestScores(team.members.filter((sub) => online.has(sub)));
}

function assign(ticket: Ticket, sub: string, name: string): Ticket {
  return { ...ticket, assignee: { sub, name }, waiting: false };
}

function unassign(ticket: Ticket): Ticket {
  const { assignee: _a, ...rest } = ticket;
  return { ...rest, waiting: isActive(ticket.status) && !!ticket.team };
}

/**
 * Commits a ticket change and, when `autoAssign`, assigns it within its team first: the chosen
 * agent's load is raised only while under capacity (conditional write), so two concurrent
 * assignments cannot overfill an agent; a full agent is skipped and the next one tried, and with
 * nobody free the ticket waits in the team queue.
 */
async function commitAssigning(
  ports: TicketPorts,
  cfg: TicketConfig,
  prev: TicketState | undefined,
  base: TicketState,
  audit: AuditEntry[],
  extra: Pick<TicketCommit, 'conversation'>,
  autoAssign: boolean,
  exclude: ReadonlySet<string> = new Set(),
): Promise<TicketState> {
  const team = base.ticket.team ? cfg.teams.get(base.ticket.team) : undefined;
  const full = new Set(exclude);
  const now = ports.now();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    let ticket = base.ticket;
    const notes: AuditEntry[] = [];
    let capacity: number | undefined;
    if (autoAssign && team && isActive(ticket.status)) {
      const [online, loads] = await Promise.all([ports.online(), ports.store.loads(team.members)]);
      const scores = await scoresFor(team, online);
      const sub = pickAgent(team, online, loads, full, scores);
      const name = sub ? await ports.store.staffName(sub) : undefined;
      if (sub && name) {
        ticket = assign(ticket, sub, name);
        capacity = capacityOf(team, sub);
        notes.push(entry(ports, ticket.ticketId, now, SYSTEM, 'assigned', texts.assigned(name), { assignee: { from: null, to: sub } }));
      } else {
        ticket = unassign(ticket);
        notes.push(entry(ports, ticket.ticketId, now, SYSTEM, 'queued', texts.queued(team.name, waitReason(team, online, scores))));
      }
    }
    const next = { ...base, ticket };
    try {
      await ports.store.commit({
        tickets: [{ next, ...(prev ? { prev } : {}) }],
        audit: [...audit, ...notes],
        loads: loadDelta(prev?.ticket, ticket, capacity),
        ...extra,
        ...(capacity !== undefined && team?.mode === 'round_robin' ? { cursor: { team: team.teamId, sub: ticket.assignee!.sub } } : {}),
      });
      return next;
    } catch (error) {
      if (!(error instanceof CommitConflict) || error.reason !== 'capacity' || !error.sub) throw error;
      full.add(error.sub);
    }
  }
  throw conflict({ en: 'agents filled up while assigning; retry', zh: '分配时客服的接待量已满，请重试' });
}

export interface CreateTicketInput {
  /** A pre-claimed ticket id (email intake claims it with the Message-ID first); else a new one. */
  ticketId?: string;
  shopId: string;
  channel: TicketChannel;
  subject: string;
  text: string;
  requester: { contactId: string; name?: string; email?: string; phone?: string };
  verified?: boolean;
  priority?: Priority;
  category?: string;
  language?: string;
  tags?: string[];
  customFields?: Record<string, CustomFieldValue>;
  team?: string;
  /** Assign to this agent instead of routing's choice. */
  assignee?: string;
  status?: 'new' | 'open' | 'pending' | 'on_hold';
  /** Convert: this existing conversation becomes the ticket's thread (it must not have a ticket yet). */
  conversation?: Conversation;
  /** Convert: when an agent already answered in the thread (first response is then met). */
  answeredAt?: string;
  /**
   * The team's own ticket about the requester (a survey follow-up): its thread starts with `text` as
   * an internal note and the requester sees the thread only once an agent writes to them.
   */
  staffOnly?: boolean;
}

/** Creates a ticket: classify, route, start its SLA clocks, link or create its thread, assign or queue. */
export async function createTicket(ports: TicketPorts, input: CreateTicketInput, actor: Person): Promise<TicketState> {
  const now = ports.now();
  const at = now.toISOString();
  const [cfg, requester] = await Promise.all([ports.store.config(input.shopId), ports.store.requester(input.requester.contactId)]);
  if (input.conversation?.ticketId)
    throw conflict({ en: 'this conversation already has a ticket', zh: '该会话已有工单' }, { ticketId: input.conversation.ticketId });
  const guess = !input.category || !input.priority || !input.language ? await ports.classify(`${input.subject}\n${input.text}`) : undefined;
  const tier = requester?.tier;
  // The requester's member tier: its SLA policy and team replace the shop's defaults (a matching
  // routing rule still decides the policy; the tier's dedicated team is its promise, so it wins).
  const perks = requester?.benefits;
  const tierTeam = perks?.routingTeam && cfg.teams.has(perks.routingTeam) ? perks.routingTeam : undefined;
  const tierPolicy = perks?.slaPolicyId && cfg.policies.has(perks.slaPolicyId) ? perks.slaPolicyId : undefined;
  const category = input.category ?? guess?.category;
  const language = input.language ?? guess?.language;
  const decision = route(
    cfg.rules,
    {
      channel: input.channel,
      ...(category ? { category } : {}),
      priority: input.priority ?? guess?.priority ?? 'normal',
      ...(language ? { language } : {}),
      ...(tier ? { tier } : {}),
      tags: input.tags ?? [],
      open: isOpenAt(calendarFor(cfg, 'shop'), now),
    },
    { team: cfg.defaultTeam, slaPolicyId: tierPolicy ?? cfg.defaultPolicy },
  );
  const priority = input.priority ?? boostPriority(decision.priority, perks?.priorityBoost ?? 0);
  const team = input.team ?? tierTeam ?? decision.team;
  if (input.team && !cfg.teams.has(input.team)) throw badRequest({ en: `unknown team ${input.team}`, zh: `团队 ${input.team} 不存在` });
  const policy = currentPolicy(cfg, decision.slaPolicyId);
  const status = input.status ?? (input.answeredAt ? 'open' : 'new');
  const calendar = calendarFor(cfg, policy.calendarId);
  const opened = openClocks({ policy, calendar, priority, tier }, now, status);
  const clocks = input.answeredAt ? onAgentReply(opened, now, calendar) : opened;
  const ticketId = input.ticketId ?? ports.ids('tkt');
  const conversationId = input.conversation?.conversationId ?? ports.ids('cnv');
  const name = input.requester.name ?? requester?.name;
  const email = input.requester.email ?? requester?.email;
  let ticket: Ticket = withSla(
    {
      ticketId,
      shopId: input.shopId,
      subject: input.subject,
      status,
      priority,
      ...(category ? { category } : {}),
      ...(language ? { language } : {}),
      ...(tier ? { tier } : {}),
      tags: decision.tags,
      team,
      waiting: false,
      customFields: input.customFields ?? {},
      requester: {
        contactId: input.requester.contactId,
        ...(name ? { name } : {}),
        ...(email ? { email } : {}),
        ...(input.requester.phone ? { phone: input.requester.phone } : {}),
      },
      channel: input.channel,
      conversationId,
      ...(decision.ruleId ? { routedBy: decision.ruleId } : {}),
      sla: { policyId: policy.policyId, policyVersion: policy.version, calendarId: policy.calendarId, breached: [] },
      createdBy: actor,
      ...(input.answeredAt ? { firstRespondedAt: input.answeredAt } : {}),
      createdAt: at,
      updatedAt: at,
      version: 1,
    },
    clocks,
  );
  const audit = [entry(ports, ticketId, now, actor, 'created', texts.created(input.channel))];
  let explicit = false;
  if (input.assignee) {
    const assigneeName = await ports.store.staffName(input.assignee);
    if (!assigneeName) throw badRequest({ en: 'assignee is not a staff member', zh: '指派对象不是本店员工' });
    ticket = assign(ticket, input.assignee, assigneeName);
    explicit = true;
    audit.push(entry(ports, ticketId, now, actor, 'assigned', texts.assigned(assigneeName), { assignee: { from: null, to: input.assignee } }));
  }
  const thread: TicketCommit['conversation'] = input.conversation
    ? { link: conversationId }
    : {
        create: {
          conversationId,
          contactId: input.requester.contactId,
          status: 'open',
          channel: input.channel,
          ...(name ? { contactName: name } : {}),
          verified: input.verified ?? false,
          lastMessageAt: at,
          lastMessagePreview: previewOf(input.text),
          unreadByAgent: 1,
          unreadByVisitor: 0,
          ticketId,
          ...(input.staffOnly ? { staffOnly: true } : {}),
          createdAt: at,
          version: 1,
        },
        message: {
          messageId: ports.ids('msg'),
          conversationId,
          author: input.staffOnly ? { kind: 'system' } : { kind: 'visitor', ...(name ? { name } : {}) },
          text: input.text,
          internal: input.staffOnly ?? false,
          createdAt: at,
        } satisfies Message,
      };
  const next = await commitAssigning(ports, cfg, undefined, { ticket, clocks }, audit, { conversation: thread }, !explicit).catch((error: unknown) => {
    if (error instanceof CommitConflict && error.reason === 'link') throw conflict({ en: 'this conversation already has a ticket', zh: '该会话已有工单' });
    throw error;
  });
  await after(ports, [{ next }]);
  return next;
}

export interface UpdateTicketInput {
  version: number;
  status?: TicketStatus;
  priority?: Priority;
  category?: string;
  subject?: string;
  tags?: string[];
  team?: string;
  /** A staff subject, or null to unassign (the ticket goes back to its team queue). */
  assignee?: string | null;
  customFields?: Record<string, CustomFieldValue | null>;
  tier?: string;
}

/** Applies an agent's change with optimistic concurrency (409 when `version` is not current). */
export async function updateTicket(ports: TicketPorts, ticketId: string, input: UpdateTicketInput, actor: Person): Promise<TicketState> {
  const now = ports.now();
  const prev = await ports.store.get(ticketId);
  if (!prev) throw notFound('ticket');
  const old = prev.ticket;
  if (old.version !== input.version)
    throw conflict({ en: 'the ticket changed since you read it; reload and retry', zh: '工单在您读取后已被修改，请重新加载后重试' }, { version: old.version });
  if (old.status === 'closed')
    throw badRequest({ en: 'a closed ticket cannot be changed; open a follow-up ticket', zh: '已关闭的工单不能修改，请新建一张跟进工单' });
  if (input.status === 'new' && old.status !== 'new') throw badRequest({ en: 'a ticket cannot go back to new', zh: '工单不能改回“新建”状态' });
  const cfg = await ports.store.config(old.shopId);
  let t: Ticket = { ...old };
  let clocks = prev.clocks;
  const changes: NonNullable<AuditEntry['changes']> = {};
  const set = <K extends keyof Ticket>(key: K, value: Ticket[K]) => {
    if (JSON.stringify(t[key]) === JSON.stringify(value)) return;
    changes[key] = { from: t[key] ?? null, to: value ?? null };
    t = { ...t, [key]: value };
  };
  if (input.subject !== undefined) set('subject', input.subject);
  if (input.category !== undefined) set('category', input.category);
  if (input.tags !== undefined) set('tags', [...new Set(input.tags)]);
  if (input.customFields !== undefined) {
    const fields = { ...t.customFields };
    for (const [k, v] of Object.entries(input.customFields)) {
      if (v === null) delete fields[k];
      else fields[k] = v;
    }
    set('customFields', fields);
  }
  const retarget = (input.priority !== undefined && input.priority !== t.priority) || (input.tier !== undefined && input.tier !== t.tier);
  if (input.priority !== undefined) set('priority', input.priority);
  if (input.tier !== undefined) set('tier', input.tier);
  if (retarget) {
    const policy = currentPolicy(cfg, t.sla.policyId);
    const ctx: SlaContext = { policy, calendar: calendarFor(cfg, policy.calendarId), priority: t.priority, tier: t.tier };
    clocks = onRetarget(clocks, ctx, now);
    t = { ...t, sla: { ...t.sla, policyId: policy.policyId, policyVersion: policy.version, calendarId: policy.calendarId } };
  }
  if (input.status !== undefined && input.status !== t.status) {
    clocks = onStatusChange(clocks, t.status, input.status, now, calendarFor(cfg, t.sla.calendarId));
    const from = t.status;
    set('status', input.status);
    if (input.status === 'solved') t = { ...t, solvedAt: now.toISOString() };
    if (input.status === 'closed') t = { ...t, closedAt: now.toISOString() };
    if (from === 'solved' && isActive(input.status)) {
      const { solvedAt: _s, ...rest } = t;
      t = rest;
    }
    if (!isActive(input.status)) t = { ...t, waiting: false };
  }
  let autoAssign = false;
  if (input.team !== undefined && input.team !== t.team) {
    if (!cfg.teams.has(input.team)) throw badRequest({ en: `unknown team ${input.team}`, zh: `团队 ${input.team} 不存在` });
    set('team', input.team);
    if (input.assignee === undefined) {
      t = unassign(t);
      autoAssign = isActive(t.status);
    }
  }
  if (input.assignee === null && t.assignee) {
    changes.assignee = { from: t.assignee.sub, to: null };
    t = unassign(t);
  } else if (typeof input.assignee === 'string' && input.assignee !== t.assignee?.sub) {
    const name = await ports.store.staffName(input.assignee);
    if (!name) throw badRequest({ en: 'assignee is not a staff member', zh: '指派对象不是本店员工' });
    changes.assignee = { from: t.assignee?.sub ?? null, to: input.assignee };
    t = assign(t, input.assignee, name);
  }
  if (Object.keys(changes).length === 0 && !autoAssign) return prev;
  t = withSla(bump(t, now), clocks);
  const text = changes.status ? texts.status(String(changes.status.from), String(changes.status.to)) : texts.updated(changes);
  const audit = [entry(ports, ticketId, now, actor, 'updated', text, changes)];
  let next: TicketState;
  try {
    next = await commitAssigning(ports, cfg, prev, { ticket: t, clocks }, audit, {}, autoAssign);
  } catch (error) {
    if (error instanceof CommitConflict && error.reason === 'version')
      throw conflict({ en: 'the ticket changed since you read it; reload and retry', zh: '工单在您读取后已被修改，请重新加载后重试' });
    throw error;
  }
  await after(ports, [{ next, prev }], actor.sub);
  const freed = holder(old);
  if (freed && holder(next.ticket) !== freed && old.team) await drainQueue(ports, old.shopId, old.team);
  return next;
}

/**
 * Reacts to a message in a ticket's thread: the first public agent reply stops first response (and
 * every agent reply stops next response); a customer message reopens a solved ticket, ends a
 * pending wait and starts a next-response cycle. Idempotent: replaying a message changes nothing.
 */
export async function recordThreadMessage(
  ports: TicketPorts,
  conversation: Pick<Conversation, 'ticketId'>,
  message: Message,
): Promise<TicketState | undefined> {
  const ticketId = conversation.ticketId;
  if (!ticketId || message.internal) return undefined;
  const kind = message.author.kind;
  if (kind !== 'agent' && kind !== 'visitor') return undefined;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const now = ports.now();
    const prev = await ports.store.get(ticketId);
    if (!prev || prev.ticket.status === 'closed') return prev;
    const cfg = await ports.store.config(prev.ticket.shopId);
    let t = prev.ticket;
    let clocks = prev.clocks;
    const audit: AuditEntry[] = [];
    const calendar = calendarFor(cfg, t.sla.calendarId);
    if (kind === 'agent') {
      clocks = onAgentReply(clocks, now, calendar);
      if (t.status === 'new') t = { ...t, status: 'open' };
      if (!t.firstRespondedAt) {
        t = { ...t, firstRespondedAt: now.toISOString() };
        audit.push(
          entry(
            ports,
            ticketId,
            now,
            { kind: 'staff', ...(message.author.sub ? { sub: message.author.sub } : {}), ...(message.author.name ? { name: message.author.name } : {}) },
            'replied',
            texts.firstResponse(message.author.name ?? ''),
          ),
        );
      }
    } else {
      const from = t.status;
      if (from === 'solved' || from === 'pending' || from === 'on_hold') {
        clocks = onStatusChange(clocks, from, 'open', now, calendar);
        const { solvedAt: _s, ...rest } = t;
        t = { ...rest, status: 'open' };
        audit.push(
          entry(
            ports,
            ticketId,
            now,
            { kind: 'visitor' },
            from === 'solved' ? 'reopened' : 'customer_replied',
            from === 'solved' ? texts.reopened() : texts.customerReplied(),
            { status: { from, to: 'open' } },
          ),
        );
      }
      const policy = await ticketPolicy(ports, cfg, t);
      clocks = onCustomerMessage(clocks, { policy, calendar, priority: t.priority, tier: t.tier }, now, t.status);
    }
    if (t.status === prev.ticket.status && t.firstRespondedAt === prev.ticket.firstRespondedAt && JSON.stringify(clocks) === JSON.stringify(prev.clocks))
      return prev;
    const next: TicketState = { ticket: withSla(bump(t, now), clocks), clocks };
    try {
      await ports.store.commit({ tickets: [{ next, prev }], audit, loads: loadDelta(prev.ticket, next.ticket) });
    } catch (error) {
      if (error instanceof CommitConflict && error.reason === 'version') continue;
      throw error;
    }
    await after(ports, [{ next, prev }]);
    return next;
  }
  throw conflict({ en: 'the ticket is being changed by someone else; retry', zh: '工单正在被他人修改，请重试' });
}

export type TimerOutcome = 'fired' | 'stale' | 'duplicate' | 'early';

/**
 * Fires one SLA timer exactly once: it acts only while the clock still has this timer version and
 * has not fired this kind, and the write is conditional on the ticket version it read, so a second
 * delivery (or a concurrent one) finds the flag set and does nothing. A breach runs the actions of
 * the policy version the clock runs under: notify, raise priority, back to the queue, escalate.
 */
export async function fireTimer(ports: TicketPorts, timer: TimerMessage): Promise<TimerOutcome> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const now = ports.now();
    if (Date.parse(timer.dueAt) > now.getTime()) return 'early';
    const prev = await ports.store.get(timer.ticketId);
    const clock = prev?.clocks.find((c) => c.metric === timer.metric);
    if (!prev || !clock) return 'stale';
    if (!timerIsLive(clock, timer.kind, timer.timerVersion)) {
      const fired = timer.kind === 'warn' ? !!clock.warnedAt : !!clock.breachedAt;
      return fired ? 'duplicate' : 'stale';
    }
    const cfg = await ports.store.config(prev.ticket.shopId);
    const policy = (await ports.store.policyVersion(clock.policy.policyId, clock.policy.version)) ?? currentPolicy(cfg, clock.policy.policyId);
    let clocks = prev.clocks.map((c) => (c.metric === timer.metric ? markFired(c, timer.kind, now) : c));
    let t = prev.ticket;
    const changes: NonNullable<AuditEntry['changes']> = {};
    const parts: Bilingual[] = [];
    let requeue = false;
    if (timer.kind === 'breach') {
      for (const action of policy.breachActions) {
        if (action === 'raise_priority' && t.priority !== 'urgent') {
          const to = raisePriority(t.priority);
          changes.priority = { from: t.priority, to };
          parts.push(texts.raisedPriority(t.priority, to));
          t = { ...t, priority: to };
          const current = currentPolicy(cfg, t.sla.policyId);
          clocks = onRetarget(clocks, { policy: current, calendar: calendarFor(cfg, current.calendarId), priority: to, tier: t.tier }, now);
          t = { ...t, sla: { ...t.sla, policyVersion: current.version, calendarId: current.calendarId } };
        }
        if (action === 'reassign_to_queue' && t.assignee) {
          changes.assignee = { from: t.assignee.sub, to: null };
          parts.push(texts.backToQueue());
          t = unassign(t);
          requeue = true;
        }
        if (action === 'escalate') {
          const to = policy.escalateTo ?? (t.team ? cfg.teams.get(t.team)?.supervisor : undefined);
          if (to && to !== t.escalatedTo) {
            changes.escalatedTo = { from: t.escalatedTo ?? null, to };
            parts.push(texts.escalated(to));
            t = { ...t, escalatedTo: to };
          }
        }
      }
    }
    const next: TicketState = { ticket: withSla(bump(t, now), clocks), clocks };
    const text = timer.kind === 'warn' ? texts.slaWarning(timer.metric, timer.dueAt) : texts.slaBreach(timer.metric, parts);
    const audit = [
      entry(ports, t.ticketId, now, SYSTEM, timer.kind === 'warn' ? 'sla_warning' : 'sla_breach', text, {
        [`sla.${timer.metric}`]: { from: timer.dueAt, to: now.toISOString() },
        ...changes,
      }),
    ];
    try {
      await ports.store.commit({ tickets: [{ next, prev }], audit, loads: loadDelta(prev.ticket, next.ticket) });
    } catch (error) {
      if (error instanceof CommitConflict && error.reason === 'version') continue;
      throw error;
    }
    const notify = timer.kind === 'warn' || policy.breachActions.includes('notify') || parts.length > 0;
    await Promise.all([
      after(ports, [{ next, prev }]),
      notify
        ? ports.notify({
            type: 'sla',
            kind: timer.kind,
            ticketId: t.ticketId,
            metric: timer.metric,
            dueAt: timer.dueAt,
            subject: t.subject,
            ...(t.assignee ? { assignee: t.assignee.sub } : prev.ticket.assignee ? { assignee: prev.ticket.assignee.sub } : {}),
            ...(t.escalatedTo ? { escalatedTo: t.escalatedTo } : {}),
            text,
          })
        : Promise.resolve(),
    ]);
    if (timer.kind === 'breach') await ports.events?.({ type: 'sla_breached', ticket: next.ticket, metric: timer.metric, at: now.toISOString() });
    if (requeue && t.team) await drainQueue(ports, t.shopId, t.team, new Set(prev.ticket.assignee ? [prev.ticket.assignee.sub] : []));
    return 'fired';
  }
  throw new Error('sla timer: the ticket kept changing; the delivery will be retried');
}

/**
 * Assigns a team's waiting tickets (most urgent, then oldest first) to online agents with free
 * capacity: called when capacity frees (solve, close, merge, reassignment) and after creation.
 */
export async function drainQueue(ports: TicketPorts, shopId: string, teamId: string, exclude: ReadonlySet<string> = new Set()): Promise<number> {
  const cfg = await ports.store.config(shopId);
  const team: Team | undefined = cfg.teams.get(teamId);
  if (!team) return 0;
  const waiting = await ports.store.waiting(teamId, 10);
  if (waiting.length === 0) return 0;
  const [online, loads] = await Promise.all([ports.online(), ports.store.loads(team.members)]);
  const scores = await scoresFor(team, online);
  const full = new Set(exclude);
  let assigned = 0;
  for (const head of waiting) {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const sub = pickAgent(team, online, loads, full, scores);
      if (!sub) return assigned;
      const name = await ports.store.staffName(sub);
      if (!name) {
        full.add(sub);
        continue;
      }
      const prev = await ports.store.get(head.ticketId);
      if (!prev?.ticket.waiting || prev.ticket.assignee) break;
      const now = ports.now();
      const next: TicketState = { ...prev, ticket: bump(assign(prev.ticket, sub, name), now) };
      try {
        await ports.store.commit({
          tickets: [{ next, prev }],
          audit: [entry(ports, head.ticketId, now, SYSTEM, 'assigned', texts.assigned(name), { assignee: { from: null, to: sub } })],
          loads: loadDelta(prev.ticket, next.ticket, capacityOf(team, sub)),
          ...(team.mode === 'round_robin' ? { cursor: { team: team.teamId, sub } } : {}),
        });
      } catch (error) {
        if (!(error instanceof CommitConflict)) throw error;
        if (error.reason === 'capacity') {
          full.add(sub);
          continue;
        }
        break;
      }
      loads.set(sub, (loads.get(sub) ?? 0) + 1);
      if (team.mode === 'round_robin') team.lastAssigned = sub;
      assigned++;
      await ports.notify({ type: 'ticket', ticket: next.ticket });
      await mirror(ports, prev.ticket, next.ticket);
      break;
    }
  }
  return assigned;
}

/**
 * An agent became available to take work (came online, joined a team): every queue of a team they
 * are in is drained. Returns how many waiting tickets were assigned.
 */
export async function drainForAgent(ports: TicketPorts, shopId: string, sub: string): Promise<number> {
  const cfg = await ports.store.config(shopId);
  let assigned = 0;
  for (const team of cfg.teams.values()) if (team.members.includes(sub)) assigned += await drainQueue(ports, shopId, team.teamId);
  return assigned;
}

/** Merges `sourceId` into `targetId`: the source closes pointing at the target; both audit trails record it. */
export async function mergeTickets(
  ports: TicketPorts,
  sourceId: string,
  targetId: string,
  version: number,
  actor: Person,
): Promise<{ source: TicketState; target: TicketState }> {
  if (sourceId === targetId) throw badRequest({ en: 'a ticket cannot be merged into itself', zh: '工单不能合并到自身' });
  const now = ports.now();
  const [source, target] = await Promise.all([ports.store.get(sourceId), ports.store.get(targetId)]);
  if (!source || !target) throw notFound('ticket');
  if (source.ticket.version !== version)
    throw conflict(
      { en: 'the ticket changed since you read it; reload and retry', zh: '工单在您读取后已被修改，请重新加载后重试' },
      { version: source.ticket.version },
    );
  if (source.ticket.status === 'closed' || target.ticket.status === 'closed')
    throw badRequest({ en: 'closed tickets cannot be merged', zh: '已关闭的工单不能合并' });
  const cfg = await ports.store.config(source.ticket.shopId);
  const clocks = onStatusChange(source.clocks, source.ticket.status, 'closed', now, calendarFor(cfg, source.ticket.sla.calendarId));
  const closed: Ticket = withSla(bump({ ...source.ticket, status: 'closed', closedAt: now.toISOString(), mergedInto: targetId, waiting: false }, now), clocks);
  const merged: Ticket = bump(
    { ...target.ticket, mergedFrom: [...(target.ticket.mergedFrom ?? []), sourceId], tags: [...new Set([...target.ticket.tags, ...source.ticket.tags])] },
    now,
  );
  const nextSource: TicketState = { ticket: closed, clocks };
  const nextTarget: TicketState = { ...target, ticket: merged };
  try {
    await ports.store.commit({
      tickets: [
        { next: nextSource, prev: source },
        { next: nextTarget, prev: target },
      ],
      audit: [
        entry(ports, sourceId, now, actor, 'merged_into', texts.mergedInto(targetId), {
          status: { from: source.ticket.status, to: 'closed' },
          mergedInto: { from: null, to: targetId },
        }),
        entry(ports, targetId, now, actor, 'merged', texts.merged(sourceId), { mergedFrom: { from: target.ticket.mergedFrom ?? [], to: merged.mergedFrom } }),
      ],
      loads: loadDelta(source.ticket, closed),
    });
  } catch (error) {
    if (error instanceof CommitConflict && error.reason === 'version')
      throw conflict({ en: 'one of the tickets changed; reload and retry', zh: '其中一张工单已被修改，请重新加载后重试' });
    throw error;
  }
  await after(ports, [
    { next: nextSource, prev: source },
    { next: nextTarget, prev: target },
  ]);
  if (holder(source.ticket) && source.ticket.team) await drainQueue(ports, source.ticket.shopId, source.ticket.team);
  return { source: nextSource, target: nextTarget };
}

/** Closes solved tickets whose solve is older than `days` (the follow-up window); returns how many. */
export async function closeSolved(ports: TicketPorts, candidates: Ticket[], days: number): Promise<number> {
  const now = ports.now();
  const cutoff = now.getTime() - days * 86_400_000;
  let closed = 0;
  for (const candidate of candidates) {
    const prev = await ports.store.get(candidate.ticketId);
    if (prev?.ticket.status !== 'solved' || !prev.ticket.solvedAt || Date.parse(prev.ticket.solvedAt) > cutoff) continue;
    const next: TicketState = { ...prev, ticket: bump({ ...prev.ticket, status: 'closed', closedAt: now.toISOString() }, now) };
    try {
      await ports.store.commit({
        tickets: [{ next, prev }],
        audit: [entry(ports, prev.ticket.ticketId, now, SYSTEM, 'closed', texts.autoClosed(days), { status: { from: 'solved', to: 'closed' } })],
        loads: [],
      });
      closed++;
    } catch (error) {
      if (!(error instanceof CommitConflict)) throw error;
    }
  }
  return closed;
}

/** Deadlines a ticket currently has timers for (the re-arm job re-sends lost ones). */
export function liveDeadlines(state: TicketState): Deadline[] {
  return deadlines(state.clocks);
}
