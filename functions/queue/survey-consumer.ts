import * as z from 'zod/mini';
import { withSqs } from '#shared/queue/with-sqs.ts';
import { feedbackPorts } from '#shared/feedback/adapters.ts';
import { deliverSurvey } from '#shared/feedback/service.ts';
import { logger } from '#shared/log.ts';

const Request = z.strictObject({
  surveyId: z.string().check(z.regex(/^svy_[0-9a-z]{26}$/)),
  requestId: z.string().check(z.maxLength(64)),
  trigger: z.enum(['conversation_resolved', 'ticket_solved', 'bot_resolved', 'manual']),
  definitionId: z.string().check(z.maxLength(40)),
  contactId: z.string().check(z.maxLength(64)),
  conversationId: z.optional(z.string().check(z.maxLength(64))),
  ticketId: z.optional(z.string().check(z.maxLength(64))),
  agent: z.optional(z.string().check(z.maxLength(128))),
  channel: z.optional(z.string().check(z.maxLength(32))),
  category: z.optional(z.string().check(z.maxLength(64))),
});

/**
 * Delivers delayed survey requests. Powertools idempotency covers redelivery of one message; a
 * second trigger for the same conversation carries another request id and is stopped by the
 * conditional put on the survey id.
 */
export const handler = withSqs(
  { name: 'survey-consumer', schema: Request, idempotencyKey: (r) => `${r.surveyId}#${r.requestId}` },
  async (request) => {
    const outcome = await deliverSurvey(feedbackPorts(), request);
    logger.info('survey delivery', { surveyId: request.surveyId, trigger: request.trigger, outcome: outcome.status, ...(outcome.status === 'suppressed' ? { reason: outcome.reason } : {}) });
  },
);
