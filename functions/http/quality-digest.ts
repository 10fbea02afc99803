import { notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { DigestQuery } from '#shared/quality/api.ts';
import { readDigest } from '#shared/quality/jobs.ts';

/** The stored daily digest of one day (written by the quality-daily-digest schedule). */
export const handler = withHttp('quality-digest', { query: DigestQuery }, async ({ query }) => {
  const digest = await readDigest(query.day);
  if (!digest) throw notFound('digest');
  return ok({ digest });
});
