/**
 * What the bot learns from a conversation: the article a shopper picked from a clarify menu, or
 * their verdict on an answer, tied to the question they had asked (the visitor message before the
 * bot's). Only articles the bot itself offered for that question can be voted for.
 */
import { recordLearning } from '#shared/kb/learning.ts';
import { logger } from '#shared/log.ts';
import { listMessages, type Message } from '#shared/store/conversations.ts';

/** How far back a thread is read for the bot message and the question before it. */
const LOOKBACK = 20;

/** True for a bot message that offered a menu of articles (a clarify turn, no helpful buttons). */
export function isClarify(m: Message): boolean {
  return m.author.kind === 'bot' && (m.meta?.articles?.length ?? 0) > 1 && !m.meta?.actions?.includes('helpful');
}

/** True for a bot message that answered with one article (it carries the helpful buttons). */
export function isAnswer(m: Message): boolean {
  return m.author.kind === 'bot' && (m.meta?.articles?.length ?? 0) > 0 && (m.meta?.actions?.includes('helpful') ?? false);
}

/** The shopper's question a bot message replied to: the visitor messages since the previous bot message, joined. */
export function questionBefore(thread: readonly Message[], botMessageId: string): string | undefined {
  const at = thread.findIndex((m) => m.messageId === botMessageId);
  if (at < 0) return undefined;
  const said: string[] = [];
  for (let i = at - 1; i >= 0; i--) {
    const m = thread[i] as Message;
    if (m.author.kind === 'bot') break;
    if (m.author.kind === 'visitor' && m.text) said.unshift(m.text);
  }
  return said.length > 0 ? said.join('\n') : undefined;
}

/** The bot message a pick or verdict is about: the given one, else the newest bot message. */
export async function botMessageFor(conversationId: string, messageId?: string): Promise<{ thread: Message[]; message: Message | undefined }> {
  const { items } = await listMessages(conversationId, { limit: LOOKBACK, includeInternal: false });
  const bots = items.filter((m) => m.author.kind === 'bot');
  const message = messageId ? bots.find((m) => m.messageId === messageId) : bots.at(-1);
  return { thread: items, message };
}

export interface Learner {
  shopId: string;
  contactId: string;
  address?: string;
}

/**
 * Learns from the shopper's verdict on a bot answer (helpful +1, not helpful −1) for the question
 * it answered. Advisory: a failure is logged, never turned into an error for the shopper.
 */
export async function learnFromVerdict(who: Learner, conversationId: string, answerId: string, helpful: boolean, now: Date): Promise<void> {
  try {
    const { thread, message } = await botMessageFor(conversationId, answerId);
    const articleId = message && isAnswer(message) ? message.meta?.articles?.[0]?.id : undefined;
    const query = message ? questionBefore(thread, message.messageId) : undefined;
    if (!articleId || !query) return;
    await recordLearning({ shopId: who.shopId, shopper: who.contactId, address: who.address, query, articleId, verdict: helpful ? 1 : -1 }, now);
  } catch (error) {
    logger.warn('learning from a verdict failed', { conversationId, error: (error as Error).message });
  }
}
