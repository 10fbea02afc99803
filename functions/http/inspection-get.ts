import { ok, withHttp } from '#shared/http/with-http.ts';
import { ConversationParams } from '#shared/quality/inspection-api.ts';
import { inspectionDetail } from '#shared/quality/inspection-service.ts';

/** A conversation's automatic inspection and review: its agent or a supervisor (others: not found). */
export const handler = withHttp('inspection-get', { params: ConversationParams }, async ({ params, caller }) =>
  ok(await inspectionDetail(caller, params.conversationId)),
);
