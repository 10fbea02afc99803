import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

const client = new DynamoDBClient({});

/** Baseline for the cold-start bench: the least a Lambda that reads the table can do (one GetItem, plain SDK). */
export async function handler(): Promise<{ statusCode: number; body: string }> {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: 'bench#reference' }, sk: { S: 'bench#reference' } } }),
  );
  return { statusCode: 200, body: JSON.stringify({ found: Item !== undefined }) };
}
