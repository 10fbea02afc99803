import type { Conversation, Message } from './types.ts';

/** Where a message is on its way to the server; messages from the server are always `sent`. */
export type DeliveryState = 'pending' | 'sent' | 'failed';

export interface ThreadMessage extends Message {
  state: DeliveryState;
}

const LOCAL_PREFIX = 'local:';

/** True for a message the client created that the server has not confirmed yet. */
export function isLocal(message: Pick<Message, 'messageId'>): boolean {
  return message.messageId.startsWith(LOCAL_PREFIX);
}

function byTime(a: ThreadMessage, b: ThreadMessage): number {
  const localA = isLocal(a);
  const localB = isLocal(b);
  if (localA !== localB) return localA ? 1 : -1;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0;
}

/**
 * Merges server messages into a thread: one entry per messageId (the newest copy wins), and a
 * confirmed message replaces the optimistic entry with the same clientMessageId, so a WebSocket
 * echo, the POST response and a reconnect fetch of the same message never show it twice.
 * Confirmed messages are ordered by createdAt; unconfirmed ones stay at the end in send order.
 */
export function mergeMessages(thread: readonly ThreadMessage[], incoming: readonly Message[]): ThreadMessage[] {
  if (incoming.length === 0) return thread.slice();
  const confirmedClientIds = new Set<string>();
  const byId = new Map<string, ThreadMessage>();
  for (const message of incoming) if (message.clientMessageId) confirmedClientIds.add(message.clientMessageId);
  for (const message of thread) {
    if (isLocal(message) && message.clientMessageId && confirmedClientIds.has(message.clientMessageId)) continue;
    byId.set(message.messageId, message);
  }
  for (const message of incoming) {
    byId.set(message.messageId, { ...message, state: 'sent' });
  }
  return [...byId.values()].sort(byTime);
}

/** Appends the optimistic copy of a message the user just sent (shown as pending). */
export function addPending(
  thread: readonly ThreadMessage[],
  draft: {
    clientMessageId: string;
    conversationId: string;
    text: string;
    author: Message['author'];
    internal?: boolean;
    createdAt: string;
    attachments?: Message['attachments'];
  },
): ThreadMessage[] {
  if (thread.some((m) => m.clientMessageId === draft.clientMessageId)) return thread.slice();
  return [
    ...thread,
    {
      messageId: LOCAL_PREFIX + draft.clientMessageId,
      conversationId: draft.conversationId,
      clientMessageId: draft.clientMessageId,
      author: draft.author,
      text: draft.text,
      internal: draft.internal ?? false,
      createdAt: draft.createdAt,
      ...(draft.attachments ? { attachments: draft.attachments } : {}),
      state: 'pending',
    },
  ];
}

/** Marks the unconfirmed message with this clientMessageId as failed or pending again. */
export function setDeliveryState(thread: readonly ThreadMessage[], clientMessageId: string, state: 'pending' | 'failed'): ThreadMessage[] {
  return thread.map((m) => (isLocal(m) && m.clientMessageId === clientMessageId ? { ...m, state } : m));
}

/** The newest message the server has confirmed (the anchor for fetching what was missed). */
export function lastConfirmed(thread: readonly ThreadMessage[]): ThreadMessage | undefined {
  for (let i = thread.length - 1; i >= 0; i--) {
    const message = thread[i];
    if (message && !isLocal(message)) return message;
  }
  return undefined;
}

/**
 * Inserts or replaces a conversation, keeping the higher version when both copies are known,
 * ordered by last activity, newest first.
 */
export function upsertConversation(list: readonly Conversation[], incoming: Conversation): Conversation[] {
  const existing = list.find((c) => c.conversationId === incoming.conversationId);
  if (existing && existing.version > incoming.version) return list.slice();
  const rest = list.filter((c) => c.conversationId !== incoming.conversationId);
  return sortByActivity([...rest, incoming]);
}

/** Newest activity first; ties broken by id so the order is stable. */
export function sortByActivity(list: readonly Conversation[]): Conversation[] {
  return list
    .slice()
    .sort((a, b) => (a.lastMessageAt !== b.lastMessageAt ? (a.lastMessageAt < b.lastMessageAt ? 1 : -1) : a.conversationId < b.conversationId ? -1 : 1));
}
