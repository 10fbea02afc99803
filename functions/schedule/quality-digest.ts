import type { ScheduledEvent } from 'aws-lambda';
import { logger } from '#shared/log.ts';
import { writeDailyDigest } from '#shared/quality/jobs.ts';

/** Shortly after midnight UTC: snapshots yesterday's backlog and writes yesterday's quality digest. */
export const handler = async (event: ScheduledEvent): Promise<{ day: string; headlines: number }> => {
  const now = new Date(event.time ?? Date.now());
  const day = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  const digest = await writeDailyDigest(day, now);
  logger.info('quality digest', { day, detractors: digest.detractors.length, slaBreaches: digest.slaBreaches.length });
  return { day, headlines: digest.headlines.length };
};
