import { ok, withHttp } from '#shared/http/with-http.ts';
import { SlaPolicyInputSchema } from '#shared/sla/policy.ts';
import { PolicyParams, savePolicy } from '#shared/tickets/config-store.ts';

export const handler = withHttp('ticket-config-policy', { body: SlaPolicyInputSchema, params: PolicyParams }, async ({ body, params, now }) =>
  ok({ policy: await savePolicy(params.policyId, body, now) }),
);
