import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import { ConversationParams, ReadBody } from '#shared/api/chat.ts';
import { admitTyping, typingSender } from '#shared/chat/typing.ts';
import {
  contactTopic,
  getConnection,
  MAX_OPEN_CONVERSATIONS,
  maySend,
  pushToConnection,
  pushToTopic,
  STAFF_TOPIC,
  setSubscription,
  VIEWS,
} from '#shared/realtime.ts';
import { getConversation, markRead } from '#shared/store/conversations.ts';

const Frame = z.discriminatedUnion('type', [
  z.strictObject({ action: z.optional(z.string()), type: z.literal('ping'), id: z.optional(z.string().check(z.maxLength(64))) }),
  z.strictObject({ action: z.optional(z.string()), type: z.literal('typing'), conversationId: ConversationParams.shape.conversationId }),
  z.strictObject({
    action: z.optional(z.string()),
    type: z.literal('subscribe'),
    views: z.array(z.enum(VIEWS)).check(z.maxLength(VIEWS.length)),
    conversations: z.optional(z.array(ConversationParams.shape.conversationId).check(z.maxLength(MAX_OPEN_CONVERSATIONS))),
  }),
  z.strictObject({
    action: z.optional(z.string()),
    type: z.literal('read'),
    conversationId: ConversationParams.shape.conversationId,
    messageId: ReadBody.shape.messageId,
  }),
]);

/** Machine-readable reason of an error frame (clients show their own localized text for it). */
type ErrorCode = 'bad_json' | 'unsupported_frame' | 'unregistered' | 'forbidden' | 'not_found';

/**
 * $default: socket frames (ping, subscribe, typing, read). `subscribe` replaces what the socket
 * receives (views and open conversations; it only narrows what its role admits). A typing or read
 * frame is refused with an error frame when the socket's role may not do the same over HTTP, or
 * names a conversation it may not see (the error reveals nothing). Typing is forwarded at most once a second per sender; the rest are dropped.
 */
export const handler = async (event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResultV2> => {
  const connectionId = event.requestContext.connectionId;
  const fail = async (code: ErrorCode, message: string, statusCode = 400) => {
    await pushToConnection(connectionId, { type: 'error', code, message });
    return { statusCode };
  };
  let json: unknown;
  try {
    json = JSON.parse(event.body ?? '');
  } catch {
    return fail('bad_json', 'send JSON frames like {"type":"ping"}');
  }
  const parsed = Frame.safeParse(json);
  if (!parsed.success)
    return fail('unsupported_frame', `unsupported frame: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'frame'}: ${i.message}`).join('; ')}`);
  const frame = parsed.data;
  if (frame.type === 'ping') {
    await pushToConnection(connectionId, { type: 'pong', id: frame.id, at: new Date().toISOString() });
    return { statusCode: 200 };
  }
  const connection = await getConnection(connectionId);
  if (!connection) return fail('unregistered', 'connection is not registered; reconnect');
  if (frame.type === 'subscribe') {
    const subscription = { views: [...new Set(frame.views)], conversations: [...new Set(frame.conversations ?? [])] };
    if (!(await setSubscription(connection, subscription, new Date()))) return fail('unregistered', 'connection is not registered; reconnect');
    await pushToConnection(connectionId, { type: 'subscribed', ...subscription });
    return { statusCode: 200 };
  }
  const owner = connection.owner;
  const access = maySend(owner, frame.type);
  if (!access.allowed) return fail('forbidden', `your role may not send ${frame.type} frames: they need the roles of ${access.route}`, 403);
  const conversation = await getConversation(frame.conversationId);
  if (!conversation || (owner.kind === 'visitor' && conversation.contactId !== owner.contactId)) return fail('not_found', 'conversation not found', 404);
  const side = owner.kind === 'visitor' ? 'visitor' : 'agent';
  const target = side === 'visitor' ? STAFF_TOPIC : contactTopic(conversation.contactId);
  if (frame.type === 'typing') {
    if (!(await admitTyping(typingSender(owner), new Date()))) return { statusCode: 429 };
    await pushToTopic(target, { type: 'typing', conversationId: conversation.conversationId, from: side });
  } else {
    await markRead(conversation.conversationId, side, frame.messageId);
    await pushToTopic(target, { type: 'read', conversationId: conversation.conversationId, by: side, messageId: frame.messageId });
  }
  return { statusCode: 200 };
};
