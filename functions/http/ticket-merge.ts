import { ok, withHttp } from '#shared/http/with-http.ts';
import { readsUnmaskedText, ticketForStaff } from '#shared/privacy/views.ts';
import { ticketPorts } from '#shared/tickets/adapters.ts';
import { MergeBody, staffPerson } from '#shared/tickets/api.ts';
import { TicketIdParams } from '#shared/tickets/model.ts';
import { mergeTickets } from '#shared/tickets/service.ts';

const ports = ticketPorts();

export const handler = withHttp('ticket-merge', { body: MergeBody, params: TicketIdParams }, async ({ body, params, caller }) => {
  const { source, target } = await mergeTickets(ports, params.ticketId, body.into, body.version, staffPerson(caller));
  const plain = readsUnmaskedText(caller.roles);
  return ok({ source: ticketForStaff(source.ticket, plain), target: ticketForStaff(target.ticket, plain) });
});
