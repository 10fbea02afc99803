/**
 * Assignment within a team: round-robin (take turns in member order, skipping who is offline or
 * full) or least-loaded (lowest load relative to capacity, ties broken by turn order) among the
 * team's online agents, each with a capacity of open tickets. When everyone is full the ticket waits
 * in the team queue, most urgent then oldest first. Pure: loads and presence are passed in.
 */
import * as z from 'zod/mini';
import { PRIORITY_RANK, type Priority } from '#shared/sla/policy.ts';
import { TeamId } from './model.ts';

const Name = z.strictObject({ 'zh-CN': z.string().check(z.minLength(1), z.maxLength(200)), en: z.string().check(z.minLength(1), z.maxLength(200)) });

export const TeamInputSchema = z.strictObject({
  name: Name,
  members: z.array(z.string().check(z.minLength(1), z.maxLength(128))).check(z.maxLength(200)),
  mode: z._default(z.enum(['round_robin', 'least_loaded']), 'least_loaded'),
  /** Open tickets per agent before new ones wait in the queue. */
  capacity: z._default(z.int().check(z.gte(1), z.lte(100)), 5),
  /** Per-agent capacity overrides (sub → capacity). */
  capacities: z.optional(z.record(z.string(), z.int().check(z.gte(0), z.lte(100)))),
  /** Who an `escalate` SLA action goes to. */
  supervisor: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  /** Calendar the team works (routing's business-hours condition and SLA by default). */
  calendarId: z.optional(z.string().check(z.maxLength(40))),
});
export type TeamInput = z.infer<typeof TeamInputSchema>;

export interface Team extends TeamInput {
  teamId: string;
  /** Round-robin cursor: the member who got the last ticket. */
  lastAssigned?: string;
}

export { TeamId };

/** Capacity of one member in a team. */
export function capacityOf(team: Team, sub: string): number {
  return team.capacities?.[sub] ?? team.capacity;
}

/** Members in turn order starting after the round-robin cursor. */
function turnOrder(team: Team): string[] {
  const i = team.lastAssigned ? team.members.indexOf(team.lastAssigned) : -1;
  return [...team.members.slice(i + 1), ...team.members.slice(0, i + 1)];
}

/**
 * The agent who should get the next ticket, or undefined when every online member is at capacity
 * (the ticket then waits in the team queue). `exclude` skips agents a concurrent assignment just
 * filled.
 */
export function pickAgent(
  team: Team,
  online: ReadonlySet<string>,
  loads: ReadonlyMap<string, number>,
  exclude: ReadonlySet<string> = new Set(),
): string | undefined {
  const free = turnOrder(team).filter((sub) => online.has(sub) && !exclude.has(sub) && (loads.get(sub) ?? 0) < capacityOf(team, sub));
  if (free.length === 0) return undefined;
  if (team.mode === 'round_robin') return free[0];
  let best = free[0] as string;
  let bestRatio = (loads.get(best) ?? 0) / capacityOf(team, best);
  for (const sub of free.slice(1)) {
    const ratio = (loads.get(sub) ?? 0) / capacityOf(team, sub);
    if (ratio < bestRatio) {
      best = sub;
      bestRatio = ratio;
    }
  }
  return best;
}

/** Why a ticket waits in the team queue instead of being assigned (said in its audit line). */
export type WaitReason = 'no_members' | 'nobody_online' | 'all_full';

/** The true reason nobody could take a ticket: an empty team, nobody online, or everyone online at capacity. */
export function waitReason(team: Team, online: ReadonlySet<string>): WaitReason {
  if (team.members.length === 0) return 'no_members';
  return team.members.some((sub) => online.has(sub)) ? 'all_full' : 'nobody_online';
}

/** The team-queue sort key: most urgent first, then oldest (what the gsi2 sort key encodes). */
export function queueRank(priority: Priority): number {
  return PRIORITY_RANK[priority];
}
