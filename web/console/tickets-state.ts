/** Pure helpers of the console's tickets: views, sorting, the edit form's changes, new-ticket bodies. */
import type { FieldError } from '../lib/http.ts';
import type { Priority, SlaMetric, Ticket, TicketStatus } from '../lib/types.ts';
import type { TicketView } from './inbox-state.ts';

export const TICKET_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'];
export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];
export const METRICS: readonly SlaMetric[] = ['first_response', 'next_response', 'resolution'];
/** The classifier's categories: the server's own list (a module of plain values). */
export { CATEGORIES } from '../../shared/ai/categories.ts';

const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

/** Still being worked (solved and closed tickets leave the working views). */
export function isActive(status: TicketStatus): boolean {
  return status !== 'solved' && status !== 'closed';
}

/** An entry of the SLA-at-risk view: one running clock breached or due soon. */
export interface AtRiskEntry {
  ticketId: string;
  metric: SlaMetric;
  dueAt: string;
  breached: boolean;
  ticket?: Ticket;
}

/**
 * Whether a ticket belongs in a list view, with the server's rules (tickets-list.ts): mine and
 * unassigned hold active tickets of that assignee; the team queue holds the team's waiting tickets.
 * The SLA-at-risk view comes from the server's clock index and is refreshed, not filtered here.
 */
export function inTicketView(view: Exclude<TicketView, 'sla_at_risk'>, ticket: Ticket, me: string, team: string | undefined): boolean {
  if (!isActive(ticket.status)) return false;
  switch (view) {
    case 'mine':
      return ticket.assignee?.sub === me;
    case 'unassigned':
      return !ticket.assignee;
    case 'team':
      return !!team && ticket.team === team && ticket.waiting && !ticket.assignee;
  }
}

/**
 * List order: breached first, then the soonest SLA deadline, then the most recently updated
 * (the queue: most urgent priority, then oldest, as the server drains it).
 */
export function sortTickets(view: TicketView, tickets: readonly Ticket[]): Ticket[] {
  if (view === 'team') {
    return [...tickets].sort((a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || a.createdAt.localeCompare(b.createdAt));
  }
  const due = (t: Ticket) => t.sla.nextDueAt ?? '9999';
  return [...tickets].sort(
    (a, b) => Number(b.sla.breached.length > 0) - Number(a.sla.breached.length > 0) || due(a).localeCompare(due(b)) || b.updatedAt.localeCompare(a.updatedAt),
  );
}

/** What the edit form holds (strings as typed; tags comma separated). */
export interface TicketDraft {
  subject: string;
  status: TicketStatus;
  priority: Priority;
  category: string;
  team: string;
  /** '' = nobody (back to the team queue). */
  assignee: string;
  tags: string;
}

export function draftOfTicket(ticket: Ticket): TicketDraft {
  return {
    subject: ticket.subject,
    status: ticket.status,
    priority: ticket.priority,
    category: ticket.category ?? '',
    team: ticket.team ?? '',
    assignee: ticket.assignee?.sub ?? '',
    tags: ticket.tags.join(', '),
  };
}

/** Tags as the server takes them: comma separated (either script), trimmed, lower case, unique. */
export function parseTagList(input: string): string[] {
  const seen = new Set<string>();
  for (const raw of input.split(/[,，、\s]+/)) {
    const tag = raw.trim().toLowerCase();
    if (tag) seen.add(tag);
  }
  return [...seen];
}

/**
 * The body of `PATCH /tickets/{id}`: only what changed, with the version the form was loaded at
 * (a stale version is a 409). Undefined when nothing changed.
 */
export function ticketChanges(ticket: Ticket, draft: TicketDraft, version: number): Record<string, unknown> | undefined {
  const base = draftOfTicket(ticket);
  const body: Record<string, unknown> = {};
  if (draft.subject.trim() !== base.subject) body.subject = draft.subject.trim();
  if (draft.status !== base.status) body.status = draft.status;
  if (draft.priority !== base.priority) body.priority = draft.priority;
  if (draft.category && draft.category !== base.category) body.category = draft.category;
  if (draft.team && draft.team !== base.team) body.team = draft.team;
  if (draft.assignee !== base.assignee) body.assignee = draft.assignee || null;
  const tags = parseTagList(draft.tags);
  if (tags.join(',') !== ticket.tags.join(',')) body.tags = tags;
  return Object.keys(body).length ? { version, ...body } : undefined;
}

/** The phone / email ticket form. */
export interface NewTicketForm {
  channel: 'phone' | 'email';
  subject: string;
  text: string;
  name: string;
  email: string;
  phone: string;
  /** '' = let the classifier and routing decide. */
  priority: '' | Priority;
  category: string;
  team: string;
}

export function emptyTicketForm(): NewTicketForm {
  return { channel: 'phone', subject: '', text: '', name: '', email: '', phone: '', priority: '', category: '', team: '' };
}

/** The body of `POST /tickets` (empty optional fields left out so routing decides them). */
export function newTicketBody(form: NewTicketForm): Record<string, unknown> {
  const requester: Record<string, string> = {};
  if (form.name.trim()) requester.name = form.name.trim();
  if (form.email.trim()) requester.email = form.email.trim();
  if (form.phone.trim()) requester.phone = form.phone.trim();
  return {
    channel: form.channel,
    subject: form.subject.trim(),
    text: form.text.trim(),
    requester,
    ...(form.priority ? { priority: form.priority } : {}),
    ...(form.category ? { category: form.category } : {}),
    ...(form.team ? { team: form.team } : {}),
  };
}

/** What keeps the new-ticket form from being sent (the server checks again). */
export function ticketFormProblems(form: NewTicketForm): ('subject' | 'text' | 'requester')[] {
  const problems: ('subject' | 'text' | 'requester')[] = [];
  if (!form.subject.trim()) problems.push('subject');
  if (!form.text.trim()) problems.push('text');
  if (!form.name.trim() && !form.email.trim() && !form.phone.trim()) problems.push('requester');
  return problems;
}

/**
 * The server's validation messages for one form field: those whose path is the field or lies
 * under it (`requester.email` for `requester`). `(root)` messages belong to the form as a whole.
 */
export function messagesFor(errors: readonly FieldError[], path: string): string[] {
  return errors.filter((e) => e.path === path || e.path.startsWith(path + '.')).map((e) => e.message);
}

/** Messages no field of the form claims (shown at the top of the form). */
export function unclaimed(errors: readonly FieldError[], fields: readonly string[]): string[] {
  return errors
    .filter((e) => !fields.some((f) => e.path === f || e.path.startsWith(f + '.')))
    .map((e) => (e.path === '(root)' ? e.message : `${e.path}: ${e.message}`));
}
