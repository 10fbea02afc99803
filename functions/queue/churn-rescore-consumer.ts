import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { withSqs } from '#shared/queue/with-sqs.ts';
import { marketingNow } from '#shared/campaigns/clock.ts';
import { rescoreContact } from '#shared/churn/store.ts';
import { logger } from '#shared/log.ts';

const Message = z.strictObject({
  day: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  contactIds: z.array(z.string().check(z.minLength(1), z.maxLength(128))).check(z.minLength(1), z.maxLength(100)),
});
type Message = z.infer<typeof Message>;

export const handler = withSqs<Message>(
  {
    name: 'churn-rescore-consumer',
    schema: Message,
    idempotencyKey: (m) => `${m.day}#${createHash('sha1').update(m.contactIds.join(',')).digest('hex')}`,
    rememberSeconds: 2 * 24 * 3600,
  },
  async (message) => {
    const now = marketingNow();
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < message.contactIds.length; i += 5) {
      const results = await Promise.all(message.contactIds.slice(i, i + 5).map((id) => rescoreContact(id, now)));
      for (const r of results) outcomes[r.status] = (outcomes[r.status] ?? 0) + 1;
    }
    logger.info('churn rescore batch', { day: message.day, size: message.contactIds.length, ...outcomes });
  },
);
