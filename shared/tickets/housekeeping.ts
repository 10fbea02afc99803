/**
 * Hourly ticket housekeeping: closes tickets solved more than N days ago (the follow-up window),
 * and re-sends timers whose deadline passed without firing — a safety net for timers lost with a
 * local runtime's in-memory queue; SLA timers themselves fire from their own delayed messages.
 */
import { config } from '#shared/config.ts';
import { deadlinesOf } from '#shared/sla/clock.ts';
import type { TicketPorts } from './ports.ts';
import { closeSolved, timersFor } from './service.ts';
import { overdueClocks, solvedBefore } from './store.ts';

/** Default days a solved ticket waits for the customer before it closes. */
export const AUTOCLOSE_DAYS = 4;
/** A deadline this far in the past with no fire means its timer was lost. */
const LOST_AFTER_MS = 2 * 60_000;

/** Closes stale solved tickets and re-arms lost timers; returns the counts. */
export async function runHousekeeping(ports: TicketPorts): Promise<{ closed: number; rearmed: number }> {
  const now = ports.now();
  const days = Number(config().KEFU_TICKET_AUTOCLOSE_DAYS ?? AUTOCLOSE_DAYS);
  const candidates = await solvedBefore(new Date(now.getTime() - days * 86_400_000));
  const closed = await closeSolved(ports, candidates, days);
  const lost = await overdueClocks(new Date(now.getTime() - LOST_AFTER_MS));
  const timers = lost.flatMap((clock) => timersFor(ports, clock.ticketId, deadlinesOf(clock)));
  await ports.schedule(timers);
  return { closed, rearmed: timers.length };
}
