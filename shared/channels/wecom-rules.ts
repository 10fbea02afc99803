/**
 * The rules of WeChat customer service (微信客服) conversations, pure so they are tested without a
 * table: which conversation a customer's message goes to, which contact a WeChat identity stands
 * for after merges and erasures, the thread text of a platform message, and the platform's 48-hour
 * reply window (a business may write to a customer only within 48 hours of the customer's last
 * message).
 */
import type { KfMessage } from './wecom-api.ts';

/** The platform's reply window after a customer's message. */
export const REPLY_WINDOW_MS = 48 * 3600 * 1000;

/** The longest text one `send_msg` carries (the platform counts UTF-8 bytes). */
export const SEND_MAX_BYTES = 2048;
/** A reply longer than this many messages is cut (the platform also caps messages per customer message). */
export const SEND_MAX_PARTS = 3;

/** The name a WeChat customer gets until someone renames the contact (the last 6 of external_userid). */
export function customerName(externalUserId: string): string {
  return `微信客户 ${externalUserId.slice(-6)}`;
}

const KIND: Record<string, [string, string]> = {
  image: ['图片', 'image'],
  voice: ['语音', 'voice message'],
  video: ['视频', 'video'],
  file: ['文件', 'file'],
  location: ['位置', 'location'],
  link: ['链接', 'link'],
  business_card: ['名片', 'contact card'],
  miniprogram: ['小程序', 'mini program'],
  msgmenu: ['菜单', 'menu'],
  channels: ['视频号', 'Channels post'],
};

/** The thread text of a platform message: the text itself, or a bilingual note of what it was. */
export function messageText(msg: KfMessage): string {
  const text = msg.msgtype === 'text' ? (msg.text?.content ?? '').trim() : '';
  if (text) return text.slice(0, 4000);
  const [zh, en] = KIND[msg.msgtype] ?? ['消息', `${msg.msgtype} message`];
  return `[微信${zh}，未导入 / WeChat ${en}, not imported]`;
}

/** A customer's message Kefu takes in: from the customer (origin 3), with a msgid and their external_userid. */
export function isCustomerMessage(msg: KfMessage): msg is KfMessage & { external_userid: string } {
  return msg.origin === 3 && !!msg.msgid && !!msg.external_userid;
}

/** When the customer wrote (the platform's send_time), or `fallback` when it is missing or not plausible. */
export function sentAt(msg: KfMessage, fallback: Date): Date {
  const ms = Number(msg.send_time) * 1000;
  return Number.isFinite(ms) && ms > 0 && ms <= fallback.getTime() + 5 * 60_000 ? new Date(ms) : fallback;
}

/** What a contact id stands for now: `mergedInto` another, erased, or gone (undefined); its name. */
export interface ContactState {
  mergedInto?: string;
  erased?: boolean;
  name?: string;
}

/** Merges followed at most (a longer chain is a data error, not a customer). */
const MAX_MERGE_HOPS = 5;

/**
 * The contact a WeChat identity stands for, through the same merge rule as every identity: a
 * contact merged into another redirects to it (chains followed); an erased or missing contact
 * leaves the identity without one (undefined: a new contact is made for the message).
 */
export async function currentContact(
  contactId: string,
  lookup: (id: string) => Promise<ContactState | undefined>,
): Promise<{ contactId: string; name?: string } | undefined> {
  let id = contactId;
  for (let hop = 0; hop <= MAX_MERGE_HOPS; hop++) {
    const state = await lookup(id);
    if (!state || state.erased) return undefined;
    if (!state.mergedInto) return { contactId: id, ...(state.name ? { name: state.name } : {}) };
    id = state.mergedInto;
  }
  return undefined;
}

/** Where a new customer message goes: on the customer's current conversation, or a new one. */
export type Route = { role: 'reply'; conversationId: string } | { role: 'opened'; conversationId: string };

/**
 * A customer's message continues their current conversation while it is not resolved and still
 * theirs (a merge moves conversations with the contact); otherwise it opens a new one — the bot
 * greets a returning customer as the widget does a new chat.
 */
export function routeMessage(
  current: { conversationId: string; status: string; contactId: string } | undefined,
  contactId: string,
  newConversationId: () => string,
): Route {
  if (current && current.status !== 'resolved' && current.contactId === contactId) return { role: 'reply', conversationId: current.conversationId };
  return { role: 'opened', conversationId: newConversationId() };
}

/** The reply window at `now`: open until 48 hours after the customer's last message. */
export function replyWindow(lastInboundAt: string | undefined, now: Date): { open: true; closesAt: Date } | { open: false; lastInboundAt?: Date } {
  const last = lastInboundAt ? new Date(lastInboundAt) : undefined;
  if (!last || Number.isNaN(last.getTime())) return { open: false };
  const closesAt = new Date(last.getTime() + REPLY_WINDOW_MS);
  return now.getTime() < closesAt.getTime() ? { open: true, closesAt } : { open: false, lastInboundAt: last };
}

/** Shanghai time, minute precision (what the refusal names, in the shop's zone). */
function shanghai(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Why an agent's reply to a WeChat customer is refused after the window closed, in both languages. */
export function windowClosedText(lastInboundAt: Date | undefined): { en: string; zh: string } {
  const when = lastInboundAt ? shanghai(lastInboundAt) : undefined;
  return {
    zh: `未发送：微信只允许在顾客最后一条消息后 48 小时内回复，${when ? `该顾客最后一次发消息是在 ${when}（北京时间）` : '该顾客还没有发过消息'}。请等顾客再次发来消息后回复，或通过其他渠道联系。`,
    en: `Not sent: WeChat allows replies only within 48 hours of the customer's last message, and ${when ? `this customer last wrote at ${when} (Beijing time)` : 'this customer has not written yet'}. Reply once they write again, or reach them another way.`,
  };
}

/** Why an attachment cannot go to a WeChat customer, in both languages. */
export const ATTACHMENTS_REFUSED = {
  zh: '未发送：微信渠道暂不支持发送附件，请改发文字。',
  en: 'Not sent: attachments cannot be sent to WeChat customers yet; send text instead.',
};

/**
 * The text of a Kefu message as a WeChat customer reads it: WeChat has no buttons, so the bot's
 * "tap 转人工" becomes "reply 转人工" (typing it hands off, as the button does).
 */
export function wechatText(text: string): string {
  return text.replaceAll('点击“转人工”', '回复“转人工”').replaceAll('tap “Talk to a human”', 'reply “human”');
}

/** A text cut into `send_msg` parts of at most SEND_MAX_BYTES UTF-8 bytes (whole characters), at most SEND_MAX_PARTS. */
export function sendParts(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > SEND_MAX_BYTES) {
      parts.push(current);
      if (parts.length === SEND_MAX_PARTS) return parts;
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  if (current) parts.push(current);
  return parts;
}

/** The `msgid` of part `index` of a Kefu message: the platform takes [0-9a-zA-Z_-], at most 32 characters. */
export function sendMsgId(messageId: string, index: number): string {
  const base = messageId.replace(/[^0-9A-Za-z_-]/g, '').slice(0, 30);
  return index === 0 ? base : `${base}_${index}`;
}
