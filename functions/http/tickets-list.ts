import { badRequest } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { readsUnmaskedText, ticketForStaff } from '#shared/privacy/views.ts';
import { appNow } from '#shared/tickets/adapters.ts';
import { ListQuery } from '#shared/tickets/api.ts';
import type { Ticket, TicketStatus } from '#shared/tickets/model.ts';
import { listByAssignee, listSlaAtRisk, listTeamQueue } from '#shared/tickets/store.ts';

const ACTIVE: TicketStatus[] = ['new', 'open', 'pending', 'on_hold'];

/** Active tickets of one assignee across the four active statuses, most recently updated first. */
async function activeOf(assignee: string | undefined): Promise<Ticket[]> {
  const pages = await Promise.all(ACTIVE.map((status) => listByAssignee(assignee, status, undefined, 50)));
  return pages
    .flatMap((p) => p.items)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .slice(0, 50);
}

export const handler = withHttp('tickets-list', { query: ListQuery }, async ({ query, caller }) => {
  const plain = readsUnmaskedText(caller.roles);
  const masked = <P extends { items: Ticket[] }>(page: P): P => ({ ...page, items: page.items.map((t) => ticketForStaff(t, plain)) });
  switch (query.view) {
    case 'mine':
    case 'unassigned': {
      const assignee = query.view === 'mine' ? caller.sub : undefined;
      if (query.status) return ok(masked(await listByAssignee(assignee, query.status, query.cursor)));
      return ok(masked({ items: await activeOf(assignee) }));
    }
    case 'team':
      if (!query.team) throw badRequest({ en: 'view=team needs team=<teamId>', zh: 'view=team 时需同时提供 team=<teamId>' });
      return ok(masked(await listTeamQueue(query.team, query.cursor)));
    case 'sla_at_risk':
      return ok({
        items: (await listSlaAtRisk(appNow(), Math.min(query.within ?? 60, 7 * 24 * 60))).map((e) =>
          e.ticket ? { ...e, ticket: ticketForStaff(e.ticket, plain) } : e,
        ),
      });
  }
});
