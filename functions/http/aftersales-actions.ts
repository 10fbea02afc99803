import { AfterSalesActionBody, RequestIdParams, requestForStaff } from '#shared/aftersales/api.ts';
import { actOnRequest } from '#shared/aftersales/service.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { readsUnmaskedText } from '#shared/privacy/views.ts';

export const handler = withHttp('aftersales-actions', { body: AfterSalesActionBody, params: RequestIdParams }, async ({ body, params, caller, now }) => {
  const request = await actOnRequest(params.requestId, body, caller, now);
  return ok({ request: requestForStaff(request, {}, readsUnmaskedText(caller.roles)) });
});
