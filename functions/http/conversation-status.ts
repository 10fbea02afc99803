import * as z from 'zod/mini';
import { withHttp, ok } from '#shared/http/with-http.ts';
import { notFound } from '#shared/http/errors.ts';
import { ConversationParams } from '#shared/api/chat.ts';
import { updateConversation } from '#shared/store/conversations.ts';
import { announce } from '#shared/chat/service.ts';
import { qualityOnStatus } from '#shared/quality/hooks.ts';

const Body = z.strictObject({ status: z.enum(['open', 'pending', 'resolved']) });

export const handler = withHttp('conversation-status', { body: Body, params: ConversationParams },
  async ({ body, params, caller, now }) => {
    const conversation = await updateConversation(params.conversationId, () => ({ status: body.status }));
    if (!conversation) throw notFound('conversation');
    await announce(conversation);
    await qualityOnStatus(conversation, now, caller.sub);
    return ok({ conversation });
  },
);
