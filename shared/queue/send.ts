import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { QueueName } from '#infra/manifest.ts';
import { queueUrl } from '#shared/config.ts';
import type { QueueMessage } from '#shared/queue/messages.ts';

let sqs: SQSClient | undefined;

/** Queues a JSON message on a manifest queue (the function must list it in `access.send`); its type is the consumer's. */
export async function enqueue<Q extends QueueName>(queue: Q, body: QueueMessage<Q>, delaySeconds?: number): Promise<void> {
  sqs ??= new SQSClient({});
  await sqs.send(
    new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: JSON.stringify(body), ...(delaySeconds ? { DelaySeconds: delaySeconds } : {}) }),
  );
}
