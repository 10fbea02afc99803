import * as z from 'zod/mini';
import { getSegment, listSegments } from '#shared/campaigns/segments.ts';
import { notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

const Params = z.strictObject({ segmentId: z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/))) });
type Params = z.infer<typeof Params>;

export const handler = withHttp('segments-list', { params: Params }, async ({ params }) => {
  if (!params.segmentId) return ok({ items: await listSegments() });
  const segment = await getSegment(params.segmentId);
  if (!segment) throw notFound('segment');
  return ok(segment);
});
