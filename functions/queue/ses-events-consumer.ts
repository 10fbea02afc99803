import { readSesNotification } from '#shared/api/ses-events.ts';
import { suppressAddress } from '#shared/channels/suppressions.ts';
import { logger } from '#shared/log.ts';
import { withSqs } from '#shared/queue/with-sqs.ts';

/**
 * SES bounce and complaint events (configuration set → SNS → `ses-events`): a permanent bounce or a
 * complaint puts each recipient on the suppression list, with the feedback id as its source (a
 * feedback id seen before changes nothing, even after an admin lifted the suppression); a transient
 * bounce is only logged. Logs carry counts and ids, never addresses.
 */
export const handler = withSqs('ses-events-consumer', async (message) => {
  const feedback = readSesNotification(message);
  if (feedback.kind === 'ignored') {
    logger.info('ses event ignored', { eventType: feedback.eventType, snsMessageId: message.MessageId });
    return;
  }
  if (feedback.kind === 'transient') {
    logger.info('ses transient bounce: the address stays on', {
      feedbackId: feedback.feedbackId,
      bounceType: feedback.bounceType,
      recipients: feedback.recipients,
    });
    return;
  }
  const outcomes = await Promise.all(
    feedback.addresses.map((address) => suppressAddress({ address, reason: feedback.reason, at: feedback.at, source: feedback.feedbackId })),
  );
  logger.info('ses feedback: addresses suppressed', {
    reason: feedback.reason,
    detail: feedback.detail,
    feedbackId: feedback.feedbackId,
    suppressed: outcomes.filter((o) => o === 'suppressed').length,
    already: outcomes.filter((o) => o === 'already').length,
    duplicate: outcomes.filter((o) => o === 'duplicate').length,
  });
});
