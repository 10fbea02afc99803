import * as z from 'zod/mini';
import { PageInfo, Text } from '#shared/api/chat.ts';
import { forVisitor, limitVisitor, startConversation } from '#shared/chat/service.ts';
import { created, withHttp } from '#shared/http/with-http.ts';
import { cleanLine } from '#shared/text/hygiene.ts';

const Body = z.strictObject({
  email: z.email('email must be a valid address so the team can answer'),
  name: z.optional(z.string().check(cleanLine(), z.maxLength(200))),
  text: Text,
  page: z.optional(PageInfo),
});

export const handler = withHttp('widget-offline-message', { body: Body }, async ({ body, caller, sourceIp, now }) => {
  await limitVisitor('conversation', caller, sourceIp, now);
  const result = await startConversation(caller, { text: body.text, page: body.page, offline: { email: body.email, name: body.name } }, now);
  return created({ conversation: forVisitor(result.conversation) });
});
