import { photoScope, requireVerified } from '#shared/aftersales/service.ts';
import { createUpload, UploadRequest } from '#shared/attachments.ts';
import { limitVisitor } from '#shared/chat/service.ts';
import { created, withHttp } from '#shared/http/with-http.ts';

export const handler = withHttp('widget-aftersales-uploads', { body: UploadRequest }, async ({ body, caller, sourceIp, now }) => {
  requireVerified(caller);
  await limitVisitor('message', caller, sourceIp, now);
  return created(await createUpload(photoScope(caller.contactId), body, now));
});
