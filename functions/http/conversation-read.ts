import { ConversationParams, ReadBody } from '#shared/api/chat.ts';
import { staffConversation } from '#shared/chat/service.ts';
import { noContent, withHttp } from '#shared/http/with-http.ts';
import { contactTopic, pushToTopic, STAFF_TOPIC } from '#shared/realtime.ts';
import { markRead } from '#shared/store/conversations.ts';

export const handler = withHttp('conversation-read', { body: ReadBody, params: ConversationParams }, async ({ body, params }) => {
  const conversation = await staffConversation(params.conversationId);
  await markRead(params.conversationId, 'agent', body.messageId, conversation);
  const frame = { type: 'read', conversationId: params.conversationId, by: 'agent', messageId: body.messageId };
  await Promise.all([pushToTopic(contactTopic(conversation.contactId), frame), pushToTopic(STAFF_TOPIC, frame)]);
  return noContent();
});
