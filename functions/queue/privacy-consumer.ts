import { runTask } from '#shared/privacy/service.ts';
import { withSqs } from '#shared/queue/with-sqs.ts';

export const handler = withSqs('privacy-consumer', async (message) => runTask(message.taskId));
