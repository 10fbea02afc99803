import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { required } from '#shared/config.ts';
import { keys } from '#shared/store/keys.ts';
import { db, queryAll, tableName } from '#shared/store/table.ts';
import { logger } from '#shared/log.ts';

/** API Gateway closes a WebSocket after 2 h; the registry entry lives a little longer (TTL). */
const CONNECTION_TTL_SECONDS = 2 * 3600 + 600;

export type ConnectionOwner =
  | { kind: 'visitor'; contactId: string; shopId: string }
  | { kind: 'staff'; sub: string; roles: string[] };

export interface Connection {
  connectionId: string;
  owner: ConnectionOwner;
  topic: string;
  connectedAt: string;
  ttl: number;
}

/** Topic a visitor's sockets listen on (every conversation of that contact). */
export const contactTopic = (contactId: string) => `contact#${contactId}`;
/** Topic every staff socket listens on (inbox changes, new messages). */
export const STAFF_TOPIC = 'staff';

let client: ApiGatewayManagementApiClient | undefined;
function management(): ApiGatewayManagementApiClient {
  client ??= new ApiGatewayManagementApiClient({ endpoint: required('WS_MANAGEMENT_ENDPOINT') });
  return client;
}

/** Registers a socket and the topic it listens on. */
export async function registerConnection(connectionId: string, owner: ConnectionOwner, now: Date): Promise<Connection> {
  const topic = owner.kind === 'visitor' ? contactTopic(owner.contactId) : STAFF_TOPIC;
  const connection: Connection = {
    connectionId,
    owner,
    topic,
    connectedAt: now.toISOString(),
    ttl: Math.floor(now.getTime() / 1000) + CONNECTION_TTL_SECONDS,
  };
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.connection(connectionId), ...keys.connectionTopic(topic, connectionId), ...connection },
    }),
  );
  return connection;
}

/** The registry entry of a socket (undefined when unknown or past its TTL). */
export async function getConnection(connectionId: string, now = new Date()): Promise<Connection | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.connection(connectionId) }));
  const item = res.Item as Connection | undefined;
  return item && item.ttl * 1000 > now.getTime() ? item : undefined;
}

/** Forgets a socket (on $disconnect or when API Gateway says it is gone). */
export async function forgetConnection(connectionId: string): Promise<void> {
  await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.connection(connectionId) }));
}

/** Live connections of a topic; entries past their TTL are ignored (TTL deletion lags). */
export async function connectionsOf(topic: string, now = new Date()): Promise<Connection[]> {
  const items = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :t',
    ExpressionAttributeValues: { ':t': keys.topicPartition(topic).gsi1pk },
  });
  return (items as unknown as Connection[]).filter((c) => c.ttl * 1000 > now.getTime());
}

/** Sends payloads to one socket, in order; a gone socket is removed from the registry. */
export async function pushToConnection(connectionId: string, ...payloads: unknown[]): Promise<boolean> {
  try {
    for (const payload of payloads) {
      await management().send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(JSON.stringify(payload)) }));
    }
    return true;
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'GoneException' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 410) {
      await forgetConnection(connectionId);
      return false;
    }
    logger.warn('push failed', { connectionId, errorName: name });
    return false;
  }
}

/** Pushes payloads to every socket on a topic (one registry query); returns how many received them. */
export async function pushToTopic(topic: string, ...payloads: unknown[]): Promise<number> {
  if (payloads.length === 0) return 0;
  const connections = await connectionsOf(topic);
  const results = await Promise.all(connections.map((c) => pushToConnection(c.connectionId, ...payloads)));
  return results.filter(Boolean).length;
}

/** Closes a socket from the server side. */
export async function closeConnection(connectionId: string): Promise<void> {
  await management().send(new DeleteConnectionCommand({ ConnectionId: connectionId })).catch(() => undefined);
  await forgetConnection(connectionId);
}
