import { ok, withHttp } from '#shared/http/with-http.ts';
import { ticketPorts } from '#shared/tickets/adapters.ts';
import { TeamInputSchema } from '#shared/tickets/assignment.ts';
import { saveTeam, TeamParams } from '#shared/tickets/config-store.ts';
import { DEFAULT_SHOP_ID } from '#shared/tickets/intake.ts';
import { drainQueue } from '#shared/tickets/service.ts';

/** Saves a team; new members or more capacity take waiting tickets at once. */
export const handler = withHttp('ticket-config-team', { body: TeamInputSchema, params: TeamParams }, async ({ body, params }) => {
  const team = await saveTeam(params.teamId, body);
  await drainQueue(ticketPorts(), DEFAULT_SHOP_ID, team.teamId);
  return ok({ team });
});
