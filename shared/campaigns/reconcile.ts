/**
 * The reconciler of campaign sends, run by the tick: compares what the fan-out intended (open batch
 * rows, `CAMPAIGN#{id}` / `BATCH#…`) with what is done (rows are closed once every member in them
 * has an outcome) and re-queues the batches whose messages are overdue — lost with the local
 * in-memory queue, or parked in the DLQ in AWS. Each re-queue doubles the batch's lease; a batch
 * still open after MAX_REDRIVES re-queues has its members recorded as `failed` (counted and shown
 * in the progress), so a campaign never shrinks silently and never stays `sending` forever.
 */
import { logger } from '#shared/log.ts';
import type { SendMessage } from './fanout.ts';
import { markFailed } from './send.ts';
import { BATCH_LEASE_MS, type Campaign, deferBatch, deleteBatch, dueBatches } from './store.ts';

/** Re-queues of one batch before its members are recorded as failed (leases of 15 min × 2ⁿ: ≈ 32 h in all). */
export const MAX_REDRIVES = 6;
/** Batches re-queued per campaign and tick (the rest wait for the next tick). */
const PER_TICK = 400;

export interface ReconcilePorts {
  now: () => Date;
  /** Queues send batches (SendMessageBatch). */
  enqueueSends: (messages: SendMessage[]) => Promise<unknown>;
}

/** The lease a batch gets when it is re-queued for the `redrive`th time. */
export function redriveLeaseMs(redrive: number): number {
  return BATCH_LEASE_MS * 2 ** Math.min(redrive, 10);
}

/** Re-queues a sending campaign's overdue batches, or fails the members of those re-queued too often. */
export async function reconcileBatches(c: Campaign, ports: ReconcilePorts): Promise<{ requeued: number; failed: number }> {
  const now = ports.now();
  const at = now.toISOString();
  const due = await dueBatches(c.campaignId, at, PER_TICK);
  const requeue: SendMessage[] = [];
  let failed = 0;
  for (const row of due) {
    if (row.redrives >= MAX_REDRIVES) {
      for (const contactId of row.contactIds) await markFailed(c, contactId, at);
      await deleteBatch(c.campaignId, row.batchId);
      failed += row.contactIds.length;
      logger.error('campaign batch never completed: its members are recorded as failed', {
        campaignId: c.campaignId,
        batch: row.batchId,
        members: row.contactIds.length,
        redrives: row.redrives,
      });
      continue;
    }
    const redrive = row.redrives + 1;
    if (await deferBatch(c.campaignId, row.batchId, new Date(now.getTime() + redriveLeaseMs(redrive)).toISOString(), redrive)) {
      requeue.push({ campaignId: c.campaignId, contactIds: row.contactIds, holds: 0, batch: row.batchId, redrive });
    }
  }
  if (requeue.length) {
    await ports.enqueueSends(requeue);
    logger.warn('campaign batches re-queued from their rows', { campaignId: c.campaignId, batches: requeue.length });
  }
  return { requeued: requeue.length, failed };
}
