import { ok, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';
import { ConversationParams, ReviewBody } from '#shared/quality/inspection-api.ts';
import { reviewConversation } from '#shared/quality/inspection-service.ts';

/** A supervisor scores a sampled conversation with the agent's team scorecard. */
export const handler = withHttp('inspection-review', { body: ReviewBody, params: ConversationParams }, async ({ body, params, caller, now }) => {
  const entry = await reviewConversation(caller, params.conversationId, body, now);
  logger.info('inspection review', { conversationId: params.conversationId, total: entry.review?.total, actor: caller.sub });
  return ok({ entry });
});
