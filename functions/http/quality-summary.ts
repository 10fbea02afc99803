import { badRequest } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { PeriodQuery, periodDays } from '#shared/quality/api.ts';
import { readBacklog, readBotDays, readQualityDays } from '#shared/quality/store.ts';
import { METRIC_LABELS, type QualitySummaryResponse, summarize } from '#shared/quality/summary.ts';
import { shopTimeZone } from '#shared/quality/zone.ts';

/**
 * Quality figures of a scope over a period, with a per-day series for charts: one Query for the
 * scope's day items, one BatchGet per 100 days of bot counters and one GetItem for the backlog —
 * the same handful of calls for a day or a year. Days are the shop's calendar days (its time zone).
 */
export const handler = withHttp('quality-summary', { query: PeriodQuery }, async ({ query }) => {
  const days = periodDays(query.from, query.to);
  if (typeof days === 'string') throw badRequest(days);
  const withBot = query.scope === 'all';
  const withBacklog = query.scope === 'all' || query.scope.startsWith('channel#');
  const [quality, bot, backlog, timeZone] = await Promise.all([
    readQualityDays(query.scope, query.from, query.to),
    withBot ? readBotDays(query.from, query.to) : Promise.resolve({ days: [], reads: 0 }),
    withBacklog ? readBacklog(query.scope) : Promise.resolve(null),
    shopTimeZone(),
  ]);
  const { totals, series } = summarize(quality.days, bot.days);
  const body: QualitySummaryResponse = {
    scope: query.scope,
    from: query.from,
    to: query.to,
    days,
    timeZone,
    totals,
    backlog,
    series,
    labels: METRIC_LABELS,
    cost: { requests: quality.reads + bot.reads + (withBacklog ? 1 : 0), itemsRead: quality.days.length + bot.days.length + (withBacklog ? 1 : 0) },
  };
  return ok(body);
});
