import { RequestIdParams, requestForStaff } from '#shared/aftersales/api.ts';
import { requestNotFound } from '#shared/aftersales/service.ts';
import { readRequest } from '#shared/aftersales/store.ts';
import { downloadUrl } from '#shared/attachments.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { readsUnmaskedText } from '#shared/privacy/views.ts';

export const handler = withHttp('aftersales-get', { params: RequestIdParams }, async ({ params, caller, now }) => {
  const request = await readRequest(params.requestId);
  if (!request) throw requestNotFound();
  const links = await Promise.all(request.photos.map(async (p) => [p.attachmentId, (await downloadUrl(request.photoScope, p.attachmentId, now)).url] as const));
  return ok({ request: requestForStaff(request, Object.fromEntries(links), readsUnmaskedText(caller.roles)) }, { 'cache-control': 'no-store' });
});
