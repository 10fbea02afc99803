import { notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { readsUnmaskedText, ticketForStaff } from '#shared/privacy/views.ts';
import { ticketPorts } from '#shared/tickets/adapters.ts';
import { ticketView } from '#shared/tickets/api.ts';
import { TicketIdParams } from '#shared/tickets/model.ts';
import { calendarFor } from '#shared/tickets/service.ts';
import { listAudit } from '#shared/tickets/store.ts';

const ports = ticketPorts();

export const handler = withHttp('ticket-get', { params: TicketIdParams }, async ({ params, caller }) => {
  const [state, audit] = await Promise.all([ports.store.get(params.ticketId), listAudit(params.ticketId)]);
  if (!state) throw notFound('ticket');
  const cfg = await ports.store.config(state.ticket.shopId);
  const view = ticketView(state, ports.now(), calendarFor(cfg, state.ticket.sla.calendarId));
  return ok({ ...view, ticket: ticketForStaff(view.ticket, readsUnmaskedText(caller.roles)), audit });
});
