import { ConversationParams, ReadBody } from '#shared/api/chat.ts';
import { ownConversation } from '#shared/chat/service.ts';
import { noContent, withHttp } from '#shared/http/with-http.ts';
import { pushToTopic, STAFF_TOPIC } from '#shared/realtime.ts';
import { markRead } from '#shared/store/conversations.ts';

export const handler = withHttp('widget-read', { body: ReadBody, params: ConversationParams }, async ({ body, caller, params }) => {
  const conversation = await ownConversation(caller, params.conversationId);
  await markRead(params.conversationId, 'visitor', body.messageId, conversation);
  await pushToTopic(STAFF_TOPIC, { type: 'read', conversationId: params.conversationId, by: 'visitor', messageId: body.messageId });
  return noContent();
});
