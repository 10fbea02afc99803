/**
 * SLA timers as chained SQS delays: a timer message rides the `sla-timers` queue with
 * DelaySeconds = min(900, time left); each delivery before the deadline re-enqueues the next hop,
 * the delivery at or after it fires. No sweep and no extra infrastructure: the same chain runs on
 * AWS SQS and on the local queue. A hop whose clock moved on (timer version changed, already
 * fired) ends its chain.
 */
import { timerIsLive } from '#shared/sla/clock.ts';
import type { TicketPorts, TimerMessage } from './ports.ts';
import { fireTimer, type TimerOutcome } from './service.ts';

/**
 * SQS delays are whole seconds, so hops are delayed by the whole seconds left (rounded down) and
 * the last delivery arrives up to a second early: it waits that remainder out in the handler.
 */
export const LAST_WAIT_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Handles one delivery: more than a second before the deadline it checks the clock still wants
 * this timer and sends the next hop; within the last second it waits, then fires (exactly once,
 * see fireTimer).
 */
export async function handleTimer(ports: TicketPorts, timer: TimerMessage, sendHop: (next: TimerMessage) => Promise<void>): Promise<TimerOutcome | 'requeued'> {
  const left = Date.parse(timer.dueAt) - ports.now().getTime();
  if (left > 0 && left <= LAST_WAIT_MS) await sleep(left);
  else if (left > 0) {
    const state = await ports.store.get(timer.ticketId);
    const clock = state?.clocks.find((c) => c.metric === timer.metric);
    if (!timerIsLive(clock, timer.kind, timer.timerVersion)) return 'stale';
    await sendHop({ ...timer, hop: timer.hop + 1 });
    return 'requeued';
  }
  const outcome = await fireTimer(ports, timer);
  if (outcome !== 'early') return outcome;
  await sendHop({ ...timer, hop: timer.hop + 1 });
  return 'requeued';
}
