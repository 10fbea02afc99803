import { AttachmentParams } from '#shared/api/chat.ts';
import { downloadUrl } from '#shared/attachments.ts';
import { staffConversation } from '#shared/chat/service.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

export const handler = withHttp('conversation-attachment', { params: AttachmentParams }, async ({ params, now }) => {
  await staffConversation(params.conversationId);
  return ok(await downloadUrl(params.conversationId, params.attachmentId, now));
});
