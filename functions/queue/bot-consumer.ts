import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context, SQSEvent } from 'aws-lambda';
import { runBotTurn } from '#shared/bot/service.ts';
import { logger } from '#shared/log.ts';
import { withSqs } from '#shared/queue/with-sqs.ts';

/** The invocation's Lambda context, for the records of its batch (its remaining time bounds the LLM). */
const invocation = new AsyncLocalStorage<Context>();

const consume = withSqs('bot-consumer', async (job) => {
  const context = invocation.getStore();
  const timeLeftMs = context ? () => context.getRemainingTimeInMillis() : undefined;
  const outcome = await runBotTurn(job.conversationId, job.messageId, new Date(), timeLeftMs);
  logger.info('bot turn', { conversationId: job.conversationId, outcome });
});

/** Runs the batch inside the invocation's context, so each turn knows the time the function has left. */
export const handler = (event: SQSEvent, context: Context) => invocation.run(context, () => consume(event, context));
