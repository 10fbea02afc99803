import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { required } from '#shared/config.ts';

let client: DynamoDBDocumentClient | undefined;

/** One document client per container; the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB locally. */
export function db(): DynamoDBDocumentClient {
  client ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return client;
}

/** The table this function is bound to. */
export function tableName(): string {
  return required('TABLE_NAME');
}

type QueryInput = ConstructorParameters<typeof QueryCommand>[0];

/** Every page of a Query (DynamoDB returns at most 1 MB per call), following LastEvaluatedKey. */
export async function* queryPages(input: QueryInput): AsyncGenerator<Record<string, unknown>[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db().send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    yield (res.Items ?? []) as Record<string, unknown>[];
    start = res.LastEvaluatedKey;
  } while (start);
}

/** All items of a Query, across pages. */
export async function queryAll(input: QueryInput): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const page of queryPages(input)) out.push(...page);
  return out;
}

/**
 * The SET and REMOVE clauses of an UpdateItem for attributes named at run time, with their name
 * and value placeholders (`#s0 = :s0`, `#r0`); empty clauses are left out. Merge `names`/`values`
 * with the caller's own placeholders for further clauses and conditions.
 */
export function setRemove(
  set: Readonly<Record<string, unknown>>,
  remove: readonly string[] = [],
): { set: string; remove: string; names: Record<string, string>; values: Record<string, unknown> } {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(set).map(([k, v], i) => {
    names[`#s${i}`] = k;
    values[`:s${i}`] = v;
    return `#s${i} = :s${i}`;
  });
  const removals = remove.map((k, i) => {
    names[`#r${i}`] = k;
    return `#r${i}`;
  });
  return { set: sets.length ? `SET ${sets.join(', ')}` : '', remove: removals.length ? `REMOVE ${removals.join(', ')}` : '', names, values };
}

/** An item's key as text (`pk|sk`): how `batchGetItems` keys its answer. */
export const itemKeyOf = (key: { pk?: unknown; sk?: unknown }): string => `${key.pk}|${key.sk}`;

/** Rounds of unprocessed keys asked again before a batch read gives up. */
const BATCH_GET_ROUNDS = 8;

/**
 * Items by key with BatchGetItem: 100 keys a call, unprocessed keys (throttling) asked again after a
 * short growing pause. Keyed by `itemKeyOf`; a key with no item is simply absent.
 */
export async function batchGetItems(keyList: readonly { pk: string; sk: string }[], consistent = true): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < keyList.length; i += 100) {
    let pending: Record<string, unknown>[] = keyList.slice(i, i + 100).map((k) => ({ pk: k.pk, sk: k.sk }));
    for (let round = 0; pending.length > 0; round++) {
      if (round >= BATCH_GET_ROUNDS) throw new Error('BatchGetItem kept returning unprocessed keys');
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(200, 5 * 2 ** round) * (0.5 + Math.random())));
      const res = await db().send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: consistent } } }));
      for (const item of res.Responses?.[tableName()] ?? []) out.set(itemKeyOf(item), item);
      pending = (res.UnprocessedKeys?.[tableName()]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return out;
}
