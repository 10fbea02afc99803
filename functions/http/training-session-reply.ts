import { ok, withHttp } from '#shared/http/with-http.ts';
import { PracticeReplyBody, SessionParams } from '#shared/quality/inspection-api.ts';
import { replySession } from '#shared/quality/training-service.ts';

/** The agent replies in their own practice; the last reply scores it with a debrief. */
export const handler = withHttp('training-session-reply', { body: PracticeReplyBody, params: SessionParams }, async ({ body, params, caller, now }) =>
  ok(await replySession(caller, params.sessionId, body, now)),
);
