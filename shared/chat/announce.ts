/**
 * What each side may see of a conversation and its messages, and the push that tells them: kept
 * apart from the chat service so the tickets module can announce a thread it changed without
 * importing the chat service (which imports tickets).
 */
import { wechatOutbound } from '#shared/channels/wecom-reply.ts';
import { conversationView, messageView, perAudience } from '#shared/privacy/views.ts';
import { contactTopic, type PerReaderFrame, perReader, pushToTopic, rolesOf, STAFF_TOPIC } from '#shared/realtime.ts';
import type { Conversation, Message } from '#shared/store/conversations.ts';

/** What a shopper may see of a conversation (no staff-side counters or read markers): the widget's type. */
export interface VisitorConversation {
  conversationId: string;
  status: Conversation['status'];
  assignee?: { name: string };
  lastMessageAt: string;
  lastMessagePreview: string;
  unreadByVisitor: number;
  readByAgent?: string;
  /** Whether the bot still answers (the "talk to a human" button shows while `active`). */
  bot?: { active: boolean; outcome?: NonNullable<Conversation['bot']>['outcome'] };
  createdAt: string;
}

/** What a shopper may see of a conversation (no staff-side counters or read markers). */
export function forVisitor(c: Conversation): VisitorConversation {
  return {
    conversationId: c.conversationId,
    status: c.status,
    assignee: c.assignee ? { name: c.assignee.name } : undefined,
    lastMessageAt: c.lastMessageAt,
    lastMessagePreview: c.lastMessagePreview,
    unreadByVisitor: c.unreadByVisitor,
    readByAgent: c.readByAgent,
    bot: c.bot ? { active: c.bot.active, outcome: c.bot.outcome } : undefined,
    createdAt: c.createdAt,
  };
}

/** What a shopper may see of a message: staff subjects stay internal. */
export function messageForVisitor(m: Message) {
  return { ...m, author: { kind: m.author.kind, name: m.author.name } };
}

/**
 * The `conversation` frame for staff sockets, masked as `GET /conversations/{id}` masks it for the
 * same caller (an agent reads a phone number in the preview as 138****5678).
 */
export function staffConversationFrame(conversation: Conversation): PerReaderFrame {
  const view = perAudience((plain) => ({ type: 'conversation', conversation: conversationView(conversation, plain) }));
  return perReader('conversation', (owner) => view(rolesOf(owner)));
}

/** Pushes a new or changed message and conversation to everyone entitled to see them. */
export async function announce(conversation: Conversation, message?: Message): Promise<void> {
  const staffFrames: unknown[] = [staffConversationFrame(conversation)];
  const visitorFrames: unknown[] = [];
  if (message) {
    const view = perAudience((plain) => ({ type: 'message', conversationId: conversation.conversationId, message: messageView(message, plain) }));
    staffFrames.unshift(perReader('message', (owner) => view(rolesOf(owner))));
    if (!message.internal) {
      visitorFrames.push({ type: 'message', conversationId: conversation.conversationId, message: messageForVisitor(message) });
    }
  }
  if (!message?.internal) visitorFrames.push({ type: 'conversation', conversation: forVisitor(conversation) });
  // A staff-only thread (a survey follow-up) reaches the shopper only once an agent wrote to them.
  const toVisitor = conversation.staffOnly ? [] : visitorFrames;
  // A WeChat conversation's bot and agent messages also go to the customer's phone (docs/channels.md).
  await Promise.all([
    pushToTopic(STAFF_TOPIC, ...staffFrames),
    pushToTopic(contactTopic(conversation.contactId), ...toVisitor),
    message && wechatOutbound(conversation, message),
  ]);
}
