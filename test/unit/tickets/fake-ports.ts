import type { Calendar } from '#shared/sla/calendar.ts';
import { DEFAULT_POLICY, type SlaPolicy } from '#shared/sla/policy.ts';
import type { Team } from '#shared/tickets/assignment.ts';
import { queueRank } from '#shared/tickets/assignment.ts';
import { keywordGuess } from '#shared/tickets/classify.ts';
import type { AuditEntry, TicketState } from '#shared/tickets/model.ts';
import {
  CommitConflict,
  type StaffFrame,
  type TicketCommit,
  type TicketConfig,
  type TicketEvent,
  type TicketPorts,
  type TicketStore,
  type TimerMessage,
} from '#shared/tickets/ports.ts';
import type { RoutingRule } from '#shared/tickets/routing.ts';

const weekday: [string, string] = ['09:00', '18:00'];
export const SHANGHAI: Calendar = {
  timeZone: 'Asia/Shanghai',
  days: { '1': weekday, '2': weekday, '3': weekday, '4': weekday, '5': weekday },
  holidays: [],
};

export interface FakeWorld {
  ports: TicketPorts;
  tickets: Map<string, TicketState>;
  audit: AuditEntry[];
  loads: Map<string, number>;
  linked: Map<string, string>;
  timers: TimerMessage[];
  frames: StaffFrame[];
  events: TicketEvent[];
  online: Set<string>;
  names: Map<string, string>;
  policies: SlaPolicy[];
  config: TicketConfig;
  clock: { now: Date };
  /** What the store says of every requester (name, member tier and its benefits). */
  requester: Awaited<ReturnType<TicketPorts['store']['requester']>>;
  commits: number;
  /** Runs before the next commit only (simulates a concurrent writer). */
  beforeCommit?: () => void;
}

/** An in-memory world behind the ticket ports: same conditions as the DynamoDB store. */
export function fakeWorld(opts: { teams?: Team[]; rules?: RoutingRule[]; policies?: SlaPolicy[]; now?: Date } = {}): FakeWorld {
  const policies = opts.policies ?? [DEFAULT_POLICY];
  const current = new Map<string, SlaPolicy>();
  for (const p of policies) if (!current.has(p.policyId) || current.get(p.policyId)!.version < p.version) current.set(p.policyId, p);
  const teams = opts.teams ?? [
    { teamId: 'general', name: { 'zh-CN': '客服组', en: 'Support' }, members: ['a1', 'a2', 'a3'], mode: 'least_loaded', capacity: 2 },
  ];
  let counter = 0;
  const world: FakeWorld = {
    tickets: new Map(),
    audit: [],
    loads: new Map(),
    linked: new Map(),
    timers: [],
    frames: [],
    events: [],
    online: new Set(['a1', 'a2', 'a3']),
    names: new Map([
      ['a1', 'Agent One'],
      ['a2', 'Agent Two'],
      ['a3', 'Agent Three'],
      ['sup', 'Supervisor'],
    ]),
    policies,
    config: {
      rules: opts.rules ?? [],
      teams: new Map(teams.map((t) => [t.teamId, t])),
      policies: current,
      calendars: new Map([['shop', SHANGHAI]]),
      defaultTeam: teams[0]!.teamId,
      defaultPolicy: 'default',
    },
    clock: { now: opts.now ?? new Date('2026-11-26T10:00:00+08:00') },
    requester: { name: 'Shopper' },
    commits: 0,
    ports: undefined as unknown as TicketPorts,
  };
  const clone = <T>(v: T): T => structuredClone(v);
  const store: TicketStore = {
    config: async () => world.config,
    policyVersion: async (id, v) => world.policies.find((p) => p.policyId === id && p.version === v),
    get: async (id) => (world.tickets.has(id) ? clone(world.tickets.get(id)!) : undefined),
    loads: async (subs) => new Map(subs.map((s) => [s, world.loads.get(s) ?? 0])),
    waiting: async (team, limit) =>
      [...world.tickets.values()]
        .map((s) => s.ticket)
        .filter((t) => t.waiting && t.team === team)
        .sort((a, b) => queueRank(a.priority) - queueRank(b.priority) || a.createdAt.localeCompare(b.createdAt))
        .slice(0, limit)
        .map(clone),
    async commit(commit: TicketCommit) {
      const hook = world.beforeCommit;
      world.beforeCommit = undefined;
      hook?.();
      for (const { next, prev } of commit.tickets) {
        const existing = world.tickets.get(next.ticket.ticketId);
        if (prev ? existing?.ticket.version !== prev.ticket.version : existing) throw new CommitConflict(prev ? 'version' : 'exists');
      }
      const deltas = new Map<string, { delta: number; capacity?: number }>();
      for (const l of commit.loads) {
        const d = deltas.get(l.sub) ?? { delta: 0 };
        deltas.set(l.sub, { delta: d.delta + l.delta, capacity: l.capacity ?? d.capacity });
      }
      for (const [sub, d] of deltas) {
        if (d.delta > 0 && d.capacity !== undefined && (world.loads.get(sub) ?? 0) + d.delta > d.capacity) throw new CommitConflict('capacity', sub);
      }
      if (commit.conversation && 'link' in commit.conversation && world.linked.has(commit.conversation.link)) throw new CommitConflict('link');
      for (const { next } of commit.tickets) world.tickets.set(next.ticket.ticketId, clone(next));
      for (const [sub, d] of deltas) world.loads.set(sub, (world.loads.get(sub) ?? 0) + d.delta);
      world.audit.push(...clone(commit.audit));
      if (commit.conversation) {
        const id = 'link' in commit.conversation ? commit.conversation.link : commit.conversation.create.conversationId;
        world.linked.set(id, commit.tickets[0]!.next.ticket.ticketId);
      }
      if (commit.cursor) {
        const team = world.config.teams.get(commit.cursor.team);
        if (team) team.lastAssigned = commit.cursor.sub;
      }
      world.commits++;
    },
    staffName: async (sub) => world.names.get(sub),
    requester: async () => world.requester,
  };
  world.ports = {
    store,
    now: () => new Date(world.clock.now),
    ids: (prefix) => `${prefix}_${String(++counter).padStart(26, '0')}`,
    schedule: async (timers) => {
      world.timers.push(...timers);
    },
    notify: async (frame) => {
      world.frames.push(frame);
    },
    online: async () => new Set(world.online),
    classify: async (text) => keywordGuess(text),
    events: async (event) => {
      world.events.push(event);
    },
  };
  return world;
}
