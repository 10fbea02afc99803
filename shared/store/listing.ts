/**
 * Which inbox list a conversation belongs to, with no imports: the index keys (shared/store/
 * conversations.ts) and the console's live views (web/console/inbox-state.ts) read this one rule.
 */

/** What the rule reads of a conversation. */
export interface Listable {
  status: 'open' | 'pending' | 'resolved';
  bot?: { active: boolean };
  assignee?: { sub: string };
}

/**
 * The status a conversation is listed under: `bot` while the bot alone serves an open, unassigned
 * conversation, so agents' 进行中 and 未分配 views hold only what needs a person (the bot view lists
 * the rest). A hand-off, an agent's public reply or an assignment turns the bot off and lists it as open.
 */
export type ListingStatus = Listable['status'] | 'bot';

export function listingStatus(c: Listable): ListingStatus {
  return c.status === 'open' && c.bot?.active && !c.assignee ? 'bot' : c.status;
}
