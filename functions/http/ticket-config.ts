import { ok, withHttp } from '#shared/http/with-http.ts';
import { DEFAULT_SHOP_ID } from '#shared/tickets/intake.ts';
import { loadTicketConfig } from '#shared/tickets/store.ts';

export const handler = withHttp('ticket-config', {}, async () => {
  const { config } = await loadTicketConfig(DEFAULT_SHOP_ID);
  return ok({
    rules: config.rules,
    teams: [...config.teams.values()],
    policies: [...config.policies.values()],
    calendars: Object.fromEntries(config.calendars),
    defaultTeam: config.defaultTeam,
    defaultPolicy: config.defaultPolicy,
  });
});
