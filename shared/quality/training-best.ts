/**
 * Read helpers of scenario training (情景模拟) for the teams' training requirement (上岗要求): each
 * agent's best practice score per scenario (read from their own result partition, two attributes
 * per record, never scanned) and which scenario ids are not in the library. Small on purpose: the
 * ticket service imports it without the rest of training.
 */
import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import { bestOf } from './training-gate.ts';

/** Most result records read per agent (pages of the agent's own partition, newest first). */
const MAX_RECORDS = 1000;

/** One agent's best practice score per scenario. */
export async function bestScoresOf(sub: string): Promise<Record<string, number>> {
  const records: { scenarioId: string; total: number }[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':p': keys.trainingAgentPartition(sub), ':s': keys.trainingResultPrefix() },
        ProjectionExpression: 'scenarioId, #t',
        ExpressionAttributeNames: { '#t': 'total' },
        ScanIndexForward: false,
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    records.push(...((res.Items ?? []) as { scenarioId: string; total: number }[]));
    start = res.LastEvaluatedKey;
  } while (start && records.length < MAX_RECORDS);
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
  const found = new Set<string>();
  for (let i = 0; i < unique.length; i += 100) {
    let request: Record<string, { Keys: Record<string, unknown>[]; ProjectionExpression?: string }> | undefined = {
      [tableName()]: { Keys: unique.slice(i, i + 100).map((id) => ({ ...keys.trainingScenario(id) })), ProjectionExpression: 'scenarioId' },
    };
    while (request && Object.keys(request).length > 0) {
      const res = await db().send(new BatchGetCommand({ RequestItems: request }));
      for (const item of res.Responses?.[tableName()] ?? []) found.add(String(item.scenarioId));
      request = res.UnprocessedKeys as typeof request;
    }
  }
  return scenarioIds.filter((id) => !found.has(id));
}
