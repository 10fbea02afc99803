import { AttachmentParams } from '#shared/api/chat.ts';
import { downloadUrl } from '#shared/attachments.ts';
import { ownConversation } from '#shared/chat/service.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

export const handler = withHttp('widget-attachment', { params: AttachmentParams }, async ({ caller, params, now }) => {
  await ownConversation(caller, params.conversationId);
  return ok(await downloadUrl(params.conversationId, params.attachmentId, now));
});
