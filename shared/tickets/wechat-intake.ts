/**
 * WeChat customer messages in: a `kf_msg_or_event` callback says an account has news; its
 * messages are pulled with `sync_msg` (the account's cursor, the callback's token) and each
 * customer message (origin 3) becomes ticket work on the `wechat` channel, as an email does: the
 * customer's open ticket gets the message, or a new ticket opens (a contact is created for a
 * customer seen the first time). Each platform msgid is claimed before anything is written, so a
 * repeated callback or an overlapping pull adds nothing twice, and a retry after a crash resumes
 * the claimed decision.
 */
import { createHash } from 'node:crypto';
import type { KfMessage, WecomApi } from '#shared/channels/wecom-api.ts';
import {
  addCustomer,
  claimMsg,
  getCursor,
  getCustomer,
  getMsgClaim,
  type MsgClaim,
  saveCursor,
  setCustomerTicket,
  type WecomCustomer,
} from '#shared/channels/wecom-store.ts';
import { linkTicketCustomer } from '#shared/channels/wecom-tickets.ts';
import { announce } from '#shared/chat/service.ts';
import { newId } from '#shared/ids.ts';
import { createContact } from '#shared/store/contacts.ts';
import { appendMessageWithRetry, getConversation } from '#shared/store/conversations.ts';
import { ticketSubject } from './email.ts';
import { CommitConflict, type TicketPorts } from './ports.ts';
import { createTicket, recordThreadMessage } from './service.ts';

/** What a decrypted callback asks for: a pull of one account's messages. */
export interface KfEvent {
  openKfId: string;
  token: string;
}

/** The `kf_msg_or_event` of a decrypted callback; undefined for anything else (acknowledged, ignored). */
export function kfEvent(fields: Record<string, string>): KfEvent | undefined {
  if (fields.MsgType !== 'event' || fields.Event !== 'kf_msg_or_event' || !fields.OpenKfId) return undefined;
  return { openKfId: fields.OpenKfId, token: fields.Token ?? '' };
}

/** Pages pulled per callback at most (1000 messages each); the cursor keeps the rest for the next. */
const MAX_PAGES = 10;

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

export interface PullResult {
  pulled: number;
  created: number;
  threaded: number;
  duplicate: number;
}

/** Pulls an account's new messages and takes the customers' ones in; the cursor advances page by page. */
export async function pullMessages(api: WecomApi, ports: TicketPorts, event: KfEvent, shopId: string): Promise<PullResult> {
  const result: PullResult = { pulled: 0, created: 0, threaded: 0, duplicate: 0 };
  let cursor = await getCursor(event.openKfId);
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await api.syncMsg({ ...(cursor ? { cursor } : {}), ...(event.token ? { token: event.token } : {}), open_kfid: event.openKfId });
    for (const msg of res.msg_list) {
      result.pulled++;
      if (msg.origin !== 3 || !msg.external_userid || !msg.msgid) continue;
      result[await takeMessage(ports, msg, shopId)]++;
    }
    if (res.next_cursor && res.next_cursor !== cursor) {
      cursor = res.next_cursor;
      await saveCursor(event.openKfId, cursor, ports.now().toISOString());
    }
    if (!res.has_more) break;
  }
  return result;
}

function customerName(externalUserId: string): string {
  return `微信客户 ${externalUserId.slice(-6)}`;
}

/** The customer of a message, created (contact and mapping) the first time they write. */
async function customerOf(msg: KfMessage, shopId: string, at: string): Promise<WecomCustomer> {
  const externalUserId = msg.external_userid!;
  const known = await getCustomer(msg.open_kfid, externalUserId);
  if (known) return known;
  const contactId = newId('con');
  await createContact({ contactId, shopId, verified: false, name: customerName(externalUserId), createdAt: at, updatedAt: at, version: 1 });
  const customer: WecomCustomer = { openKfId: msg.open_kfid, externalUserId, contactId };
  if (await addCustomer(customer, at)) return customer;
  // Another message of theirs got there first: use its record (the contact just written stays unused).
  return (await getCustomer(msg.open_kfid, externalUserId)) ?? customer;
}

async function openTicket(ports: TicketPorts, msg: KfMessage, claim: MsgClaim, customer: WecomCustomer, shopId: string): Promise<'created' | 'duplicate'> {
  if (await ports.store.get(claim.ticketId)) return 'duplicate';
  const text = messageText(msg);
  await linkTicketCustomer(claim.ticketId, customer);
  try {
    await createTicket(
      ports,
      {
        ticketId: claim.ticketId,
        shopId,
        channel: 'wechat',
        subject: ticketSubject({ subject: '', text }),
        text,
        requester: { contactId: customer.contactId },
      },
      { kind: 'visitor', name: customerName(customer.externalUserId) },
    );
  } catch (error) {
    if (error instanceof CommitConflict && error.reason === 'exists') return 'duplicate';
    throw error;
  }
  await setCustomerTicket(customer.openKfId, customer.externalUserId, claim.ticketId, ports.now().toISOString());
  return 'created';
}

async function threadOnto(ports: TicketPorts, msg: KfMessage, claim: MsgClaim, customer: WecomCustomer): Promise<'threaded' | 'duplicate'> {
  const state = await ports.store.get(claim.ticketId);
  const conversation = state ? await getConversation(state.ticket.conversationId) : undefined;
  if (!state || !conversation) throw new Error('wechat claim points at a ticket without a thread');
  const now = ports.now();
  const result = await appendMessageWithRetry(conversation, (c) => ({
    messageId: ports.ids('msg'),
    conversationId: c.conversationId,
    clientMessageId: `wx-${createHash('sha256').update(msg.msgid).digest('base64url').slice(0, 40)}`,
    author: { kind: 'visitor', name: customerName(customer.externalUserId) },
    text: messageText(msg),
    internal: false,
    createdAt: now.toISOString(),
  }));
  if (result.created) await announce(result.conversation, result.message);
  await recordThreadMessage(ports, result.conversation, result.message);
  await setCustomerTicket(customer.openKfId, customer.externalUserId, claim.ticketId, now.toISOString());
  return result.created ? 'threaded' : 'duplicate';
}

/** One customer message: claimed by msgid, then onto the customer's open ticket or a new one. */
export async function takeMessage(ports: TicketPorts, msg: KfMessage, shopId: string): Promise<'created' | 'threaded' | 'duplicate'> {
  const at = ports.now().toISOString();
  const customer = await customerOf(msg, shopId, at);
  let claim = await getMsgClaim(msg.msgid);
  if (!claim) {
    const current = customer.ticketId ? await ports.store.get(customer.ticketId) : undefined;
    const open = current && current.ticket.status !== 'closed' ? (current.ticket.mergedInto ?? current.ticket.ticketId) : undefined;
    const mine: MsgClaim = open ? { msgid: msg.msgid, ticketId: open, role: 'reply' } : { msgid: msg.msgid, ticketId: ports.ids('tkt'), role: 'opened' };
    claim = (await claimMsg(mine, at)) ? mine : await getMsgClaim(msg.msgid);
    if (!claim) throw new Error('wechat message claim vanished');
  }
  return claim.role === 'opened' ? openTicket(ports, msg, claim, customer, shopId) : threadOnto(ports, msg, claim, customer);
}
