import { notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { DIGEST_LOOKBACK_DAYS, DigestQuery } from '#shared/quality/api.ts';
import { latestDigest, readDigest } from '#shared/quality/jobs.ts';
import { dayOf } from '#shared/quality/metrics.ts';
import { shopTimeZone } from '#shared/quality/zone.ts';

/**
 * A stored daily digest (written by the quality-daily-digest schedule): the given day's, else the
 * latest of the last DIGEST_LOOKBACK_DAYS shop days (today included). Days are the shop's calendar days.
 */
export const handler = withHttp('quality-digest', { query: DigestQuery }, async ({ query, now }) => {
  const timeZone = await shopTimeZone();
  const digest = query.day ? await readDigest(query.day) : await latestDigest(dayOf(now.toISOString(), timeZone), DIGEST_LOOKBACK_DAYS);
  if (!digest) throw notFound('digest');
  return ok({ digest, timeZone });
});
