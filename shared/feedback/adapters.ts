/**
 * The feedback ports as the functions run them: DynamoDB, the survey clock, WebSocket pushes to the
 * contact's widget, the members points ledger, the `surveys` queue and the tickets module.
 */
import { changePoints } from '#shared/members/points.ts';
import { enqueue } from '#shared/queue/send.ts';
import { contactTopic, pushToTopic } from '#shared/realtime.ts';
import { feedbackNow } from './clock.ts';
import { openFollowUpTicket } from './follow-up-ticket.ts';
import type { FeedbackPorts } from './ports.ts';
import { dynamoFeedbackStore } from './store.ts';

/** Ports for Lambda handlers (created per call; everything inside is module-cached). */
export function feedbackPorts(): FeedbackPorts {
  return {
    store: dynamoFeedbackStore,
    now: feedbackNow,
    push: async (contactId, frame) => {
      await pushToTopic(contactTopic(contactId), frame);
    },
    earn: async (req) => {
      const outcome = await changePoints({
        contactId: req.contactId,
        kind: 'earn',
        points: req.points,
        sourceId: req.sourceId,
        at: req.at,
        reason: req.reason,
      });
      if (outcome.status === 'applied' || outcome.status === 'duplicate' || outcome.status === 'no_member') return outcome.status;
      return 'refused';
    },
    enqueue: (request, delaySeconds) => enqueue('surveys', request, delaySeconds),
    followUpTicket: openFollowUpTicket,
  };
}
