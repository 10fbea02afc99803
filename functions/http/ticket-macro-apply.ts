import { ok, withHttp } from '#shared/http/with-http.ts';
import { readsUnmaskedText, ticketForStaff } from '#shared/privacy/views.ts';
import { ticketPorts } from '#shared/tickets/adapters.ts';
import { applyMacro } from '#shared/tickets/macro-service.ts';
import { ApplyBody, ApplyParams } from '#shared/tickets/macros.ts';

const ports = ticketPorts();

export const handler = withHttp('ticket-macro-apply', { body: ApplyBody, params: ApplyParams }, async ({ body, params, caller }) => {
  const applied = await applyMacro(ports, caller, params.ticketId, params.macroId, body.version, ports.now());
  return ok({ ...applied, ticket: ticketForStaff(applied.ticket, readsUnmaskedText(caller.roles)) });
});
