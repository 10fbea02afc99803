import { listingStatus } from '../../shared/store/listing.ts';
import type { Conversation } from '../lib/types.ts';
import type { Translate } from './i18n.ts';

export const VIEWS = ['open', 'pending', 'mine', 'unassigned', 'bot'] as const;
export type InboxView = (typeof VIEWS)[number];

/**
 * Whether a conversation belongs in a view, with the server's rules (shared/store/listing.ts
 * `listingStatus`: mine and unassigned hold open conversations only, and an open conversation the
 * bot alone serves is listed under bot, not open), so views stay right as live updates arrive.
 */
export function inView(view: InboxView, conversation: Conversation, me: string): boolean {
  const listed = listingStatus(conversation);
  const withBot = listed === 'bot';
  const open = listed === 'open';
  switch (view) {
    case 'open':
      return open;
    case 'pending':
      return conversation.status === 'pending';
    case 'mine':
      return conversation.assignee?.sub === me && open;
    case 'unassigned':
      return !conversation.assignee && open;
    case 'bot':
      return withBot;
  }
}

/** Number of conversations in a view that have messages the agents have not read. */
export function unreadIn(view: InboxView, conversations: Iterable<Conversation>, me: string): number {
  // The bot answers these: unread shopper messages there are the bot's to read, not a task for agents.
  if (view === 'bot') return 0;
  let count = 0;
  for (const c of conversations) if (c.unreadByAgent > 0 && inView(view, c, me)) count++;
  return count;
}

export type Section = 'inbox' | 'tickets' | 'kb' | 'reports' | 'campaigns' | 'settings';

const SECTIONS: readonly Section[] = ['inbox', 'tickets', 'kb', 'reports', 'campaigns', 'settings'];

/**
 * Which console sections a set of roles may use (the others are not shown at all), mirroring the
 * route roles in infra/manifest.ts: inbox and tickets for agents, supervisors and admins; the
 * knowledge base for everyone (only admins edit, see `canEditKb`); reports (quality) and settings
 * (SLA, calendars, teams, routing) for supervisors and admins; marketing (churn, segments,
 * campaigns) for marketing and admins; settings for agents (their macros) and, with the ticket
 * configuration, for supervisors and admins (see `settingsTabs`).
 */
export function sectionsFor(roles: readonly string[]): Section[] {
  const has = (...wanted: string[]) => wanted.some((r) => roles.includes(r));
  const sections: Section[] = [];
  if (has('agent', 'supervisor', 'admin')) sections.push('inbox', 'tickets');
  if (has('agent', 'supervisor', 'marketing', 'admin')) sections.push('kb');
  if (has('agent', 'supervisor', 'admin')) sections.push('reports'); // agents: their own 质检 results and 情景模拟
  if (has('marketing', 'admin')) sections.push('campaigns');
  if (has('agent', 'supervisor', 'admin')) sections.push('settings');
  return sections;
}

/**
 * Where a person lands after sign-in (or on an unknown or forbidden address): their main work —
 * the inbox for whoever answers customers, reports for a supervisor who does not, Marketing for
 * marketing — never the knowledge base only because it comes first in the navigation.
 */
export function homeSection(roles: readonly string[]): Section | undefined {
  const sections = sectionsFor(roles);
  const preferred: Section[] = ['inbox', 'reports', 'campaigns'];
  return preferred.find((s) => sections.includes(s)) ?? sections[0];
}

/** Who a conversation is with, for lists and headings. */
export function contactLabel(c: Pick<Conversation, 'contactName' | 'offline' | 'contactId'>, t: Translate): string {
  return c.contactName || c.offline?.name || c.offline?.email || t('anonymous', { id: c.contactId.slice(-6) });
}

/** Whether the roles may create and edit knowledge-base articles (the save route is admin-only). */
export function canEditKb(roles: readonly string[]): boolean {
  return roles.includes('admin');
}

export const TICKET_VIEWS = ['mine', 'unassigned', 'team', 'sla_at_risk'] as const;
export type TicketView = (typeof TICKET_VIEWS)[number];

export interface Route {
  section: Section | undefined;
  view: InboxView;
  conversationId: string | undefined;
  /** `#/kb/{articleId}`; `new` opens an empty editor. */
  articleId?: string;
  /** `#/tickets/{view}/{ticketId}`; ticketId `new` opens the form for a phone or email ticket. */
  ticketView?: TicketView;
  ticketId?: string;
  /** `#/tickets/search/{ticketId}`: the ticket search (and a ticket opened from its results). */
  ticketSearch?: boolean;
  /** `#/{reports|campaigns|settings}/{tab}/{itemId}`. */
  tab?: string;
  itemId?: string;
}

/**
 * `#/inbox/{view}/{conversationId}`, `#/tickets/{view}/{ticketId}`, `#/kb/{articleId}`,
 * `#/reports/{tab}/{itemId}`, `#/campaigns/{tab}/{itemId}`, `#/settings/{tab}/{itemId}`.
 */
export function parseRoute(hash: string): Route {
  const [section, view, id] = hash.replace(/^#\/?/, '').split('/');
  const known = (SECTIONS as readonly string[]).includes(section ?? '') ? (section as Section) : undefined;
  if (known === 'kb') return { section: 'kb', view: 'open', conversationId: undefined, articleId: view ? safeDecode(view) : undefined };
  if (known === 'tickets') {
    if (view === 'new') return { section: 'tickets', view: 'open', conversationId: undefined, ticketView: 'mine', ticketId: 'new' };
    if (view === 'search')
      return { section: 'tickets', view: 'open', conversationId: undefined, ticketView: 'mine', ticketSearch: true, ticketId: id ? safeDecode(id) : undefined };
    return {
      section: 'tickets',
      view: 'open',
      conversationId: undefined,
      ticketView: (TICKET_VIEWS as readonly string[]).includes(view ?? '') ? (view as TicketView) : 'mine',
      ticketId: id ? safeDecode(id) : undefined,
    };
  }
  if (known === 'reports' || known === 'campaigns' || known === 'settings') {
    return { section: known, view: 'open', conversationId: undefined, tab: view ? safeDecode(view) : undefined, itemId: id ? safeDecode(id) : undefined };
  }
  return {
    section: known,
    view: (VIEWS as readonly string[]).includes(view ?? '') ? (view as InboxView) : 'open',
    conversationId: id ? safeDecode(id) : undefined,
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
