import * as z from 'zod/mini';
import { withSqs } from '#shared/queue/with-sqs.ts';
import { pushToTopic } from '#shared/realtime.ts';

const Notification = z.strictObject({
  id: z.string(),
  topic: z.string(),
  payload: z.record(z.string(), z.unknown()),
});

export const handler = withSqs(
  { name: 'notify-consumer', schema: Notification, idempotencyKey: (n) => n.id, rememberSeconds: 3600 },
  async (notification) => {
    await pushToTopic(notification.topic, notification.payload);
  },
);
