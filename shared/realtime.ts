import { ApiGatewayManagementApiClient, DeleteConnectionCommand, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { httpRoutes, type RouteAuth, routeKey } from '#infra/manifest.ts';
import { required } from '#shared/config.ts';
import { logger } from '#shared/log.ts';
import { keys } from '#shared/store/keys.ts';
import { db, queryAll, tableName } from '#shared/store/table.ts';

/** API Gateway closes a WebSocket after 2 h; the registry entry lives a little longer (TTL). */
const CONNECTION_TTL_SECONDS = 2 * 3600 + 600;

export type ConnectionOwner = { kind: 'visitor'; contactId: string; shopId: string } | { kind: 'staff'; sub: string; roles: string[] };

export interface Connection {
  connectionId: string;
  owner: ConnectionOwner;
  topic: string;
  connectedAt: string;
  ttl: number;
  /** Absent until the socket sends a `subscribe` frame. */
  subscription?: Subscription;
}

/** Topic a visitor's sockets listen on (every conversation of that contact). */
export const contactTopic = (contactId: string) => `contact#${contactId}`;
/** Topic every staff socket listens on (inbox changes, new messages). */
export const STAFF_TOPIC = 'staff';

/** Which side of the platform a socket belongs to (the key of an access entry below). */
type Side = ConnectionOwner['kind'];
/** Per side, the HTTP route (`METHOD /path`) whose callers may read or do the same thing. */
type FrameAccess = Partial<Record<Side, string>>;

/**
 * Every kind of frame the server pushes through a topic, with the HTTP route that reads the same
 * data. A socket receives a kind exactly when its token may call that route (roles from the route's
 * `auth` in infra/manifest.ts), so a socket never carries more than HTTP gives the same caller.
 * A kind missing here reaches nobody. `pong` and `error` only ever answer the socket that asked.
 */
export const SERVER_FRAMES = {
  message: { staff: 'GET /conversations/{conversationId}/messages', visitor: 'GET /widget/conversations/{conversationId}/messages' },
  conversation: { staff: 'GET /conversations/{conversationId}', visitor: 'GET /widget/conversations' },
  typing: { staff: 'GET /conversations/{conversationId}', visitor: 'GET /widget/conversations/{conversationId}/messages' },
  read: { staff: 'GET /conversations/{conversationId}', visitor: 'GET /widget/conversations/{conversationId}/messages' },
  presence: { staff: 'GET /staff', visitor: 'GET /widget/status' },
  ticket: { staff: 'GET /tickets/{ticketId}' },
  sla: { staff: 'GET /tickets/{ticketId}' },
  bot_delta: { visitor: 'GET /widget/conversations/{conversationId}/messages' },
  survey: { visitor: 'GET /widget/surveys' },
  campaign_message: { visitor: 'GET /widget/campaign-messages' },
} as const satisfies Record<string, FrameAccess>;

/** Frames a client may send that act on a conversation, with the HTTP route that does the same (`ping` is open to every socket). */
export const CLIENT_FRAMES = {
  typing: { staff: 'POST /conversations/{conversationId}/messages', visitor: 'POST /widget/conversations/{conversationId}/messages' },
  read: { staff: 'POST /conversations/{conversationId}/read', visitor: 'POST /widget/conversations/{conversationId}/read' },
} as const satisfies Record<string, FrameAccess>;

/** Resolved once per container: a route renamed in the manifest fails here, loudly, not silently open. */
const resolveAccess = (table: Record<string, FrameAccess>) => {
  const auth = new Map(httpRoutes().map(({ route }) => [routeKey(route), route.auth]));
  const resolved = new Map<string, Partial<Record<Side, RouteAuth>>>();
  for (const [kind, sides] of Object.entries(table)) {
    const entry: Partial<Record<Side, RouteAuth>> = {};
    for (const [side, key] of Object.entries(sides) as [Side, string][]) {
      const found = auth.get(key);
      if (!found) throw new Error(`realtime: ${key} (access of ${kind} frames) is not a route in infra/manifest.ts`);
      entry[side] = found;
    }
    resolved.set(kind, entry);
  }
  return resolved;
};
const RECEIVE = resolveAccess(SERVER_FRAMES);
const SEND = resolveAccess(CLIENT_FRAMES);

/** Whether a route's auth admits this socket's owner, exactly as the HTTP wrapper would. */
function admits(auth: RouteAuth | undefined, owner: ConnectionOwner): boolean {
  if (!auth) return false;
  if (auth.kind === 'public') return true;
  if (auth.kind === 'visitor') return owner.kind === 'visitor';
  if (auth.kind === 'staff') return owner.kind === 'staff' && owner.roles.some((role) => (auth.roles as readonly string[]).includes(role));
  return false;
}

const READER = Symbol('per-reader frame');

/**
 * A frame whose content depends on who reads it: `view` gives each socket owner its own copy (an
 * agent reads a shopper's phone number masked, a supervisor as written — the same rule as the HTTP
 * route of that frame kind). Built with `perReader`; resolved once per socket in `pushToTopic`.
 */
export interface PerReaderFrame {
  readonly [READER]: true;
  readonly type: keyof typeof SERVER_FRAMES;
  readonly view: (owner: ConnectionOwner) => unknown;
}

/** A frame built per socket owner (see PerReaderFrame). */
export function perReader(type: keyof typeof SERVER_FRAMES, view: (owner: ConnectionOwner) => unknown): PerReaderFrame {
  return { [READER]: true, type, view };
}

/** The roles of a socket's owner (a shopper has none). */
export const rolesOf = (owner: ConnectionOwner): readonly string[] => (owner.kind === 'staff' ? owner.roles : []);

const isPerReader = (frame: unknown): frame is PerReaderFrame => typeof frame === 'object' && frame !== null && READER in frame;

/** What one socket receives of a frame. */
const resolveFor = (owner: ConnectionOwner, frame: unknown): unknown => (isPerReader(frame) ? frame.view(owner) : frame);

const kindOf = (frame: unknown): string | undefined => {
  const type = (frame as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : undefined;
};

/** Whether a socket may receive a pushed frame (by its kind; unknown kinds reach nobody). */
export function mayReceive(owner: ConnectionOwner, frame: unknown): boolean {
  const kind = kindOf(frame);
  return admits(kind === undefined ? undefined : RECEIVE.get(kind)?.[owner.kind], owner);
}

/** Whether a socket may send a conversation frame, and the route that decides it (for the error frame). */
export function maySend(owner: ConnectionOwner, kind: keyof typeof CLIENT_FRAMES): { allowed: boolean; route: string } {
  return { allowed: admits(SEND.get(kind)?.[owner.kind], owner), route: CLIENT_FRAMES[kind][owner.kind] };
}

/**
 * Whether staff with these roles serve shoppers: the roles of the reply route
 * (`POST /conversations/{conversationId}/messages`). Only they count as online agents.
 */
export function servesConversations(roles: readonly string[]): boolean {
  return admits(SEND.get('typing')?.staff, { kind: 'staff', sub: '', roles: [...roles] });
}

/** Frame families a socket can ask for by name (the `views` of a `subscribe` frame). */
export const VIEWS = ['conversations', 'presence', 'tickets', 'offers'] as const;
export type View = (typeof VIEWS)[number];
/** Most conversations one socket may have open at once (a console shows one, a few tabs at most). */
export const MAX_OPEN_CONVERSATIONS = 20;

/**
 * What a socket asked to receive with its last `subscribe` frame (docs/contracts.md, "Socket
 * frames"). A socket that never subscribed receives every frame its role admits, one per push
 * (older clients, scripts); a subscribed one only what it names, bundled into one `batch` frame per
 * event. A subscription only ever narrows: SERVER_FRAMES still decides what the role may receive.
 */
export interface Subscription {
  views: View[];
  conversations: string[];
}

/**
 * Per frame kind, what a subscribed socket must have asked for to receive it: a view, or (for
 * `conversation`-scoped kinds) the conversation the frame is about being open on that socket. A
 * shopper's topic only ever carries their own conversations, so those frames always concern them.
 */
const FRAME_SCOPE = {
  message: 'conversation',
  typing: 'conversation',
  read: 'conversation',
  bot_delta: 'conversation',
  conversation: 'conversations',
  presence: 'presence',
  ticket: 'tickets',
  sla: 'tickets',
  survey: 'offers',
  campaign_message: 'offers',
} as const satisfies Record<keyof typeof SERVER_FRAMES, View | 'conversation'>;

/** Whether a socket asked for a frame (already resolved for its owner); the role check is `mayReceive`. */
export function wants(connection: Pick<Connection, 'owner' | 'subscription'>, frame: unknown): boolean {
  const subscription = connection.subscription;
  if (!subscription) return true;
  const scope = FRAME_SCOPE[kindOf(frame) as keyof typeof FRAME_SCOPE] as View | 'conversation' | undefined;
  if (scope === undefined) return false;
  if (scope !== 'conversation') return subscription.views.includes(scope);
  if (connection.owner.kind === 'visitor') return true;
  const conversationId = (frame as { conversationId?: unknown }).conversationId;
  return typeof conversationId === 'string' && subscription.conversations.includes(conversationId);
}

/** The frames one socket gets of a push: admitted by its role, resolved for its reader, asked for. */
export function framesFor(connection: Pick<Connection, 'owner' | 'subscription'>, payloads: readonly unknown[]): unknown[] {
  return payloads
    .filter((payload) => mayReceive(connection.owner, payload))
    .map((payload) => resolveFor(connection.owner, payload))
    .filter((frame) => wants(connection, frame));
}

/** What goes over the wire to one socket: a subscribed socket gets one message per event (a `batch` when there are several frames). */
export function wireMessages(connection: Pick<Connection, 'subscription'>, frames: readonly unknown[]): unknown[] {
  return connection.subscription && frames.length > 1 ? [{ type: 'batch', frames }] : [...frames];
}

let client: ApiGatewayManagementApiClient | undefined;
function management(): ApiGatewayManagementApiClient {
  client ??= new ApiGatewayManagementApiClient({ endpoint: required('WS_MANAGEMENT_ENDPOINT') });
  return client;
}

/**
 * The registry stamp of a topic: bumped whenever a socket joins it or changes its subscription, so
 * a container may reuse its copy of the topic's sockets for a few seconds with one small
 * consistent GetItem instead of a Query of every socket (a socket that left is found by its 410).
 */
const stampKey = (topic: string) => keys.connection(`stamp#${topic}`);
interface Stamp {
  n: number;
  at: number;
}

async function bumpTopic(topic: string, now: Date): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: stampKey(topic),
      // It outlives the sockets it counts a little (TTL), so a contact's stamp does not stay forever.
      UpdateExpression: 'SET #at = :at, #ttl = :ttl ADD #n :one',
      ExpressionAttributeNames: { '#at': 'at', '#n': 'n', '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':at': now.getTime(), ':ttl': Math.floor(now.getTime() / 1000) + CONNECTION_TTL_SECONDS, ':one': 1 },
    }),
  );
}

async function topicStamp(topic: string): Promise<Stamp> {
  const res = await db().send(
    new GetCommand({
      TableName: tableName(),
      Key: stampKey(topic),
      ConsistentRead: true,
      ProjectionExpression: '#n, #at',
      ExpressionAttributeNames: { '#n': 'n', '#at': 'at' },
    }),
  );
  return { n: Number(res.Item?.n ?? 0), at: Number(res.Item?.at ?? 0) };
}

/** How long a container reuses a topic's sockets while its stamp is unchanged. */
const REGISTRY_CACHE_MS = 5_000;
/** The topic index is eventually consistent: a list read this soon after a join is not reused. */
const INDEX_SETTLE_MS = 2_000;
const registry = new Map<string, { stamp: number; at: number; connections: Connection[] }>();

/** The live sockets of a topic, from this container's copy when the topic has not changed since. */
async function listenersOf(topic: string, now: Date): Promise<Connection[]> {
  const stamp = await topicStamp(topic);
  const cached = registry.get(topic);
  const alive = (c: Connection) => c.ttl * 1000 > now.getTime();
  if (cached && cached.stamp === stamp.n && now.getTime() - cached.at < REGISTRY_CACHE_MS) return cached.connections.filter(alive);
  const connections = await connectionsOf(topic, now);
  if (registry.size > 1000) for (const [key, entry] of registry) if (now.getTime() - entry.at >= REGISTRY_CACHE_MS) registry.delete(key);
  if (now.getTime() - stamp.at >= INDEX_SETTLE_MS) registry.set(topic, { stamp: stamp.n, at: now.getTime(), connections });
  else registry.delete(topic);
  return connections;
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
  await bumpTopic(topic, now);
  return connection;
}

/** Records what a registered socket asked for (its `subscribe` frame); false when it is not registered. */
export async function setSubscription(connection: Connection, subscription: Subscription, now: Date): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.connection(connection.connectionId),
        UpdateExpression: 'SET #s = :s',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#s': 'subscription' },
        ExpressionAttributeValues: { ':s': subscription },
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
  await bumpTopic(connection.topic, now);
  return true;
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

/** Live connections of a topic, read now (not cached); entries past their TTL are ignored (TTL deletion lags). */
export async function connectionsOf(topic: string, now = new Date()): Promise<Connection[]> {
  const items = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :t',
    ExpressionAttributeValues: { ':t': keys.topicPartition(topic).gsi1pk },
  });
  return (items as unknown as Connection[]).filter((c) => c.ttl * 1000 > now.getTime());
}

/**
 * A socket this young may still be finishing its handshake ($connect has run, the upgrade has not:
 * API Gateway and the local gateway answer 410 until then), so a Gone does not remove it.
 */
const HANDSHAKE_GRACE_MS = 10_000;

/** Sends payloads to one socket, in order; a gone socket is removed from the registry. */
export async function pushToConnection(connectionId: string, ...payloads: unknown[]): Promise<boolean> {
  return push(connectionId, payloads);
}

async function push(connectionId: string, payloads: readonly unknown[], connectedAt?: string, topic?: string): Promise<boolean> {
  try {
    for (const payload of payloads) {
      await management().send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(JSON.stringify(payload)) }));
    }
    return true;
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'GoneException' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 410) {
      // Gone cleanup: this container stops pushing to it at once, the registry forgets it (unless it is still shaking hands).
      if (topic) registry.delete(topic);
      const young = connectedAt !== undefined && Date.now() - Date.parse(connectedAt) < HANDSHAKE_GRACE_MS;
      if (!young) await forgetConnection(connectionId);
      return false;
    }
    logger.warn('push failed', { connectionId, errorName: name });
    return false;
  }
}

/** A presence frame equal to the last one pushed on a topic this recently is not pushed again (consoles re-announce on every load). */
const PRESENCE_DEBOUNCE_MS = 5_000;
const lastPresence = new Map<string, { json: string; at: number }>();
const repeatedPresence = (topic: string, payload: unknown, now: number): boolean => {
  if (kindOf(payload) !== 'presence' || isPerReader(payload)) return false;
  const json = JSON.stringify(payload);
  const last = lastPresence.get(topic);
  if (last && last.json === json && now - last.at < PRESENCE_DEBOUNCE_MS) return true;
  lastPresence.set(topic, { json, at: now });
  return false;
};

/**
 * Pushes the frames of one event to the sockets of a topic, each socket getting only the frames its
 * owner may receive (see SERVER_FRAMES), resolved for that reader, that it subscribed to; a
 * subscribed socket gets them as one message. Returns how many sockets received something.
 */
export async function pushToTopic(topic: string, ...payloads: unknown[]): Promise<number> {
  const now = new Date();
  const sending = payloads.filter((payload) => !repeatedPresence(topic, payload, now.getTime()));
  if (sending.length === 0) return 0;
  const unknown = sending.map(kindOf).filter((kind) => kind === undefined || !RECEIVE.has(kind));
  if (unknown.length > 0) logger.warn('frame kind missing from SERVER_FRAMES; delivered to nobody', { topic, kinds: unknown.map(String) });
  const connections = await listenersOf(topic, now);
  const results = await Promise.all(
    connections.map((c) => {
      const frames = framesFor(c, sending);
      return frames.length > 0 ? push(c.connectionId, wireMessages(c, frames), c.connectedAt, topic) : false;
    }),
  );
  return results.filter(Boolean).length;
}

/** Closes a socket from the server side. */
export async function closeConnection(connectionId: string): Promise<void> {
  await management()
    .send(new DeleteConnectionCommand({ ConnectionId: connectionId }))
    .catch(() => undefined);
  await forgetConnection(connectionId);
}
