import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import { contactTopic, getConnection, pushToConnection, pushToTopic, STAFF_TOPIC } from '#shared/realtime.ts';
import { getConversation, markRead } from '#shared/store/conversations.ts';
import { ConversationParams, ReadBody } from '#shared/api/chat.ts';

const Frame = z.discriminatedUnion('type', [
  z.strictObject({ action: z.optional(z.string()), type: z.literal('ping'), id: z.optional(z.string().check(z.maxLength(64))) }),
  z.strictObject({ action: z.optional(z.string()), type: z.literal('typing'), conversationId: ConversationParams.shape.conversationId }),
  z.strictObject({
    action: z.optional(z.string()),
    type: z.literal('read'),
    conversationId: ConversationParams.shape.conversationId,
    messageId: ReadBody.shape.messageId,
  }),
]);

/**
 * $default: socket frames (ping, typing, read). A visitor may only touch their own
 * conversations; anything else is answered with an error frame that reveals nothing.
 */
export const handler = async (event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResultV2> => {
  const connectionId = event.requestContext.connectionId;
  const fail = async (message: string) => {
    await pushToConnection(connectionId, { type: 'error', message });
    return { statusCode: 400 };
  };
  let json: unknown;
  try {
    json = JSON.parse(event.body ?? '');
  } catch {
    return fail('send JSON frames like {"type":"ping"}');
  }
  const parsed = Frame.safeParse(json);
  if (!parsed.success) return fail(`unsupported frame: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'frame'}: ${i.message}`).join('; ')}`);
  const frame = parsed.data;
  if (frame.type === 'ping') {
    await pushToConnection(connectionId, { type: 'pong', id: frame.id, at: new Date().toISOString() });
    return { statusCode: 200 };
  }
  const connection = await getConnection(connectionId);
  if (!connection) return fail('connection is not registered; reconnect');
  const conversation = await getConversation(frame.conversationId);
  const owner = connection.owner;
  if (!conversation || (owner.kind === 'visitor' && conversation.contactId !== owner.contactId)) return fail('conversation not found');
  const side = owner.kind === 'visitor' ? 'visitor' : 'agent';
  const target = side === 'visitor' ? STAFF_TOPIC : contactTopic(conversation.contactId);
  if (frame.type === 'typing') {
    await pushToTopic(target, { type: 'typing', conversationId: conversation.conversationId, from: side });
  } else {
    await markRead(conversation.conversationId, side, frame.messageId);
    await pushToTopic(target, { type: 'read', conversationId: conversation.conversationId, by: side, messageId: frame.messageId });
  }
  return { statusCode: 200 };
};
