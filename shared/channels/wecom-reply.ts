/**
 * WeChat customer messages out. Every public bot or agent message of a `wechat` conversation is
 * sent to the customer with `kf/send_msg` from one place, the chat announce hook
 * (`wechatOutbound`), recorded once per message (`WECOMOUT#wx-{messageId}`; the platform msgid is
 * derived from the message id too, so the platform refuses a repeat as well). The platform's
 * 48-hour window is checked first: an agent's reply after it is refused before it is written
 * (`assertWechatReply`, a 409 the console shows), and anything else past it (an automated message)
 * is recorded `outside_window` and not sent. Without a Secret the record says `not_configured`.
 */
import { config } from '#shared/config.ts';
import { HttpError } from '#shared/http/errors.ts';
import { logger } from '#shared/log.ts';
import type { Conversation, Message } from '#shared/store/conversations.ts';
import { currentWecomApi, type WecomApi, WecomApiError } from './wecom-api.ts';
import { ATTACHMENTS_REFUSED, replyWindow, sendMsgId, sendParts, wechatText, windowClosedText } from './wecom-rules.ts';
import { addReply, finishReply, getConversationLink } from './wecom-store.ts';

/**
 * Refuses, before anything is written, an agent's reply a WeChat customer cannot receive: past the
 * 48-hour window after their last message, or with attachments. Other channels and internal notes pass.
 */
export async function assertWechatReply(
  conversation: Pick<Conversation, 'conversationId' | 'channel'>,
  input: { internal?: boolean; attachments?: readonly unknown[] },
  now: Date,
): Promise<void> {
  if (conversation.channel !== 'wechat' || input.internal) return;
  if (input.attachments?.length) throw new HttpError(409, 'wechat_attachment', ATTACHMENTS_REFUSED);
  const link = await getConversationLink(conversation.conversationId);
  const window = replyWindow(link?.lastInboundAt, now);
  if (!window.open) throw new HttpError(409, 'wechat_window_closed', windowClosedText(window.lastInboundAt));
}

/** Sends a public bot or agent message of a WeChat conversation to the customer, once (never throws: the message is already in the thread). */
export async function wechatOutbound(conversation: Pick<Conversation, 'conversationId' | 'channel'>, message: Message, now = new Date()): Promise<void> {
  if (conversation.channel !== 'wechat' || message.internal || (message.author.kind !== 'agent' && message.author.kind !== 'bot')) return;
  if (!message.text.trim()) return;
  try {
    await send(conversation.conversationId, message, now, currentWecomApi(config()));
  } catch (error) {
    logger.error('wechat message not sent', { conversationId: conversation.conversationId, messageId: message.messageId, error: (error as Error).message });
  }
}

async function send(conversationId: string, message: Message, now: Date, api: WecomApi | undefined): Promise<void> {
  const link = await getConversationLink(conversationId);
  if (!link) {
    logger.warn('wechat conversation without its customer: message not sent', { conversationId });
    return;
  }
  const open = replyWindow(link.lastInboundAt, now).open;
  const replyId = `wx-${message.messageId}`;
  const fresh = await addReply({
    replyId,
    conversationId,
    messageId: message.messageId,
    openKfId: link.openKfId,
    externalUserId: link.externalUserId,
    status: !open ? 'outside_window' : api ? 'pending' : 'not_configured',
    createdAt: now.toISOString(),
  });
  if (!fresh || !open || !api) return;
  const platformMsgIds: string[] = [];
  try {
    const parts = sendParts(wechatText(message.text));
    for (const [index, content] of parts.entries()) {
      const sent = await api.sendText({ touser: link.externalUserId, open_kfid: link.openKfId, msgid: sendMsgId(message.messageId, index), content });
      if (sent.msgid) platformMsgIds.push(sent.msgid);
    }
    await finishReply(replyId, { status: 'sent', platformMsgIds, at: new Date().toISOString() });
  } catch (error) {
    const reason = error instanceof WecomApiError ? error.message : `wecom send_msg: ${(error as Error).name}`;
    logger.warn('wechat reply not sent', { conversationId, errcode: error instanceof WecomApiError ? error.errcode : undefined });
    await finishReply(replyId, { status: 'failed', platformMsgIds, lastError: reason, at: new Date().toISOString() });
  }
}
