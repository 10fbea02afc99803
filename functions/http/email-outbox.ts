import { badRequest } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { OutboxQuery } from '#shared/shop/api.ts';
import { filterOutbox, ticketEmails } from '#shared/shop/email-outbox.ts';
import { listOutbox } from '#shared/tickets/email-store.ts';

/**
 * The email outbox, newest first: every kind, or one (`kind`), in one delivery state (`status`),
 * or one ticket's emails (`ticketId`, all at once: no cursor). A page filtered by state may hold
 * fewer rows than the page size; follow `cursor` while there is one.
 */
export const handler = withHttp('email-outbox', { query: OutboxQuery }, async ({ query }) => {
  if (query.ticketId) {
    if (query.cursor)
      throw badRequest({
        en: 'a ticket’s emails come in one answer: drop cursor when you pass ticketId',
        zh: '按工单查询的邮件一次全部返回：传 ticketId 时请不要传 cursor',
      });
    return ok({ items: filterOutbox(await ticketEmails(query.ticketId), query) });
  }
  const page = await listOutbox(query.kind, query.cursor);
  return ok({ ...page, items: filterOutbox(page.items, { status: query.status }) });
});
