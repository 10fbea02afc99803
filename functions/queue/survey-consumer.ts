import { feedbackPorts } from '#shared/feedback/adapters.ts';
import { deliverSurvey } from '#shared/feedback/service.ts';
import { logger } from '#shared/log.ts';
import { withSqs } from '#shared/queue/with-sqs.ts';

/**
 * Delivers delayed survey requests, then clears the request's pending row (the sweep's backstop,
 * shared/feedback/sweep.ts). Powertools idempotency covers redelivery of one message; a second
 * trigger for the same conversation carries another request id and is stopped by the conditional
 * put on the survey id.
 */
export const handler = withSqs('survey-consumer', async (request) => {
  const ports = feedbackPorts();
  const outcome = await deliverSurvey(ports, request);
  await ports.store.clearRequest(request.surveyId);
  logger.info('survey delivery', {
    surveyId: request.surveyId,
    trigger: request.trigger,
    outcome: outcome.status,
    ...(outcome.status === 'suppressed' ? { reason: outcome.reason } : {}),
  });
});
