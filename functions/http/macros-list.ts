import { ok, withHttp } from '#shared/http/with-http.ts';
import { listMacros } from '#shared/tickets/macro-service.ts';
import { PLACEHOLDERS } from '#shared/tickets/macros.ts';

export const handler = withHttp('macros-list', {}, async ({ caller }) => ok({ macros: await listMacros(caller), placeholders: PLACEHOLDERS }));
