import * as z from 'zod/mini';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { readsUnmaskedText, ticketForStaff } from '#shared/privacy/views.ts';
import { searchTickets } from '#shared/tickets/search.ts';

const Query = z.strictObject({ q: z.string().check(z.trim(), z.minLength(1, 'q must not be empty'), z.maxLength(200)) });

export const handler = withHttp('tickets-search', { query: Query }, async ({ query, caller }) => {
  const tickets = await searchTickets(query.q);
  const plain = readsUnmaskedText(caller.roles);
  return ok({ tickets: tickets.map((t) => ticketForStaff(t, plain)) });
});
