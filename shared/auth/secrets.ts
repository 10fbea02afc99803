import { randomBytes } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

let sessionKey: Uint8Array | undefined;

/**
 * The platform's session-signing key. Created once (conditional put, so concurrent cold starts
 * agree) and kept in the table, which is encrypted at rest and readable only by Kefu's functions;
 * this gives the local runtime and AWS one code path instead of a second secret store.
 */
export async function getSessionKey(): Promise<Uint8Array>;
export async function getSessionKey(options: { create: false }): Promise<Uint8Array | undefined>;
export async function getSessionKey(options: { create: boolean } = { create: true }): Promise<Uint8Array | undefined> {
  if (sessionKey) return sessionKey;
  const key = keys.settings();
  const found = await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  let secret = found.Item?.sessionKey as string | undefined;
  // Verifying needs no write access: without a key no token can have been issued yet.
  if (!secret && !options.create) return undefined;
  if (!secret) {
    const fresh = randomBytes(32).toString('base64');
    try {
      await db().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: key,
          UpdateExpression: 'SET sessionKey = :k',
          ConditionExpression: 'attribute_not_exists(sessionKey)',
          ExpressionAttributeValues: { ':k': fresh },
        }),
      );
      secret = fresh;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const again = await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
      secret = again.Item?.sessionKey as string;
    }
  }
  sessionKey = Buffer.from(secret, 'base64');
  return sessionKey;
}
