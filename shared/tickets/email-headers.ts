/**
 * The shape of an outbound reply on an email ticket (Re: subject, In-Reply-To, References): pure,
 * and free of MIME parsing so the chat path (thread-hook → email-reply) does not bundle mailparser.
 * email.ts re-exports these for the inbound side.
 */

/** References kept in an outbound reply (the oldest, the thread root, plus the most recent). */
export const MAX_REFERENCES = 20;

/** `Re: subject`, without stacking prefixes. */
export function replySubject(subject: string): string {
  const bare = subject.replace(/^\s*((re|aw|sv|回复|答复)\s*[:：]\s*)+/i, '').trim();
  return `Re: ${bare || '(no subject)'}`;
}

/** References of a reply: the thread root plus the most recent ids, oldest first (RFC 5322 §3.6.4). */
export function replyReferences(thread: string[]): string[] {
  const unique = [...new Set(thread)];
  if (unique.length <= MAX_REFERENCES) return unique;
  return [unique[0]!, ...unique.slice(unique.length - (MAX_REFERENCES - 1))];
}

/** The headers of an outbound reply, formatted as they go on the wire. */
export function replyHeaders(messageId: string, thread: string[], lastInbound: string | undefined): Record<string, string> {
  const refs = replyReferences(thread);
  return {
    'Message-ID': `<${messageId}>`,
    ...(lastInbound ? { 'In-Reply-To': `<${lastInbound}>` } : {}),
    ...(refs.length ? { References: refs.map((r) => `<${r}>`).join(' ') } : {}),
  };
}
