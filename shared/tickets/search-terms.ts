/**
 * Write-time search terms of a ticket: words of its subject (lower-cased; Chinese as overlapping
 * bigrams, since Chinese has no spaces), its tags and its requester's email. Each term becomes one
 * index item (gsi1 `TOKEN#{term}` / `{ticketId}`) written in the ticket's own commit, so a search is
 * a handful of Queries, never a Scan. Pure: the store (shared/tickets/store.ts) writes the diff.
 */
import type { Ticket } from './model.ts';

/** Subject terms kept per ticket (bounds the commit: ≤ 16 + 20 tags + 1 email index items). */
export const MAX_SUBJECT_TERMS = 16;

const STOPWORDS = new Set(['the', 'an', 'and', 'or', 'of', 'to', 'for', 'in', 'on', 'at', 'my', 'is', 'it', 'be', 're', 'fw', 'fwd', 'aw', 'wg']);
const HAN = /\p{Script=Han}/u;
const RUNS = /[\p{Script=Han}]+|[\p{L}\p{N}]+/gu;

/** Words of a text as search terms: Latin/digit words (≥ 2 chars, no stopwords), Han runs as bigrams. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (t: string) => {
    if (!seen.has(t)) {
      seen.add(t);
      out.push(t);
    }
  };
  for (const run of text.normalize('NFKC').toLowerCase().match(RUNS) ?? []) {
    if (HAN.test(run)) {
      const chars = [...run];
      if (chars.length === 1) add(run);
      for (let i = 0; i + 1 < chars.length; i++) add(chars[i]! + chars[i + 1]!);
    } else if (run.length >= 2 && !STOPWORDS.has(run)) add(run.slice(0, 64));
  }
  return out;
}

/** The index terms of a ticket: `w:{word}`, `tag:{tag}`, `email:{lower(email)}`. */
export function ticketTerms(t: Pick<Ticket, 'subject' | 'tags' | 'requester'>): string[] {
  return [
    ...tokenize(t.subject)
      .slice(0, MAX_SUBJECT_TERMS)
      .map((w) => `w:${w}`),
    ...[...new Set(t.tags)].map((tag) => `tag:${tag.toLowerCase()}`),
    ...(t.requester.email ? [`email:${t.requester.email.toLowerCase()}`] : []),
  ];
}

/** Terms to add and to remove when a ticket changes from `prev` to `next`. */
export function termDiff(
  prev: Pick<Ticket, 'subject' | 'tags' | 'requester'> | undefined,
  next: Pick<Ticket, 'subject' | 'tags' | 'requester'>,
): { add: string[]; remove: string[] } {
  const before = new Set(prev ? ticketTerms(prev) : []);
  const after = new Set(ticketTerms(next));
  return { add: [...after].filter((t) => !before.has(t)), remove: [...before].filter((t) => !after.has(t)) };
}

/** How a search box query is answered. */
export type SearchPlan =
  | { kind: 'id'; ticketId: string }
  /** Every group must match (AND); a group matches when any of its terms does (OR); `or` matches on its own. */
  | { kind: 'terms'; groups: string[][]; or?: string };

const TICKET_ID = /^tkt_[0-9a-z]{26}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TAG = /^[\p{L}\p{N}_-]{1,40}$/u;

/** How to answer a search box query: a ticket id, an email, or words (each a subject word or a tag). */
export function planSearch(q: string): SearchPlan {
  const query = q.normalize('NFKC').trim();
  if (TICKET_ID.test(query.toLowerCase())) return { kind: 'id', ticketId: query.toLowerCase() };
  if (EMAIL.test(query)) return { kind: 'terms', groups: [[`email:${query.toLowerCase()}`]] };
  const explicitTag = /^(?:tag:|#)(.+)$/i.exec(query);
  if (explicitTag && TAG.test(explicitTag[1]!)) return { kind: 'terms', groups: [[`tag:${explicitTag[1]!.toLowerCase()}`]] };
  const words = tokenize(query).slice(0, 6);
  const whole = query.toLowerCase();
  if (words.length <= 1) {
    const group = [...words.map((w) => `w:${w}`), ...(TAG.test(whole) ? [`tag:${whole}`] : [])];
    return { kind: 'terms', groups: group.length ? [[...new Set(group)]] : [] };
  }
  return { kind: 'terms', groups: words.map((w) => [`w:${w}`, `tag:${w}`]), ...(TAG.test(whole) ? { or: `tag:${whole}` } : {}) };
}
