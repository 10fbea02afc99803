/**
 * Progress in scenario training (情景模拟, pure): each finished practice leaves a small record (who,
 * which scenario, the score, passed or not, when); progress per agent is the best score per
 * scenario and how many scenarios (and practices) they passed, over the records read.
 */
import type { PracticeSession, Scenario } from './training.ts';

/** A finished practice, as stored for the progress lists. */
export interface PracticeRecord {
  sessionId: string;
  scenarioId: string;
  scenarioTitle: string;
  teamId: string;
  agent: string;
  agentName: string;
  total: number;
  passed: boolean;
  finishedAt: string;
}

/** An agent's best on one scenario. */
export interface ScenarioProgress {
  scenarioId: string;
  title: string;
  best: number;
  passed: boolean;
  attempts: number;
  lastAt: string;
}

/** An agent's progress over the records read. */
export interface AgentProgress {
  agent: string;
  agentName: string;
  practices: number;
  practicesPassed: number;
  scenariosPassed: number;
  lastAt: string;
  scenarios: ScenarioProgress[];
}

/** `GET /quality/training/progress` and `/progress/mine`: the practices newest first, and per agent. */
export interface TrainingProgressResponse {
  items: PracticeRecord[];
  agents: AgentProgress[];
  /** The most practices read: older ones are not counted. */
  limit: number;
}

/** The record a finished practice leaves (undefined while it is not scored). */
export function recordOf(
  session: PracticeSession,
  scenario: Pick<Scenario, 'title' | 'teamId'>,
  agentName: string,
  finishedAt: string,
): PracticeRecord | undefined {
  if (!session.result) return undefined;
  return {
    sessionId: session.sessionId,
    scenarioId: session.scenarioId,
    scenarioTitle: scenario.title,
    teamId: scenario.teamId,
    agent: session.agent,
    agentName,
    total: session.result.total,
    passed: session.result.passed,
    finishedAt,
  };
}

/** Progress per agent (most recently active first), each agent's scenarios by title. */
export function progressOf(records: readonly PracticeRecord[]): AgentProgress[] {
  const byAgent = new Map<string, PracticeRecord[]>();
  for (const r of records) byAgent.set(r.agent, [...(byAgent.get(r.agent) ?? []), r]);
  const agents = [...byAgent.values()].map((list): AgentProgress => {
    const latest = list.reduce((a, b) => (b.finishedAt > a.finishedAt ? b : a));
    const byScenario = new Map<string, ScenarioProgress>();
    for (const r of list) {
      const seen = byScenario.get(r.scenarioId);
      const newer = !seen || r.finishedAt > seen.lastAt;
      byScenario.set(r.scenarioId, {
        scenarioId: r.scenarioId,
        title: newer ? r.scenarioTitle : seen.title,
        best: Math.max(seen?.best ?? 0, r.total),
        passed: (seen?.passed ?? false) || r.passed,
        attempts: (seen?.attempts ?? 0) + 1,
        lastAt: newer ? r.finishedAt : seen.lastAt,
      });
    }
    const scenarios = [...byScenario.values()].sort((a, b) => a.title.localeCompare(b.title) || a.scenarioId.localeCompare(b.scenarioId));
    return {
      agent: latest.agent,
      agentName: latest.agentName,
      practices: list.length,
      practicesPassed: list.filter((r) => r.passed).length,
      scenariosPassed: scenarios.filter((s) => s.passed).length,
      lastAt: latest.finishedAt,
      scenarios,
    };
  });
  return agents.sort((a, b) => b.lastAt.localeCompare(a.lastAt) || a.agent.localeCompare(b.agent));
}
