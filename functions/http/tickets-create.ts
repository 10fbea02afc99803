import { created, withHttp } from '#shared/http/with-http.ts';
import { readsUnmaskedText, ticketForStaff } from '#shared/privacy/views.ts';
import { ticketPorts } from '#shared/tickets/adapters.ts';
import { CreateTicketBody, staffPerson } from '#shared/tickets/api.ts';
import { resolveRequester } from '#shared/tickets/intake.ts';
import { createTicket } from '#shared/tickets/service.ts';

const ports = ticketPorts();

export const handler = withHttp('tickets-create', { body: CreateTicketBody }, async ({ body, caller }) => {
  const { requester: who, shopId: shop, ...fields } = body;
  const { shopId, requester } = await resolveRequester(who, shop, ports.now());
  const state = await createTicket(ports, { ...fields, shopId, requester }, staffPerson(caller));
  return created({ ticket: ticketForStaff(state.ticket, readsUnmaskedText(caller.roles)), clocks: state.clocks });
});
