/**
 * The survey sweep, run every minute: delivers survey requests past due whose delayed SQS message
 * never arrived — lost with the local in-memory queue, or parked in the DLQ in AWS. The request
 * rows (written at the trigger, shared/feedback/trigger.ts) are read from gsi2 `SURVEYDUE#{shard}`
 * up to `now − grace`, so the queue's own delivery normally wins and the sweep finds nothing.
 * Delivery is the consumer's own `deliverSurvey` (exactly once by the conditional survey put), and
 * the row is cleared after it. A request that keeps failing is retried with growing gaps and then
 * kept out of the sweep with `failed: true` and an error log, never dropped silently.
 */
import { logger } from '#shared/log.ts';
import type { FeedbackPorts } from './ports.ts';
import { deliverSurvey } from './service.ts';
import { REQUEST_SHARDS } from './store.ts';

/** A request is swept this long after its due time (the queue delivers at the due time itself). */
export const SWEEP_GRACE_MS = 2 * 60_000;
/** Sweep deliveries of one request before it is set aside as failed. */
export const MAX_SWEEP_ATTEMPTS = 6;
/** Requests read per shard and run. */
const PER_SHARD = 100;

export interface SweepResult {
  delivered: number;
  duplicate: number;
  suppressed: number;
  retried: number;
  failed: number;
}

/** Delivers the pending survey requests that are past due (plus grace). */
export async function sweepSurveys(ports: FeedbackPorts, timeLeftMs: () => number = () => Infinity): Promise<SweepResult> {
  const now = ports.now();
  const until = new Date(now.getTime() - SWEEP_GRACE_MS).toISOString();
  const result: SweepResult = { delivered: 0, duplicate: 0, suppressed: 0, retried: 0, failed: 0 };
  for (let shard = 0; shard < REQUEST_SHARDS; shard++) {
    for (const pending of await ports.store.dueRequests(shard, until, PER_SHARD)) {
      if (timeLeftMs() < 5_000) return result;
      const { surveyId } = pending.request;
      try {
        const outcome = await deliverSurvey(ports, pending.request);
        await ports.store.clearRequest(surveyId);
        if (outcome.status === 'sent') result.delivered++;
        else if (outcome.status === 'suppressed') result.suppressed++;
        else result.duplicate++;
      } catch (error) {
        const attempts = pending.attempts + 1;
        const retry = attempts < MAX_SWEEP_ATTEMPTS;
        await ports.store.retryRequest(surveyId, attempts, retry ? new Date(now.getTime() + 60_000 * 2 ** attempts).toISOString() : undefined);
        if (retry) result.retried++;
        else result.failed++;
        logger[retry ? 'warn' : 'error'](retry ? 'survey sweep delivery failed; retried later' : 'survey request set aside after repeated failures', {
          surveyId,
          attempts,
          errorName: (error as Error).name,
        });
      }
    }
  }
  return result;
}
