/**
 * What staff views of conversations carry after masking (pure): profile fields (the email the
 * shopper left) are masked for everyone until a reveal; free text — messages, previews, the bot's
 * hand-off summary — is masked for agents and shown as written to supervisors and admins.
 */
import { maskEmail, maskText } from '#shared/privacy/masking.ts';
import type { Conversation, Message } from '#shared/store/conversations.ts';

/** A message as a staff member reads it (`plain`: they may read shoppers' text as written). */
export function messageView(message: Message, plain: boolean): Message {
  return plain ? message : { ...message, text: maskText(message.text) };
}

/** A conversation header as a staff member reads it. */
export function conversationView(conversation: Conversation, plain: boolean): Conversation {
  const out: Conversation = { ...conversation };
  if (out.offline) out.offline = { ...out.offline, email: maskEmail(out.offline.email) };
  if (plain) return out;
  out.lastMessagePreview = maskText(out.lastMessagePreview);
  const handoff = out.bot?.handoff;
  if (out.bot && handoff) out.bot = { ...out.bot, handoff: { ...handoff, summary: maskText(handoff.summary) } };
  return out;
}
