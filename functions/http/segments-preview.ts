import { PreviewBody } from '#shared/campaigns/model.ts';
import { previewSegment } from '#shared/campaigns/segments.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

export const handler = withHttp('segments-preview', { body: PreviewBody }, async ({ body, now }) => {
  return ok(await previewSegment(body.conditions, now, undefined, body.channels));
});
