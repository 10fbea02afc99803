import { ok, withHttp } from '#shared/http/with-http.ts';
import { readsUnmaskedText, ticketForStaff } from '#shared/privacy/views.ts';
import { ticketPorts } from '#shared/tickets/adapters.ts';
import { staffPerson, UpdateTicketBody } from '#shared/tickets/api.ts';
import { TicketIdParams } from '#shared/tickets/model.ts';
import { updateTicket } from '#shared/tickets/service.ts';

const ports = ticketPorts();

export const handler = withHttp('ticket-update', { body: UpdateTicketBody, params: TicketIdParams }, async ({ body, params, caller }) => {
  const state = await updateTicket(ports, params.ticketId, body, staffPerson(caller));
  return ok({ ticket: ticketForStaff(state.ticket, readsUnmaskedText(caller.roles)), clocks: state.clocks });
});
