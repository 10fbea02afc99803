/**
 * Chat screens changing a conversation that belongs to a ticket: the change goes to the ticket
 * (assignee, status, SLA clocks, audit) and the ticket mirrors it back onto the thread, so the
 * chat and its ticket never disagree, whichever screen was used.
 */

import { conflict, HttpError } from '#shared/http/errors.ts';
import { ticketPorts } from './adapters.ts';
import type { Person } from './model.ts';
import type { TicketPorts } from './ports.ts';
import { updateTicket } from './service.ts';

let ports: TicketPorts | undefined;

const TICKET_STATUS = { open: 'open', pending: 'pending', resolved: 'solved' } as const;

/** Applies a thread change to its ticket (retrying once when someone else changed it meanwhile). */
export async function changeTicketOfThread(
  ticketId: string,
  change: { assignee?: string | null; status?: keyof typeof TICKET_STATUS },
  actor: Person,
): Promise<void> {
  ports ??= ticketPorts();
  for (let attempt = 0; attempt < 2; attempt++) {
    const current = await ports.store.get(ticketId);
    if (!current) return;
    if (current.ticket.status === 'closed')
      throw conflict({ en: 'this conversation’s ticket is closed; open a follow-up ticket', zh: '该会话的工单已关闭，请新建一张跟进工单' });
    try {
      await updateTicket(
        ports,
        ticketId,
        {
          version: current.ticket.version,
          ...(change.assignee !== undefined ? { assignee: change.assignee } : {}),
          ...(change.status ? { status: TICKET_STATUS[change.status] } : {}),
        },
        actor,
      );
      return;
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 409) || attempt === 1) throw error;
    }
  }
}
