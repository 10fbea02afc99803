import * as z from 'zod/mini';
import { listFollowUps } from '#shared/feedback/store.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { decodeCursor, encodeCursor } from '#shared/store/conversations.ts';

const Query = z.strictObject({
  status: z._default(z.enum(['open', 'closed']), 'open'),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
});

/** The team leads' follow-up queue: detractor responses to call back, oldest first. */
export const handler = withHttp('survey-follow-ups', { query: Query }, async ({ query }) => {
  const page = await listFollowUps(query.status, 50, decodeCursor(query.cursor));
  return ok({ items: page.items, cursor: encodeCursor(page.next) });
});
