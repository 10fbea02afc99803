import { listSuppressions, SuppressionsQuery } from '#shared/channels/suppressions.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

/** The suppression list: newest first, or the addresses starting with `q` (in address order); follow `cursor`. */
export const handler = withHttp('email-suppressions-list', { query: SuppressionsQuery }, async ({ query }) =>
  ok(await listSuppressions({ prefix: query.q, cursor: query.cursor, limit: query.limit ? Number(query.limit) : undefined })),
);
