/**
 * Outbound side of email tickets: an agent's public reply is queued in the email outbox with the
 * headers that keep the customer's mail client threading it, due for the email sender at once
 * (functions/schedule/email-sender.ts, SMTP or SES); the console lists the outbox (`GET /email/outbox`).
 */
import { mailDomain } from '#shared/channels/mail-config.ts';
import type { Message } from '#shared/store/conversations.ts';
import { replyHeaders, replySubject } from './email-headers.ts';
import { getMailThread, queueOutbound } from './email-store.ts';
import type { Ticket } from './model.ts';

/**
 * Queues an agent's public reply on an email ticket as an outbound email: To the requester,
 * `Re: {subject}`, In-Reply-To the customer's latest Message-ID, References the thread. Once per
 * thread message (the outbox id derives from it). Nothing is queued without a requester email.
 */
export async function emailReply(ticket: Ticket, message: Message, now: Date): Promise<boolean> {
  if (ticket.channel !== 'email' || message.internal || message.author.kind !== 'agent' || !ticket.requester.email) return false;
  const thread = await getMailThread(ticket.ticketId);
  const mailMessageId = `${message.messageId}.${ticket.ticketId}@${mailDomain()}`;
  return queueOutbound({
    outboxId: `tkr-${message.messageId}`,
    ticketId: ticket.ticketId,
    contactId: ticket.requester.contactId,
    to: ticket.requester.email,
    subject: replySubject(ticket.subject),
    text: message.text,
    headers: replyHeaders(mailMessageId, thread.refs, thread.lastInbound),
    mailMessageId,
    createdAt: now.toISOString(),
  });
}
