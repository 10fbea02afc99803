import { ConversationParams } from '#shared/api/chat.ts';
import { createUpload, UploadRequest } from '#shared/attachments.ts';
import { limitVisitor, ownConversation } from '#shared/chat/service.ts';
import { created, withHttp } from '#shared/http/with-http.ts';

export const handler = withHttp('widget-uploads', { body: UploadRequest, params: ConversationParams }, async ({ body, caller, params, sourceIp, now }) => {
  await ownConversation(caller, params.conversationId);
  await limitVisitor('message', caller, sourceIp, now);
  return created(await createUpload(params.conversationId, body, now));
});
