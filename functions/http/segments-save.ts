import { SegmentBody, SegmentParams } from '#shared/campaigns/model.ts';
import { saveSegment } from '#shared/campaigns/segments.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

export const handler = withHttp('segments-save', { body: SegmentBody, params: SegmentParams }, async ({ body, params, caller, now }) => {
  const segment = await saveSegment(
    {
      segmentId: params.segmentId,
      name: body.name,
      ...(body.description ? { description: body.description } : {}),
      conditions: body.conditions,
      updatedAt: now.toISOString(),
      updatedBy: caller.sub,
    },
    body.version ?? 0,
  );
  return ok(segment);
});
