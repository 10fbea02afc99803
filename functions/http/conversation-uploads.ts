import * as z from 'zod/mini';
import { withHttp, created } from '#shared/http/with-http.ts';
import { ConversationParams } from '#shared/api/chat.ts';
import { staffConversation } from '#shared/chat/service.ts';
import { createUpload, UploadRequest } from '#shared/attachments.ts';

export const handler = withHttp('conversation-uploads', { body: UploadRequest, params: ConversationParams },
  async ({ body, params, now }) => {
    await staffConversation(params.conversationId);
    return created(await createUpload(params.conversationId, body, now));
  },
);
