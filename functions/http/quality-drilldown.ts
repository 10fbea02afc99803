import { ok, withHttp } from '#shared/http/with-http.ts';
import { DrilldownQuery } from '#shared/quality/api.ts';
import { readFacts } from '#shared/quality/store.ts';
import { decodeCursor, encodeCursor } from '#shared/store/conversations.ts';

/** The conversations (and surveys) behind one number on one day: one Query on that day's facts. */
export const handler = withHttp('quality-drilldown', { query: DrilldownQuery }, async ({ query }) => {
  const page = await readFacts(query.day, query.metric, 50, decodeCursor(query.cursor));
  return ok({ day: query.day, metric: query.metric, items: page.items, cursor: encodeCursor(page.next) });
});
