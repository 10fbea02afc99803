import * as z from 'zod/mini';
import { ConversationParams, SendBody } from '#shared/api/chat.ts';
import { staffSend } from '#shared/chat/service.ts';
import { created, ok, withHttp } from '#shared/http/with-http.ts';

const Body = z.extend(SendBody, { internal: z.optional(z.boolean()) });

export const handler = withHttp('conversation-messages-send', { body: Body, params: ConversationParams }, async ({ body, caller, params, now }) => {
  const result = await staffSend(caller, params.conversationId, body, now);
  return result.created ? created({ message: result.message }) : ok({ message: result.message });
});
