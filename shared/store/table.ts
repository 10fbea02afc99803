import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
