import { marketingNow } from '#shared/campaigns/clock.ts';
import { rescoreContact } from '#shared/churn/store.ts';
import { logger } from '#shared/log.ts';
import { withSqs } from '#shared/queue/with-sqs.ts';

export const handler = withSqs('churn-rescore-consumer', async (message) => {
  const now = marketingNow();
  const outcomes: Record<string, number> = {};
  for (let i = 0; i < message.contactIds.length; i += 5) {
    const results = await Promise.all(message.contactIds.slice(i, i + 5).map((id) => rescoreContact(id, now)));
    for (const r of results) outcomes[r.status] = (outcomes[r.status] ?? 0) + 1;
  }
  logger.info('churn rescore batch', { day: message.day, size: message.contactIds.length, ...outcomes });
});
