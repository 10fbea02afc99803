/**
 * Read helpers of scenario training (情景模拟) for the teams' training requirement (上岗要求): each
 * agent's best practice score per scenario (read from their own result partition, two attributes
 * per record, never scanned) and which scenario ids are not in the library. Small on purpose: the
 * ticket service imports it without the rest of training.
 */
import { keys } from '#shared/store/keys.ts';
import { batchGetItems, itemKeyOf, queryPages, tableName } from '#shared/store/table.ts';
import { bestOf } from './training-gate.ts';

/** Most result records read per agent (pages of the agent's own partition, newest first). */
const MAX_RECORDS = 1000;

/** One agent's best practice score per scenario. */
export async function bestScoresOf(sub: string): Promise<Record<string, number>> {
  const records: { scenarioId: string; total: number }[] = [];
  for await (const page of queryPages({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
    ExpressionAttributeValues: { ':p': keys.trainingAgentPartition(sub), ':s': keys.trainingResultPrefix() },
    ProjectionExpression: 'scenarioId, #t',
    ExpressionAttributeNames: { '#t': 'total' },
    ScanIndexForward: false,
    ConsistentRead: true,
  })) {
    records.push(...(page as { scenarioId: string; total: number }[]));
    if (records.length >= MAX_RECORDS) break;
  }
  return bestOf(records);
}

/** Best practice scores of several agents (sub → scenarioId → best). */
export async function bestScores(subs: readonly string[]): Promise<Map<string, Record<string, number>>> {
  const unique = [...new Set(subs)];
  const all = await Promise.all(unique.map((sub) => bestScoresOf(sub)));
  return new Map(unique.map((sub, i) => [sub, all[i] as Record<string, number>]));
}

/** The scenario ids not in the library (in the order given). */
export async function unknownScenarios(scenarioIds: readonly string[]): Promise<string[]> {
  const unique = [...new Set(scenarioIds)];
  if (unique.length === 0) return [];
  const found = await batchGetItems(unique.map((id) => keys.trainingScenario(id)));
  return scenarioIds.filter((id) => !found.has(itemKeyOf(keys.trainingScenario(id))));
}
