import * as z from 'zod/mini';
import { withHttp, ok } from '#shared/http/with-http.ts';
import { ConversationParams, MessagesQuery } from '#shared/api/chat.ts';
import { listMessages } from '#shared/store/conversations.ts';
import { staffConversation } from '#shared/chat/service.ts';

export const handler = withHttp('conversation-messages-list', { query: MessagesQuery, params: ConversationParams },
  async ({ params, query }) => {
    await staffConversation(params.conversationId);
    return ok(await listMessages(params.conversationId, { before: query.before, limit: query.limit ?? 50, includeInternal: true }));
  },
);
