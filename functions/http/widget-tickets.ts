import { limitVisitor, visitorContact } from '#shared/chat/service.ts';
import { created, withHttp } from '#shared/http/with-http.ts';
import { ticketPorts } from '#shared/tickets/adapters.ts';
import { ticketForVisitor, WidgetTicketBody } from '#shared/tickets/api.ts';
import { createTicket } from '#shared/tickets/service.ts';

const ports = ticketPorts();

export const handler = withHttp('widget-tickets', { body: WidgetTicketBody }, async ({ body, caller, sourceIp, now }) => {
  await limitVisitor('conversation', caller, sourceIp, now);
  await visitorContact(caller, now);
  const state = await createTicket(
    ports,
    {
      shopId: caller.shopId,
      channel: 'web_form',
      subject: body.subject,
      text: body.text,
      requester: { contactId: caller.contactId, ...(body.name ? { name: body.name } : {}), ...(body.email ? { email: body.email } : {}) },
      verified: caller.verified,
    },
    { kind: 'visitor' },
  );
  return created({ ticket: ticketForVisitor(state.ticket) });
});
