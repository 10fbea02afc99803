import { type AttachmentRef, verifyUploaded } from '#shared/attachments.ts';
import type { StaffCaller, VisitorCaller } from '#shared/auth/caller.ts';
import { assertWechatReply } from '#shared/channels/wecom-reply.ts';
import { notFound } from '#shared/http/errors.ts';
import { newId } from '#shared/ids.ts';
import { qualityOnCreated, qualityOnMessage, qualityOnStatus } from '#shared/quality/hooks.ts';
import { enqueue } from '#shared/queue/send.ts';
import { type Contact, createContact, getContact } from '#shared/store/contacts.ts';
import {
  appendMessageWithRetry,
  assignPatch,
  type Conversation,
  createConversation,
  getConversation,
  type Message,
  previewOf,
  updateConversation,
} from '#shared/store/conversations.ts';
import { enforceLimits, type Limit } from '#shared/store/rate-limit.ts';
import { DEFAULT_SHOP_ID, getShop } from '#shared/store/shops.ts';
import { onThreadMessage } from '#shared/tickets/thread-hook.ts';
import { changeTicketOfThread } from '#shared/tickets/thread-sync.ts';

/** Per-visitor and per-IP limits: conversations are rarer than messages. */
export const LIMITS = {
  conversation: (contactId: string, ip: string): Limit[] => [
    { bucket: `conv#c#${contactId}`, max: 5, windowSeconds: 60 },
    { bucket: `conv#ip#${ip}`, max: 30, windowSeconds: 60 },
  ],
  message: (contactId: string, ip: string): Limit[] => [
    { bucket: `msg#c#${contactId}`, max: 30, windowSeconds: 60 },
    { bucket: `msg#ip#${ip}`, max: 240, windowSeconds: 60 },
  ],
};

import { announce, forVisitor, messageForVisitor } from './announce.ts';

export type { VisitorConversation } from './announce.ts';
export { announce, forVisitor, messageForVisitor };

/**
 * The visitor's contact, written by the first action that needs one: a widget session stores
 * nothing for an anonymous visitor, so a flood of sessions costs no contacts. Idempotent (a
 * conditional put; a concurrent first action finds the one written). Undefined only for a
 * verified shopper whose contact is gone (their contact is written when they sign in).
 */
export async function visitorContact(caller: VisitorCaller, now: Date): Promise<Contact | undefined> {
  const found = await getContact(caller.contactId);
  if (found || caller.verified) return found;
  const at = now.toISOString();
  const contact: Contact = {
    contactId: caller.contactId,
    shopId: caller.shopId,
    verified: false,
    ...(caller.locale ? { locale: caller.locale } : {}),
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  try {
    await createContact(contact);
    return contact;
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    return getContact(caller.contactId);
  }
}

/** A conversation the visitor owns; anyone else's (or a made-up id) is simply not found. */
export async function ownConversation(caller: VisitorCaller, conversationId: string): Promise<Conversation> {
  const conversation = await getConversation(conversationId);
  if (!conversation || conversation.contactId !== caller.contactId || conversation.staffOnly) throw notFound('conversation');
  return conversation;
}

/** Any conversation, for staff. */
export async function staffConversation(conversationId: string): Promise<Conversation> {
  const conversation = await getConversation(conversationId);
  if (!conversation) throw notFound('conversation');
  return conversation;
}

export interface StartInput {
  clientMessageId?: string;
  text: string;
  page?: { url: string; title?: string };
  offline?: { email: string; name?: string };
}

/** Starts a conversation with the visitor's first message (idempotent on the client message id). */
export async function startConversation(caller: VisitorCaller, input: StartInput, now: Date) {
  const [contact, shop] = await Promise.all([visitorContact(caller, now), getShop(caller.shopId)]);
  const botOn = !input.offline && shop?.botEnabled !== false;
  const at = now.toISOString();
  const conversationId = newId('cnv');
  const message: Message = {
    messageId: newId('msg'),
    conversationId,
    clientMessageId: input.clientMessageId,
    author: { kind: 'visitor', name: contact?.name },
    text: input.text,
    internal: false,
    createdAt: at,
  };
  const conversation: Conversation = {
    conversationId,
    contactId: caller.contactId,
    status: 'open',
    channel: 'chat',
    contactName: contact?.name ?? input.offline?.name,
    verified: caller.verified,
    page: input.page,
    lastMessageAt: at,
    lastMessagePreview: previewOf(input.text),
    unreadByAgent: 1,
    unreadByVisitor: 0,
    offline: input.offline,
    ...(botOn ? { bot: { active: true, turns: 0, fallbacks: 0 } } : {}),
    ...(shop?.transcriptRetentionDays ? { retentionDays: shop.transcriptRetentionDays } : {}),
    createdAt: at,
    version: 1,
  };
  const result = await createConversation(conversation, message);
  if (result.created) {
    await announce(result.conversation, result.message);
    await qualityOnCreated(result.conversation);
    if (botOn) await enqueue('bot', { conversationId, messageId: message.messageId });
  }
  return result;
}

/** Appends a visitor message to their own conversation (reopens it if it was pending or resolved). */
export interface SendInput {
  clientMessageId?: string;
  text?: string;
  attachments?: AttachmentRef[];
}

export async function visitorSend(caller: VisitorCaller, conversationId: string, input: SendInput, now: Date) {
  const current = await ownConversation(caller, conversationId);
  if (input.attachments) await verifyUploaded(conversationId, input.attachments);
  const result = await appendMessageWithRetry(current, (conversation) => ({
    messageId: newId('msg'),
    conversationId: conversation.conversationId,
    clientMessageId: input.clientMessageId,
    author: { kind: 'visitor', name: conversation.contactName },
    text: input.text ?? '',
    ...(input.attachments ? { attachments: input.attachments } : {}),
    internal: false,
    createdAt: now.toISOString(),
  }));
  if (result.created) {
    await announce(result.conversation, result.message);
    if (result.conversation.status !== current.status) await qualityOnStatus(result.conversation, now);
    if (result.conversation.bot?.active) await enqueue('bot', { conversationId, messageId: result.message.messageId });
  }
  await onThreadMessage(result.conversation, result.message);
  return result;
}

/** Appends a staff reply or internal note. */
export async function staffSend(caller: StaffCaller, conversationId: string, input: SendInput & { internal?: boolean }, now: Date) {
  const current = await staffConversation(conversationId);
  await assertWechatReply(current, input, now);
  if (input.attachments) await verifyUploaded(conversationId, input.attachments);
  // Who answers an unassigned chat takes it in the same header write as the reply (one UpdateItem,
  // one frame); a thread with a ticket is assigned through the ticket (assignToReplier below).
  const takes = !input.internal && !current.assignee && !current.ticketId && (await getShop(DEFAULT_SHOP_ID))?.assignOnReply !== false;
  const assignee = { sub: caller.sub, name: caller.name };
  const result = await appendMessageWithRetry(
    current,
    (conversation) => ({
      messageId: newId('msg'),
      conversationId: conversation.conversationId,
      clientMessageId: input.clientMessageId,
      author: { kind: 'agent', name: caller.name, sub: caller.sub },
      text: input.text ?? '',
      ...(input.attachments ? { attachments: input.attachments } : {}),
      internal: input.internal ?? false,
      createdAt: now.toISOString(),
    }),
    takes ? (c) => (c.assignee || c.ticketId ? {} : assignPatch(c, assignee)) : undefined,
  );
  if (result.created) await announce(result.conversation, result.message);
  if (result.created) await qualityOnMessage(result.conversation, result.message);
  await onThreadMessage(result.conversation, result.message);
  if (result.created && !result.message.internal && !result.conversation.assignee) await assignToReplier(result.conversation.conversationId, caller);
  return result;
}

/**
 * Who answers an unassigned conversation takes it, as in every helpdesk (the shop can turn this off
 * with `assignOnReply: false`); a conversation with a ticket is assigned through the ticket.
 */
async function assignToReplier(conversationId: string, caller: StaffCaller): Promise<void> {
  if ((await getShop(DEFAULT_SHOP_ID))?.assignOnReply === false) return;
  const current = await getConversation(conversationId);
  if (!current || current.assignee) return;
  if (current.ticketId) {
    await changeTicketOfThread(current.ticketId, { assignee: caller.sub }, { kind: 'staff', sub: caller.sub, name: caller.name });
    return;
  }
  const assigned = await updateConversation(conversationId, (c) => (c.assignee ? {} : assignPatch(c, { sub: caller.sub, name: caller.name })));
  if (assigned) await announce(assigned);
}

/** Checks the visitor's limits for a new conversation or message. */
export function limitVisitor(kind: keyof typeof LIMITS, caller: VisitorCaller, ip: string, now: Date): Promise<void> {
  return enforceLimits(LIMITS[kind](caller.contactId, ip || 'unknown'), now);
}
