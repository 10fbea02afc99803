import { withSqs } from '#shared/queue/with-sqs.ts';
import { PrivacyMessage, runTask } from '#shared/privacy/service.ts';

export const handler = withSqs<PrivacyMessage>(
  { name: 'privacy-consumer', schema: PrivacyMessage, idempotencyKey: (m) => `${m.taskId}#${m.attempt}`, rememberSeconds: 2 * 24 * 3600 },
  async (message) => runTask(message.taskId),
);
