import { withHttp, ok } from '#shared/http/with-http.ts';
import { TeamInputSchema, type TeamInput } from '#shared/tickets/assignment.ts';
import { TeamParams, saveTeam } from '#shared/tickets/config-store.ts';

export const handler = withHttp('ticket-config-team', { body: TeamInputSchema, params: TeamParams },
  async ({ body, params }) => ok({ team: await saveTeam(params.teamId, body) }),
);
