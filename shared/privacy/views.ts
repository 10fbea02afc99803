/**
 * What staff views of conversations carry after masking (pure): profile fields (the email the
 * shopper left) are masked for everyone until a reveal; free text — messages, previews, the bot's
 * hand-off summary — is masked for agents and shown as written to supervisors and admins.
 */
import { SUPERVISORS } from '#infra/manifest.ts';
import type { Conversation, Message } from '#shared/store/conversations.ts';
import { maskEmail, maskPhone, maskText } from '#shared/text/masking.ts';
import type { Ticket } from '#shared/tickets/model.ts';

/**
 * Whether staff with these roles read shoppers' messages unmasked: supervisors and admins (the
 * manifest's SUPERVISORS, who may also reveal a profile). Agents read them masked.
 */
export function readsUnmaskedText(roles: readonly string[]): boolean {
  return roles.some((role) => (SUPERVISORS.roles as readonly string[]).includes(role));
}

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
  if (out.bot && handoff) {
    // Both shapes of the summary: the console shows the bilingual one when the hand-off has it.
    const summaryText = handoff.summaryText && { 'zh-CN': maskText(handoff.summaryText['zh-CN']), en: maskText(handoff.summaryText.en) };
    out.bot = { ...out.bot, handoff: { ...handoff, summary: maskText(handoff.summary), ...(summaryText ? { summaryText } : {}) } };
  }
  return out;
}

/**
 * A ticket as a staff member reads it: the requester's email and phone are masked for everyone
 * until a reveal (they are profile fields, as on the conversation); the subject, free text the
 * shopper may have written, is masked for agents.
 */
export function ticketForStaff(ticket: Ticket, plain: boolean): Ticket {
  const { email, phone } = ticket.requester;
  const requester = { ...ticket.requester, ...(email ? { email: maskEmail(email) } : {}), ...(phone ? { phone: maskPhone(phone) } : {}) };
  return plain ? { ...ticket, requester } : { ...ticket, requester, subject: maskText(ticket.subject) };
}

/**
 * One view per audience for a frame pushed to many sockets: built at most twice (as written and
 * masked), whatever the number of sockets. `roles` are the socket owner's (none for a shopper,
 * who never receives staff frames).
 */
export function perAudience<T>(build: (plain: boolean) => T): (roles: readonly string[]) => T {
  const built = new Map<boolean, T>();
  return (roles) => {
    const plain = readsUnmaskedText(roles);
    if (!built.has(plain)) built.set(plain, build(plain));
    return built.get(plain) as T;
  };
}
