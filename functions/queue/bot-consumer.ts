import * as z from 'zod/mini';
import { withSqs } from '#shared/queue/with-sqs.ts';
import { runBotTurn } from '#shared/bot/service.ts';
import { logger } from '#shared/log.ts';

const BotJob = z.strictObject({ conversationId: z.string(), messageId: z.string() });

export const handler = withSqs(
  { name: 'bot-consumer', schema: BotJob, idempotencyKey: (job) => job.messageId, rememberSeconds: 24 * 3600 },
  async (job) => {
    const outcome = await runBotTurn(job.conversationId, job.messageId);
    logger.info('bot turn', { conversationId: job.conversationId, outcome });
  },
);
