import * as z from 'zod/mini';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { listOutbox } from '#shared/tickets/email-store.ts';

const Query = z.strictObject({
  kind: z.optional(z.enum(['ticket_reply', 'marketing'])),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
});

export const handler = withHttp('email-outbox', { query: Query }, async ({ query }) => ok(await listOutbox(query.kind, query.cursor)));
