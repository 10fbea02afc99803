import * as z from 'zod/mini';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { saveRules } from '#shared/tickets/config-store.ts';
import { RoutingRuleSchema } from '#shared/tickets/routing.ts';

const Body = z.strictObject({ rules: z.array(RoutingRuleSchema).check(z.maxLength(90)) });

export const handler = withHttp('ticket-config-rules', { body: Body }, async ({ body }) => ok({ rules: await saveRules(body.rules) }));
