import { ConversationParams } from '#shared/api/chat.ts';
import { createUpload, UploadRequest } from '#shared/attachments.ts';
import { staffConversation } from '#shared/chat/service.ts';
import { created, withHttp } from '#shared/http/with-http.ts';

export const handler = withHttp('conversation-uploads', { body: UploadRequest, params: ConversationParams }, async ({ body, params, now }) => {
  await staffConversation(params.conversationId);
  return created(await createUpload(params.conversationId, body, now));
});
