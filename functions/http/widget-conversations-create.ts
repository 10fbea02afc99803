import * as z from 'zod/mini';
import { ClientMessageId, PageInfo, Text } from '#shared/api/chat.ts';
import { forVisitor, limitVisitor, messageForVisitor, startConversation } from '#shared/chat/service.ts';
import { created, ok, withHttp } from '#shared/http/with-http.ts';

const Body = z.strictObject({ clientMessageId: ClientMessageId, text: Text, page: z.optional(PageInfo) });

export const handler = withHttp('widget-conversations-create', { body: Body }, async ({ body, caller, sourceIp, now }) => {
  await limitVisitor('conversation', caller, sourceIp, now);
  const result = await startConversation(caller, body, now);
  const payload = { conversation: forVisitor(result.conversation), message: messageForVisitor(result.message) };
  return result.created ? created(payload) : ok(payload);
});
