/**
 * The training requirement (上岗要求) of a team, pure and dependency-free (the console uses it too):
 * an agent meets it when their best practice score reaches the passing score on every required
 * scenario.
 */

/** What a team requires: these scenarios, each passed with at least this score (0–100). */
export interface TrainingRequirementShape {
  scenarioIds: readonly string[];
  passingScore: number;
}

/** Best total per scenario over finished practices. */
export function bestOf(records: readonly { scenarioId: string; total: number }[]): Record<string, number> {
  const best: Record<string, number> = {};
  for (const r of records) if (typeof r.total === 'number' && r.total > (best[r.scenarioId] ?? -1)) best[r.scenarioId] = r.total;
  return best;
}

/** The required scenarios an agent has not yet passed (empty when the team requires none). */
export function missingScenarios(requirement: TrainingRequirementShape | undefined, best: Readonly<Record<string, number>> | undefined): string[] {
  if (!requirement) return [];
  return requirement.scenarioIds.filter((id) => (best?.[id] ?? -1) < requirement.passingScore);
}
