import { badRequest } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { periodDays } from '#shared/quality/api.ts';
import { MAX_SAMPLE_DAYS, SampleQuery } from '#shared/quality/inspection-api.ts';
import type { InspectionSampleResponse } from '#shared/quality/inspection-service.ts';
import { readSampleDay } from '#shared/quality/inspection-store.ts';
import { daysBetween } from '#shared/quality/store.ts';
import { shopTimeZone } from '#shared/quality/zone.ts';

/** The review sample of a period: one Query per shop day (at most 31), newest day first. */
export const handler = withHttp('inspection-sample', { query: SampleQuery }, async ({ query }) => {
  const days = periodDays(query.from, query.to, MAX_SAMPLE_DAYS);
  if (typeof days === 'string') throw badRequest(days);
  const [timeZone, ...perDay] = await Promise.all([shopTimeZone(), ...daysBetween(query.from, query.to).map(readSampleDay)]);
  const items = perDay.flat().sort((a, b) => (a.day === b.day ? b.sampledAt.localeCompare(a.sampledAt) : b.day.localeCompare(a.day)));
  const body: InspectionSampleResponse = { from: query.from, to: query.to, timeZone, items };
  return ok(body);
});
