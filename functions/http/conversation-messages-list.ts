import { ConversationParams, MessagesQuery } from '#shared/api/chat.ts';
import { staffConversation } from '#shared/chat/service.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { recordConversationRead } from '#shared/privacy/access-log.ts';
import { messageView, readsUnmaskedText } from '#shared/privacy/views.ts';
import { listMessages } from '#shared/store/conversations.ts';

export const handler = withHttp('conversation-messages-list', { query: MessagesQuery, params: ConversationParams }, async ({ caller, params, query, now }) => {
  const conversation = await staffConversation(params.conversationId);
  const plain = readsUnmaskedText(caller.roles);
  const [page] = await Promise.all([
    listMessages(params.conversationId, { before: query.before, limit: query.limit ?? 50, includeInternal: true }),
    recordConversationRead(caller, conversation, plain, now),
  ]);
  return ok(plain ? page : { ...page, items: page.items.map((m) => messageView(m, false)) });
});
