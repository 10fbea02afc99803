import * as z from 'zod/mini';
import { withHttp, ok } from '#shared/http/with-http.ts';
import { AttachmentParams } from '#shared/api/chat.ts';
import { ownConversation } from '#shared/chat/service.ts';
import { downloadUrl } from '#shared/attachments.ts';

export const handler = withHttp('widget-attachment', { params: AttachmentParams },
  async ({ caller, params, now }) => {
    await ownConversation(caller, params.conversationId);
    return ok(await downloadUrl(params.conversationId, params.attachmentId, now));
  },
);
