/**
 * WeChat customer messages in: a `kf_msg_or_event` callback says an account has news; its
 * messages are pulled with `sync_msg` (the account's cursor, the callback's token) and each
 * customer message (origin 3) becomes a message of a `wechat` conversation, as a widget message
 * does: the customer's current conversation gets it, or a new one opens (the bot answers first).
 * One contact per WeChat identity (`WECOM#{open_kfid}#{external_userid}`), followed through merges.
 * Each platform msgid is claimed before anything is written, so a repeated callback or an
 * overlapping pull adds nothing twice, and a retry after a crash resumes the claimed decision.
 *
 * What happens after a message is written (pushes, quality hooks, the bot's turn, a ticket's
 * clocks) belongs to chat and tickets: the caller passes it in (`IntakeEffects`), so this channel
 * module stays below them in the import graph.
 */
import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createContact } from '#shared/store/contacts.ts';
import { appendMessageWithRetry, type Conversation, createConversation, getConversation, type Message, previewOf } from '#shared/store/conversations.ts';
import { keys } from '#shared/store/keys.ts';
import { getShop } from '#shared/store/shops.ts';
import { db, tableName } from '#shared/store/table.ts';
import type { KfMessage, WecomApi } from './wecom-api.ts';
import { type ContactState, currentContact, customerName, isCustomerMessage, messageText, routeMessage, sentAt } from './wecom-rules.ts';
import type { MsgClaim, WecomCustomer } from './wecom-store.ts';
import * as wecomStore from './wecom-store.ts';

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

type Written = { conversation: Conversation; message: Message; created: boolean };

/** What chat does after a shopper's message is written (the widget's start and send do the same). */
export interface IntakeEffects {
  /** A new conversation with its first message: push it, quality hooks, the bot's first turn. */
  started(conversation: Conversation, message: Message): Promise<void>;
  /** A message on an existing conversation (`created: false` for a repeat): push, quality, bot, the ticket's clocks. */
  continued(before: Conversation, written: Written): Promise<void>;
}

/** The table operations the intake uses (the real ones in `tableStore`; fakes in unit tests). */
export interface IntakeStore {
  getCustomer: typeof wecomStore.getCustomer;
  addCustomer: typeof wecomStore.addCustomer;
  setCustomerContact: typeof wecomStore.setCustomerContact;
  setCustomerConversation: typeof wecomStore.setCustomerConversation;
  getMsgClaim: typeof wecomStore.getMsgClaim;
  claimMsg: typeof wecomStore.claimMsg;
  getCursor: typeof wecomStore.getCursor;
  saveCursor: typeof wecomStore.saveCursor;
  touchConversationLink: typeof wecomStore.touchConversationLink;
  contactState(contactId: string): Promise<ContactState | undefined>;
  createContact(contact: { contactId: string; shopId: string; name: string; at: string }): Promise<void>;
  getConversation(conversationId: string): Promise<Conversation | undefined>;
  createConversation(conversation: Conversation, message: Message): Promise<Written>;
  appendMessage(conversation: Conversation, build: (c: Conversation) => Message): Promise<Written>;
  shop(shopId: string): Promise<{ botEnabled?: boolean; transcriptRetentionDays?: number } | undefined>;
}

export interface IntakePorts {
  store: IntakeStore;
  effects: IntakeEffects;
  now(): Date;
  ids(prefix: string): string;
}

/** The intake's table side. */
export const tableStore: IntakeStore = {
  ...wecomStore,
  async contactState(contactId) {
    const item = (await db().send(new GetCommand({ TableName: tableName(), Key: keys.contact(contactId), ConsistentRead: true }))).Item;
    if (!item) return undefined;
    return {
      ...(typeof item.mergedInto === 'string' ? { mergedInto: item.mergedInto } : {}),
      ...(item.erased === true ? { erased: true } : {}),
      ...(typeof item.name === 'string' ? { name: item.name } : {}),
    };
  },
  async createContact({ contactId, shopId, name, at }) {
    await createContact({ contactId, shopId, verified: false, name, createdAt: at, updatedAt: at, version: 1 });
  },
  getConversation,
  createConversation,
  appendMessage: (conversation, build) => appendMessageWithRetry(conversation, build),
  shop: (shopId) => getShop(shopId),
};

/** Pages pulled per callback at most (1000 messages each); the cursor keeps the rest for the next. */
const MAX_PAGES = 10;

export interface PullResult {
  pulled: number;
  opened: number;
  threaded: number;
  duplicate: number;
}

/** Pulls an account's new messages and takes the customers' ones in; the cursor advances page by page. */
export async function pullMessages(api: WecomApi, ports: IntakePorts, event: KfEvent, shopId: string): Promise<PullResult> {
  const result: PullResult = { pulled: 0, opened: 0, threaded: 0, duplicate: 0 };
  let cursor = await ports.store.getCursor(event.openKfId);
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await api.syncMsg({ ...(cursor ? { cursor } : {}), ...(event.token ? { token: event.token } : {}), open_kfid: event.openKfId });
    for (const msg of res.msg_list) {
      result.pulled++;
      if (isCustomerMessage(msg)) result[await takeMessage(ports, msg, shopId)]++;
    }
    if (res.next_cursor && res.next_cursor !== cursor) {
      cursor = res.next_cursor;
      await ports.store.saveCursor(event.openKfId, cursor, ports.now().toISOString());
    }
    if (!res.has_more) break;
  }
  return result;
}

/** The customer of a message: their identity's contact (after merges), created the first time they write or after an erasure. */
export async function customerOf(ports: IntakePorts, msg: KfMessage & { external_userid: string }, shopId: string): Promise<WecomCustomer & { name: string }> {
  const { store } = ports;
  const at = ports.now().toISOString();
  const externalUserId = msg.external_userid;
  const fallbackName = customerName(externalUserId);
  const known = await store.getCustomer(msg.open_kfid, externalUserId);
  if (known) {
    const current = await currentContact(known.contactId, store.contactState);
    if (current) {
      if (current.contactId !== known.contactId) await store.setCustomerContact(known.openKfId, externalUserId, current.contactId, at);
      return { ...known, contactId: current.contactId, name: current.name ?? fallbackName };
    }
  }
  const contactId = ports.ids('con');
  await store.createContact({ contactId, shopId, name: fallbackName, at });
  if (known) {
    // The identity's contact was erased (or is gone): the customer starts over on a new one.
    await store.setCustomerContact(known.openKfId, externalUserId, contactId, at);
    return { openKfId: known.openKfId, externalUserId, contactId, name: fallbackName };
  }
  const customer: WecomCustomer = { openKfId: msg.open_kfid, externalUserId, contactId };
  if (await store.addCustomer(customer, at)) return { ...customer, name: fallbackName };
  // Another message of theirs got there first: use its record (the contact just written stays unused).
  const first = await store.getCustomer(msg.open_kfid, externalUserId);
  return first ? { ...first, name: fallbackName } : { ...customer, name: fallbackName };
}

/** The thread's client message id of a platform message (the store's idempotency guard). */
export function clientIdOf(msgid: string): string {
  return `wx-${createHash('sha256').update(msgid).digest('base64url').slice(0, 40)}`;
}

/** One customer message: claimed by msgid, then onto the customer's current conversation or a new one. */
export async function takeMessage(
  ports: IntakePorts,
  msg: KfMessage & { external_userid: string },
  shopId: string,
): Promise<'opened' | 'threaded' | 'duplicate'> {
  const { store } = ports;
  const now = ports.now();
  const at = now.toISOString();
  const customer = await customerOf(ports, msg, shopId);
  let claim = await store.getMsgClaim(msg.msgid);
  if (!claim) {
    const current = customer.conversationId ? await store.getConversation(customer.conversationId) : undefined;
    const mine: MsgClaim = { msgid: msg.msgid, ...routeMessage(current, customer.contactId, () => ports.ids('cnv')) };
    claim = (await store.claimMsg(mine, at)) ? mine : await store.getMsgClaim(msg.msgid);
    if (!claim) throw new Error('wechat message claim vanished');
  }
  // The customer and their last message time first: the bot's answer to this message looks them up.
  await store.touchConversationLink(
    { conversationId: claim.conversationId, openKfId: customer.openKfId, externalUserId: customer.externalUserId },
    sentAt(msg, now).toISOString(),
  );
  const text = messageText(msg);
  const message = (conversationId: string, name: string): Message => ({
    messageId: ports.ids('msg'),
    conversationId,
    clientMessageId: clientIdOf(msg.msgid),
    author: { kind: 'visitor', name },
    text,
    internal: false,
    createdAt: at,
  });
  if (claim.role === 'opened') {
    await store.setCustomerConversation(customer.openKfId, customer.externalUserId, claim.conversationId, at);
    const shop = await store.shop(shopId);
    const botOn = shop?.botEnabled !== false;
    const first = message(claim.conversationId, customer.name);
    const conversation: Conversation = {
      conversationId: claim.conversationId,
      contactId: customer.contactId,
      status: 'open',
      channel: 'wechat',
      contactName: customer.name,
      verified: false,
      lastMessageAt: at,
      lastMessagePreview: previewOf(text),
      unreadByAgent: 1,
      unreadByVisitor: 0,
      ...(botOn ? { bot: { active: true, turns: 0, fallbacks: 0 } } : {}),
      ...(shop?.transcriptRetentionDays ? { retentionDays: shop.transcriptRetentionDays } : {}),
      createdAt: at,
      version: 1,
    };
    const written = await store.createConversation(conversation, first);
    if (written.created) await ports.effects.started(written.conversation, written.message);
    return written.created ? 'opened' : 'duplicate';
  }
  const before = await store.getConversation(claim.conversationId);
  if (!before) throw new Error('wechat claim points at a missing conversation');
  const written = await store.appendMessage(before, (c) => message(c.conversationId, c.contactName ?? customer.name));
  await ports.effects.continued(before, written);
  return written.created ? 'threaded' : 'duplicate';
}
