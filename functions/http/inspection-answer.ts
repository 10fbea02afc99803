import { ok, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';
import { AnswerBody, ConversationParams } from '#shared/quality/inspection-api.ts';
import { answerReview } from '#shared/quality/inspection-service.ts';

/** The reviewed agent acknowledges or appeals the review of their conversation. */
export const handler = withHttp('inspection-answer', { body: AnswerBody, params: ConversationParams }, async ({ body, params, caller, now }) => {
  const entry = await answerReview(caller, params.conversationId, body, now);
  logger.info('inspection answer', { conversationId: params.conversationId, kind: body.kind, actor: caller.sub });
  return ok({ entry });
});
