/**
 * The one call the chat service makes into tickets: a message landed in a thread that belongs to
 * a ticket, so its SLA clocks react (first/next response, reopen on a customer reply). Threads
 * without a ticket cost nothing: the ports are built only when needed. An agent's public reply on an
 * email ticket is also queued as an outbound email (WeChat messages leave through the chat
 * announce hook, `wechatOutbound`, whether or not the thread has a ticket).
 */

import type { Conversation, Message } from '#shared/store/conversations.ts';
import { ticketPorts } from './adapters.ts';
import { emailReply } from './email-reply.ts';
import type { TicketPorts } from './ports.ts';
import { recordThreadMessage } from './service.ts';

let ports: TicketPorts | undefined;

/** Lets the linked ticket react to a thread message and emails agent replies on email tickets (idempotent). */
export async function onThreadMessage(conversation: Pick<Conversation, 'ticketId'>, message: Message): Promise<void> {
  if (!conversation.ticketId || message.internal) return;
  ports ??= ticketPorts();
  const state = await recordThreadMessage(ports, conversation, message);
  if (state?.ticket.channel === 'email') await emailReply(state.ticket, message, ports.now());
}
