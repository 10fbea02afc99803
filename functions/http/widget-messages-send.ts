import { ConversationParams, SendBody } from '#shared/api/chat.ts';
import { limitVisitor, messageForVisitor, visitorSend } from '#shared/chat/service.ts';
import { created, ok, withHttp } from '#shared/http/with-http.ts';

export const handler = withHttp('widget-messages-send', { body: SendBody, params: ConversationParams }, async ({ body, caller, params, sourceIp, now }) => {
  await limitVisitor('message', caller, sourceIp, now);
  const result = await visitorSend(caller, params.conversationId, body, now);
  return result.created ? created({ message: messageForVisitor(result.message) }) : ok({ message: messageForVisitor(result.message) });
});
