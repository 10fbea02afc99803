import { CreateAfterSalesBody, requestForShopper } from '#shared/aftersales/api.ts';
import { createRequest, requireVerified } from '#shared/aftersales/service.ts';
import { limitVisitor } from '#shared/chat/service.ts';
import { created, withHttp } from '#shared/http/with-http.ts';
import { ticketPorts } from '#shared/tickets/adapters.ts';

const ports = ticketPorts();

export const handler = withHttp('widget-aftersales', { body: CreateAfterSalesBody }, async ({ body, caller, sourceIp, now }) => {
  requireVerified(caller);
  await limitVisitor('conversation', caller, sourceIp, now);
  return created({ request: requestForShopper(await createRequest(ports, caller, body, now)) });
});
