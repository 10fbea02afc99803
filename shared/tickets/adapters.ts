/**
 * The real ports of the ticket domain: the DynamoDB store, the SQS timer queue (chained delays),
 * staff pushes over WebSocket, presence, the classifier and the clock. The clock honours
 * KEFU_CLOCK_OFFSET_MS on the local stage only, so integration tests can stand hours ahead while
 * timers still travel through real SQS delays.
 */

import { announce } from '#shared/chat/announce.ts';
import { config } from '#shared/config.ts';
import { newId } from '#shared/ids.ts';
import { perAudience, ticketForStaff } from '#shared/privacy/views.ts';
import { qualityOnStatus, recordSlaBreach, recordSlaMet, surveyOnTicketSolved } from '#shared/quality/hooks.ts';
import { enqueue } from '#shared/queue/send.ts';
import { perReader, pushToTopic, rolesOf, STAFF_TOPIC } from '#shared/realtime.ts';
import { updateConversation } from '#shared/store/conversations.ts';
import { presenceBySub } from '#shared/store/presence.ts';
import { maskText } from '#shared/text/masking.ts';
import { guessTicket } from './classify.ts';
import type { TicketPorts, TimerMessage } from './ports.ts';
import { dynamoTicketStore } from './store.ts';

/** SQS's ceiling on DelaySeconds. */
export const SQS_MAX_DELAY_SECONDS = 900;

/** The time the ticket domain runs on: real time, shifted by the local-only test offset. */
export function appNow(): Date {
  const cfg = config();
  const offset = cfg.KEFU_STAGE === 'local' && cfg.KEFU_CLOCK_OFFSET_MS ? Number(cfg.KEFU_CLOCK_OFFSET_MS) : 0;
  return new Date(Date.now() + offset);
}

/** Longest single hop of a timer chain (900 s, shorter when configured for tests). */
export function maxTimerDelaySeconds(): number {
  const configured = Number(config().KEFU_SLA_MAX_DELAY_SECONDS ?? SQS_MAX_DELAY_SECONDS);
  return Math.max(1, Math.min(SQS_MAX_DELAY_SECONDS, configured || SQS_MAX_DELAY_SECONDS));
}

/**
 * Seconds to delay a timer hop: the whole seconds left until due (rounded down: the last delivery
 * lands within a second before the deadline and waits the rest), at most one maximal hop.
 */
export function hopDelaySeconds(dueAt: string, now: Date): number {
  const left = Math.floor((Date.parse(dueAt) - now.getTime()) / 1000);
  return Math.max(0, Math.min(maxTimerDelaySeconds(), left));
}

/** Sends timer hops to the `sla-timers` queue, each delayed until due or one maximal hop. */
export async function sendTimers(timers: TimerMessage[], now = appNow()): Promise<void> {
  await Promise.all(timers.map((t) => enqueue('sla-timers', t, hopDelaySeconds(t.dueAt, now))));
}

/** The production ports. */
export function ticketPorts(): TicketPorts {
  return {
    store: dynamoTicketStore(),
    now: appNow,
    ids: (prefix) => newId(prefix),
    schedule: (timers) => sendTimers(timers),
    notify: async (frame) => {
      // Each console gets the frame masked as `GET /tickets/{ticketId}` masks it for that caller.
      const view = perAudience((plain) =>
        frame.type === 'ticket' ? { ...frame, ticket: ticketForStaff(frame.ticket, plain) } : plain ? frame : { ...frame, subject: maskText(frame.subject) },
      );
      await pushToTopic(
        STAFF_TOPIC,
        perReader(frame.type, (owner) => view(rolesOf(owner))),
      );
    },
    online: async () => {
      const presence = await presenceBySub(new Date());
      return new Set([...presence].filter(([, status]) => status === 'online').map(([sub]) => sub));
    },
    classify: guessTicket,
    thread: async (conversationId, change) => {
      const conversation = await updateConversation(conversationId, (c) => ({
        ...('assignee' in change ? { assignee: change.assignee ?? undefined } : {}),
        ...(change.status && change.status !== c.status ? { status: change.status } : {}),
      }));
      if (!conversation) return;
      await announce(conversation);
      // The ticket's own solve requests the survey (ticket_solved): the thread's resolution does not ask twice.
      if (change.status) await qualityOnStatus(conversation, new Date(), change.by, false);
    },
    events: async (event) => {
      if (event.type === 'solved') await surveyOnTicketSolved(event.ticket);
      else {
        const t = event.ticket;
        const outcome = {
          ticketId: t.ticketId,
          metric: event.metric,
          at: event.at,
          priority: t.priority,
          ...(t.team ? { team: t.team } : {}),
          ...(t.assignee ? { assignee: t.assignee.sub } : {}),
        };
        await (event.type === 'sla_met' ? recordSlaMet(outcome) : recordSlaBreach(outcome));
      }
    },
  };
}
