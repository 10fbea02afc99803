/**
 * The one call the chat service makes into tickets: a message landed in a thread that belongs to
 * a ticket, so its SLA clocks react (first/next response, reopen on a customer reply). Threads
 * without a ticket cost nothing: the ports are built only when needed.
 */
import type { Conversation, Message } from '#shared/store/conversations.ts';
import { ticketPorts } from './adapters.ts';
import type { TicketPorts } from './ports.ts';
import { recordThreadMessage } from './service.ts';

let ports: TicketPorts | undefined;

/** Lets the linked ticket react to a thread message (idempotent: safe on a resent message). */
export async function onThreadMessage(conversation: Pick<Conversation, 'ticketId'>, message: Message): Promise<void> {
  if (!conversation.ticketId || message.internal) return;
  ports ??= ticketPorts();
  await recordThreadMessage(ports, conversation, message);
}
