/**
 * Turning a chat into a ticket: the conversation stays the one thread; the shopper's messages give
 * subject and text to classify; an agent who already answered means first response is met; a
 * bot hand-off's priority and team are the defaults the agent can override.
 */
import { PRIORITIES, type Priority } from '#shared/sla/policy.ts';
import type { Conversation, Message } from '#shared/store/conversations.ts';
import { DEFAULT_SHOP_ID } from './intake.ts';
import type { CustomFieldValue } from './model.ts';
import type { CreateTicketInput } from './service.ts';

export interface ConvertOptions {
  subject?: string;
  priority?: Priority;
  category?: string;
  tags?: string[];
  customFields?: Record<string, CustomFieldValue>;
  team?: string;
  assignee?: string;
}

const SUBJECT_CHARS = 80;

/** The ticket a conversation becomes (pure: the caller loaded the conversation and its thread). */
export function conversionInput(conversation: Conversation, thread: Message[], options: ConvertOptions, shopId: string | undefined): CreateTicketInput {
  const fromShopper = thread.filter((m) => m.author.kind === 'visitor').map((m) => m.text);
  const firstLine = (fromShopper[0] ?? conversation.lastMessagePreview).replace(/\s+/g, ' ').trim();
  const subject =
    options.subject ?? (firstLine.length > SUBJECT_CHARS ? `${firstLine.slice(0, SUBJECT_CHARS - 1)}…` : firstLine || conversation.conversationId);
  const answered = thread.find((m) => m.author.kind === 'agent' && !m.internal);
  const handoff = conversation.bot?.handoff;
  const handoffPriority = handoff && (PRIORITIES as readonly string[]).includes(handoff.priority) ? (handoff.priority as Priority) : undefined;
  const priority = options.priority ?? handoffPriority;
  const assignee = options.assignee ?? conversation.assignee?.sub;
  return {
    shopId: shopId ?? DEFAULT_SHOP_ID,
    // A WeChat conversation's ticket is a WeChat ticket (the console shows where the customer is).
    channel: conversation.channel === 'wechat' ? 'wechat' : 'chat',
    subject,
    text: fromShopper.join('\n') || subject,
    requester: {
      contactId: conversation.contactId,
      ...(conversation.contactName ? { name: conversation.contactName } : conversation.offline?.name ? { name: conversation.offline.name } : {}),
      ...(conversation.offline?.email ? { email: conversation.offline.email } : {}),
    },
    verified: conversation.verified,
    ...(priority ? { priority } : {}),
    ...(options.category ? { category: options.category } : {}),
    ...(options.tags ? { tags: options.tags } : {}),
    ...(options.customFields ? { customFields: options.customFields } : {}),
    ...(options.team ? { team: options.team } : {}),
    ...(assignee ? { assignee } : {}),
    conversation,
    ...(answered ? { answeredAt: answered.createdAt } : {}),
  };
}
