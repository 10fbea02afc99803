import type { ScheduledEvent } from 'aws-lambda';
import { closeQuietBotConversations } from '#shared/bot/outcomes.ts';
import { logger } from '#shared/log.ts';

/**
 * Daily housekeeping: bot conversations that went quiet get their final outcome
 * (resolved_by_bot / abandoned). Expired items (connections, rate windows, idempotency records)
 * are removed by DynamoDB TTL and ignored on read.
 */
export const handler = async (event: ScheduledEvent): Promise<{ botOutcomes: Record<string, number> }> => {
  const botOutcomes = await closeQuietBotConversations(new Date(event.time ?? Date.now()));
  logger.info('daily maintenance', { scheduledFor: event.time, botOutcomes });
  return { botOutcomes };
};
