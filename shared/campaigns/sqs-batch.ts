/**
 * Batched sends to a manifest queue (SendMessageBatch, 10 entries a call): the campaign fan-out and
 * the daily churn run queue work in pages, and one call per ten messages is what keeps their SQS
 * cost proportional to the audience rather than to the number of requests.
 */
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import type { QueueName } from '#infra/manifest.ts';
import { config, queueUrl } from '#shared/config.ts';
import type { QueueMessage } from '#shared/queue/messages.ts';

let sqs: SQSClient | undefined;

/** SQS's ceiling on DelaySeconds. */
export const SQS_MAX_DELAY_SECONDS = 900;

/** Longest single hop of a held campaign message (900 s, shorter when configured for tests). */
export function maxHoldSeconds(): number {
  const configured = Number(config().KEFU_CAMPAIGN_MAX_DELAY_SECONDS ?? SQS_MAX_DELAY_SECONDS);
  return Math.max(1, Math.min(SQS_MAX_DELAY_SECONDS, configured || SQS_MAX_DELAY_SECONDS));
}

/** Queues JSON messages in batches of ten; entries SQS refuses are retried, then reported by throwing. */
export async function enqueueBatch<Q extends QueueName>(queue: Q, bodies: readonly QueueMessage<Q>[], delaySeconds = 0): Promise<number> {
  sqs ??= new SQSClient({});
  const url = queueUrl(queue);
  let calls = 0;
  for (let i = 0; i < bodies.length; i += 10) {
    let entries: SendMessageBatchRequestEntry[] = bodies.slice(i, i + 10).map((body, n) => ({
      Id: String(n),
      MessageBody: JSON.stringify(body),
      ...(delaySeconds > 0 ? { DelaySeconds: Math.min(SQS_MAX_DELAY_SECONDS, Math.ceil(delaySeconds)) } : {}),
    }));
    for (let attempt = 0; entries.length > 0; attempt++) {
      if (attempt >= 5) throw new Error(`SendMessageBatch to ${queue}: ${entries.length} entries refused after 5 attempts`);
      calls++;
      const res = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
      const failed = new Set((res.Failed ?? []).map((f) => f.Id));
      entries = entries.filter((e) => failed.has(e.Id));
      if (entries.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
  return calls;
}
