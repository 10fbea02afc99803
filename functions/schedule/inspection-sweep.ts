import type { ScheduledEvent } from 'aws-lambda';
import { logger } from '#shared/log.ts';
import { runInspectionSweep } from '#shared/quality/inspection-jobs.ts';

/**
 * Every minute: inspects the conversations replies and closes marked since the last run (off the
 * reply path) and adds low-CSAT and SLA-breach conversations to the review sample.
 */
export const handler = async (event: ScheduledEvent): Promise<{ inspected: number; sampledFromFacts: number }> => {
  const result = await runInspectionSweep(new Date(event.time ?? Date.now()));
  if (result.inspected || result.sampledFromFacts) logger.info('inspection sweep', result);
  return result;
};
