import * as z from 'zod/mini';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { conversationView, readsUnmaskedText } from '#shared/privacy/views.ts';
import { listInbox } from '#shared/store/conversations.ts';

const Query = z.strictObject({
  view: z._default(z.enum(['open', 'pending', 'resolved', 'mine', 'unassigned', 'bot']), 'open'),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
});

export const handler = withHttp('conversations-list', { query: Query }, async ({ query, caller }) => {
  const view = query.view;
  const page =
    view === 'mine'
      ? await listInbox({ assignee: caller.sub, status: 'open' }, query.cursor)
      : view === 'unassigned'
        ? await listInbox({ assignee: undefined, status: 'open' }, query.cursor)
        : await listInbox({ status: view }, query.cursor);
  const plain = readsUnmaskedText(caller.roles);
  return ok({ ...page, items: page.items.map((c) => conversationView(c, plain)) });
});
