import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
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
