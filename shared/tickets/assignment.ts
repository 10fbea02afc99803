/**
 * Assignment within a team: round-robin (take turns in member order, skipping who is offline or
 * full) or least-loaded (lowest load relative to capacity, ties broken by turn order) among the
 * team's online agents, each with a capacity of open tickets. When everyone is full the ticket waits
 * in the team queue, most urgent then oldest first. A team may require training (上岗要求): only
 * members whose best practice score reaches the passing score on every required scenario are picked
 * automatically (a supervisor can still assign anyone by hand). Pure: loads, presence and best
 * scores are passed in.
 */
import * as z from 'zod/mini';
import { msg } from '#shared/http/messages.ts';
import { missingScenarios } from '#shared/quality/training-gate.ts';
import { PRIORITY_RANK, type Priority } from '#shared/sla/policy.ts';
import { TeamId } from './model.ts';

const Name = z.strictObject({ 'zh-CN': z.string().check(z.minLength(1), z.maxLength(200)), en: z.string().check(z.minLength(1), z.maxLength(200)) });

/** Most scenarios a team can require. */
export const MAX_REQUIRED_SCENARIOS = 20;

/** 上岗要求: the scenarios a member must pass (best practice score ≥ passingScore) before auto-assignment routes them work. */
export const TrainingRequirementSchema = z.strictObject({
  scenarioIds: z
    .array(z.string().check(z.minLength(1, msg('a scenario id must not be empty', '情景编号不能为空')), z.maxLength(80)))
    .check(
      z.minLength(1, msg('choose at least one scenario', '请至少选择一个情景')),
      z.maxLength(MAX_REQUIRED_SCENARIOS, msg(`at most ${MAX_REQUIRED_SCENARIOS} scenarios`, `最多选择 ${MAX_REQUIRED_SCENARIOS} 个情景`)),
    ),
  passingScore: z
    .int(msg('the passing score is a whole number from 0 to 100', '及格分须为 0 到 100 之间的整数'))
    .check(
      z.gte(0, msg('the passing score is a whole number from 0 to 100', '及格分须为 0 到 100 之间的整数')),
      z.lte(100, msg('the passing score is a whole number from 0 to 100', '及格分须为 0 到 100 之间的整数')),
    ),
});
export type TrainingRequirement = z.infer<typeof TrainingRequirementSchema>;

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
  /** 上岗要求: members route automatically only once they passed these scenarios. */
  training: z.optional(TrainingRequirementSchema),
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

/** Each agent's best practice score per scenario (sub → scenarioId → best total). */
export { missingScenarios };

export type BestScores = ReadonlyMap<string, Readonly<Record<string, number>>>;

/** Whether a member meets the team's training requirement (always, without one; never, when scores were not read). */
export function qualifies(team: Pick<Team, 'training'>, sub: string, scores: BestScores | undefined): boolean {
  if (!team.training) return true;
  if (!scores) return false;
  return missingScenarios(team.training, scores.get(sub)).length === 0;
}

/**
 * The agent who should get the next ticket, or undefined when every online (and, with a training
 * requirement, qualified) member is at capacity (the ticket then waits in the team queue).
 * `exclude` skips agents a concurrent assignment just filled; `scores` are the members' best
 * practice scores (needed only when the team requires training).
 */
export function pickAgent(
  team: Team,
  online: ReadonlySet<string>,
  loads: ReadonlyMap<string, number>,
  exclude: ReadonlySet<string> = new Set(),
  scores?: BestScores,
): string | undefined {
  const free = turnOrder(team).filter(
    (sub) => online.has(sub) && !exclude.has(sub) && (loads.get(sub) ?? 0) < capacityOf(team, sub) && qualifies(team, sub, scores),
  );
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
export type WaitReason = 'no_members' | 'nobody_online' | 'not_qualified' | 'all_full';

/**
 * The true reason nobody could take a ticket: an empty team, nobody online, nobody online who meets
 * the training requirement, or everyone online (and qualified) at capacity.
 */
export function waitReason(team: Team, online: ReadonlySet<string>, scores?: BestScores): WaitReason {
  if (team.members.length === 0) return 'no_members';
  const present = team.members.filter((sub) => online.has(sub));
  if (present.length === 0) return 'nobody_online';
  return present.some((sub) => qualifies(team, sub, scores)) ? 'all_full' : 'not_qualified';
}

/** The team-queue sort key: most urgent first, then oldest (what the gsi2 sort key encodes). */
export function queueRank(priority: Priority): number {
  return PRIORITY_RANK[priority];
}
