import { withHttp, ok } from '#shared/http/with-http.ts';
import { PreviewBody } from '#shared/campaigns/model.ts';
import { previewSegment } from '#shared/campaigns/segments.ts';

export const handler = withHttp('segments-preview', { body: PreviewBody }, async ({ body, now }) => {
  return ok(await previewSegment(body.conditions, now));
});
