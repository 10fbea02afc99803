/**
 * The "Emails" section of an email ticket (supervisors and admins: `GET /email/outbox?ticketId=`).
 * The list and its strings load with the email outbox's chunk on first use, so the console's first
 * load does not carry them.
 */
import type { Ticket } from '../../lib/types.ts';
import type { StaffApi } from '../auth.ts';
import type { InboxStore } from '../inbox-store.ts';
import { lazyPage } from '../kit/index.ts';

const TicketEmailList = lazyPage<{ api: StaffApi; ticketId: string; updatedAt: string }>(() => import('../settings/email.tsx').then((m) => m.TicketEmailList));

/** Roles of the signed-in staff member when the staff list knows them (else undefined: the server decides). */
function myRoles(inbox: InboxStore): readonly string[] | undefined {
  const roles = inbox.staff.find((s) => s.sub === inbox.me)?.roles;
  return roles?.length ? roles : undefined;
}

/** Shown on email tickets to supervisors and admins (the outbox is theirs); nothing for others. */
export function TicketEmails(props: { api: StaffApi; inbox: InboxStore; ticket: Ticket }) {
  const { ticket } = props;
  const roles = myRoles(props.inbox);
  const allowed = roles ? roles.includes('supervisor') || roles.includes('admin') : true;
  if (ticket.channel !== 'email' || !allowed) return null;
  return <TicketEmailList api={props.api} ticketId={ticket.ticketId} updatedAt={ticket.updatedAt} />;
}
