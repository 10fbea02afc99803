import type { ScheduledEvent } from 'aws-lambda';
import { logger } from '#shared/log.ts';
import { runDailyDigest } from '#shared/quality/jobs.ts';

/**
 * Hourly: once the shop's day is over in its time zone, snapshots that day's backlog and writes its
 * quality digest (a later run finds it written and does nothing).
 */
export const handler = async (event: ScheduledEvent): Promise<{ day: string; written: boolean }> => {
  const now = new Date(event.time ?? Date.now());
  const { day, digest } = await runDailyDigest(now);
  if (digest) logger.info('quality digest', { day, detractors: digest.detractors.length, slaBreaches: digest.slaBreaches.length });
  return { day, written: digest !== undefined };
};
