/**
 * Pure logic of the ticket search screen. `GET /tickets/search?q=` answers one kind of query at a
 * time — a ticket id, a requester email, `tag:x`, or subject words — from the write-time term index
 * (shared/tickets/search-terms.ts), so a filter with several of them is several queries whose
 * results are intersected; status and creation date narrow the matches here. Saved filters live in
 * localStorage under the signed-in staff member's subject.
 */
import type { Ticket, TicketStatus } from '../lib/types.ts';

export interface SearchFilter {
  /** Words of the subject (Chinese or English). */
  text: string;
  /** The requester's email. */
  requester: string;
  /** A ticket id (`tkt_…`). */
  id: string;
  tag: string;
  status: '' | TicketStatus;
  /** `YYYY-MM-DD` (local days, inclusive). */
  from: string;
  to: string;
}

export const EMPTY_FILTER: SearchFilter = { text: '', requester: '', id: '', tag: '', status: '', from: '', to: '' };

export type SearchProblem = 'tsNeedTerm' | 'tsIdInvalid' | 'tsEmailInvalid' | 'tsDateOrder';

const TICKET_ID = /^tkt_[0-9a-z]{26}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What keeps a filter from being searched, field by field (empty when it can run). */
export function searchProblems(filter: SearchFilter): Partial<Record<keyof SearchFilter, SearchProblem>> {
  const out: Partial<Record<keyof SearchFilter, SearchProblem>> = {};
  const id = filter.id.trim().toLowerCase();
  const email = filter.requester.trim();
  if (!filter.text.trim() && !email && !id && !filter.tag.trim().replace(/^#/, '')) out.text = 'tsNeedTerm';
  if (id && !TICKET_ID.test(id)) out.id = 'tsIdInvalid';
  if (email && !EMAIL.test(email)) out.requester = 'tsEmailInvalid';
  if (filter.from && filter.to && filter.to < filter.from) out.to = 'tsDateOrder';
  return out;
}

/** The `q` values to ask the search route for: the id alone when given, else the words, the email and the tag. */
export function searchQueries(filter: SearchFilter): string[] {
  const id = filter.id.trim().toLowerCase();
  if (id) return [id];
  const out: string[] = [];
  const text = filter.text.trim().replace(/\s+/g, ' ');
  if (text) out.push(text.slice(0, 200));
  if (filter.requester.trim()) out.push(filter.requester.trim().toLowerCase());
  const tag = filter.tag.trim().replace(/^#/, '').toLowerCase();
  if (tag) out.push(`tag:${tag}`);
  return out;
}

/** Tickets in every result list (each list answered one query), once each. */
export function intersect(results: readonly (readonly Ticket[])[]): Ticket[] {
  const [first, ...rest] = results;
  if (!first) return [];
  const sets = rest.map((list) => new Set(list.map((t) => t.ticketId)));
  const seen = new Set<string>();
  return first.filter((t) => !seen.has(t.ticketId) && sets.every((s) => s.has(t.ticketId)) && seen.add(t.ticketId));
}

/** Local midnight of a `YYYY-MM-DD` day (plus `days`), as a time value. */
function dayStart(day: string, days = 0): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, (m ?? 1) - 1, (d ?? 1) + days).getTime();
}

/** Whether a ticket passes the status and creation-date parts of a filter. */
export function matchesFilter(ticket: Pick<Ticket, 'status' | 'createdAt'>, filter: Pick<SearchFilter, 'status' | 'from' | 'to'>): boolean {
  if (filter.status && ticket.status !== filter.status) return false;
  const created = new Date(ticket.createdAt).getTime();
  if (filter.from && created < dayStart(filter.from)) return false;
  if (filter.to && created >= dayStart(filter.to, 1)) return false;
  return true;
}

/** Matches of a search, most recently updated first. */
export function searchResults(results: readonly (readonly Ticket[])[], filter: SearchFilter): Ticket[] {
  return intersect(results)
    .filter((t) => matchesFilter(t, filter))
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

export interface SavedFilter {
  name: string;
  filter: SearchFilter;
}

/** The localStorage key of a staff member's saved ticket filters. */
export const savedFiltersKey = (sub: string) => `kefu:console:${sub}:ticket-filters`;

type Store = Pick<Storage, 'getItem' | 'setItem'>;

/** A staff member's saved filters (an unreadable entry counts as none). */
export function readSavedFilters(storage: Store, sub: string): SavedFilter[] {
  try {
    const parsed = JSON.parse(storage.getItem(savedFiltersKey(sub)) ?? '[]') as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter(
        (x): x is SavedFilter =>
          !!x && typeof (x as SavedFilter).name === 'string' && typeof (x as SavedFilter).filter === 'object' && (x as SavedFilter).filter !== null,
      )
      .map((x) => ({ name: x.name, filter: { ...EMPTY_FILTER, ...pickStrings(x.filter) } }));
  } catch {
    return [];
  }
}

function pickStrings(value: object): Partial<SearchFilter> {
  return Object.fromEntries(Object.entries(value).filter(([k, v]) => k in EMPTY_FILTER && typeof v === 'string')) as Partial<SearchFilter>;
}

/** Saves a filter under a name (replacing one of the same name, newest first); returns the new list. */
export function saveFilter(storage: Store, sub: string, name: string, filter: SearchFilter): SavedFilter[] {
  const list = [{ name: name.trim(), filter }, ...readSavedFilters(storage, sub).filter((x) => x.name !== name.trim())].slice(0, 20);
  try {
    storage.setItem(savedFiltersKey(sub), JSON.stringify(list));
  } catch {
    /* storage full or disabled: the list lasts this page view */
  }
  return list;
}

/** Removes a saved filter; returns the new list. */
export function deleteFilter(storage: Store, sub: string, name: string): SavedFilter[] {
  const list = readSavedFilters(storage, sub).filter((x) => x.name !== name);
  try {
    storage.setItem(savedFiltersKey(sub), JSON.stringify(list));
  } catch {
    /* as above */
  }
  return list;
}
