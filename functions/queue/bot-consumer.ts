import { withSqs } from '#shared/queue/with-sqs.ts';
import { runBotTurn } from '#shared/bot/service.ts';
import { logger } from '#shared/log.ts';

export const handler = withSqs('bot-consumer', async (job) => {
  const outcome = await runBotTurn(job.conversationId, job.messageId);
  logger.info('bot turn', { conversationId: job.conversationId, outcome });
});
