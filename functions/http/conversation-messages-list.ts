import { ConversationParams, MessagesQuery } from '#shared/api/chat.ts';
import { staffConversation } from '#shared/chat/service.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { listMessages } from '#shared/store/conversations.ts';

export const handler = withHttp('conversation-messages-list', { query: MessagesQuery, params: ConversationParams }, async ({ params, query }) => {
  await staffConversation(params.conversationId);
  return ok(await listMessages(params.conversationId, { before: query.before, limit: query.limit ?? 50, includeInternal: true }));
});
