/**
 * WeChat customer messages out: an agent's public reply on a `wechat` ticket is recorded once
 * (`WECOMOUT#wxr-{messageId}`) and sent with `kf/send_msg` (its msgid derived from the thread
 * message, so the platform refuses a duplicate too). Without a configured Secret the record says
 * `not_configured` and nothing leaves; a refusal (for example past the platform's 48-hour reply
 * window) is `failed` with the platform's errcode. The reply stays in the ticket's thread either way.
 */
import { config } from '#shared/config.ts';
import { logger } from '#shared/log.ts';
import type { Message } from '#shared/store/conversations.ts';
import type { Ticket } from '#shared/tickets/model.ts';
import { currentWecomApi, WecomApiError } from './wecom-api.ts';
import { addReply, finishReply } from './wecom-store.ts';
import { getCustomerOfTicket } from './wecom-tickets.ts';

/** Sends an agent's public reply on a WeChat ticket to the customer (once per thread message). */
export async function wechatReply(ticket: Ticket, message: Message, now: Date): Promise<void> {
  if (ticket.channel !== 'wechat' || message.internal || message.author.kind !== 'agent' || !message.text.trim()) return;
  const customer = await getCustomerOfTicket(ticket.ticketId);
  if (!customer) return;
  const replyId = `wxr-${message.messageId}`;
  const api = currentWecomApi(config());
  const fresh = await addReply({
    replyId,
    ticketId: ticket.ticketId,
    messageId: message.messageId,
    openKfId: customer.openKfId,
    externalUserId: customer.externalUserId,
    text: message.text,
    status: api ? 'pending' : 'not_configured',
    createdAt: now.toISOString(),
  });
  if (!fresh || !api) return;
  try {
    const sent = await api.sendText({
      touser: customer.externalUserId,
      open_kfid: customer.openKfId,
      msgid: message.messageId.replace(/[^0-9A-Za-z_-]/g, '').slice(0, 32),
      content: message.text.slice(0, 2048),
    });
    await finishReply(replyId, { status: 'sent', ...(sent.msgid ? { platformMsgId: sent.msgid } : {}), at: new Date().toISOString() });
  } catch (error) {
    const reason = error instanceof WecomApiError ? error.message : `wecom send_msg: ${(error as Error).name}`;
    logger.warn('wechat reply not sent', { ticketId: ticket.ticketId, errcode: error instanceof WecomApiError ? error.errcode : undefined });
    await finishReply(replyId, { status: 'failed', lastError: reason, at: new Date().toISOString() });
  }
}
