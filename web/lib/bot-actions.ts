import type { BotActionKind, Message, VisitorConversation } from './types.ts';

export type Feedback = 'helpful' | 'not_helpful';

export interface ActionView {
  /** Feedback buttons to offer under the message (in this order). */
  buttons: Feedback[];
  /** The shopper already answered: show the thank-you line instead of the buttons. */
  thanks?: Feedback;
  /** The request is on its way (buttons shown disabled). */
  busy: boolean;
}

const FEEDBACK: readonly Feedback[] = ['helpful', 'not_helpful'];

/** The newest bot message of a thread (only it offers feedback buttons). */
export function lastBotMessageId(thread: readonly Pick<Message, 'messageId' | 'author'>[]): string | undefined {
  for (let i = thread.length - 1; i >= 0; i--) {
    const message = thread[i];
    if (message?.author.kind === 'bot') return message.messageId;
  }
  return undefined;
}

/**
 * What a bot message shows of its suggested actions. "Helpful / not helpful" only appear on the
 * newest bot message, while the bot still serves the conversation and until the shopper answered;
 * the answer then turns into a thank-you line. "Talk to a human" is not drawn per message: the
 * conversation-wide button (see `offersHandoff`) stands for it.
 */
export function botActionView(
  message: Pick<Message, 'messageId' | 'author' | 'meta'>,
  context: { lastBotId: string | undefined; botActive: boolean; given: Feedback | undefined; busy?: boolean },
): ActionView {
  if (message.author.kind !== 'bot') return { buttons: [], busy: false };
  if (context.given) return { buttons: [], thanks: context.given, busy: false };
  const offered: readonly BotActionKind[] = message.meta?.actions ?? [];
  const buttons = context.botActive && context.lastBotId === message.messageId ? FEEDBACK.filter((f) => offered.includes(f)) : [];
  return { buttons, busy: buttons.length > 0 && context.busy === true };
}

/** "Talk to a human" is offered at any moment while the bot is still handling the conversation. */
export function offersHandoff(conversation: Pick<VisitorConversation, 'status' | 'bot'> | undefined): boolean {
  return !!conversation && conversation.status !== 'resolved' && conversation.bot?.active === true;
}

/** Remembers at most `max` answers (newest kept), as a plain object for localStorage. */
export function rememberFeedback(stored: Record<string, Feedback>, messageId: string, feedback: Feedback, max = 30): Record<string, Feedback> {
  const entries = Object.entries(stored).filter(([id]) => id !== messageId);
  entries.push([messageId, feedback]);
  return Object.fromEntries(entries.slice(-max));
}
