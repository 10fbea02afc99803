import { ConversationParams, MessagesQuery } from '#shared/api/chat.ts';
import { messageForVisitor, ownConversation } from '#shared/chat/service.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { listMessages } from '#shared/store/conversations.ts';

export const handler = withHttp('widget-messages-list', { query: MessagesQuery, params: ConversationParams }, async ({ caller, params, query }) => {
  await ownConversation(caller, params.conversationId);
  const page = await listMessages(params.conversationId, { before: query.before, limit: query.limit ?? 50, includeInternal: false });
  return ok({ items: page.items.map(messageForVisitor), nextBefore: page.nextBefore });
});
