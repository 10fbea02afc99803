import { created, ok, withHttp } from '#shared/http/with-http.ts';
import { saveMacro } from '#shared/tickets/macro-service.ts';
import { MacroBody, MacroParams } from '#shared/tickets/macros.ts';

export const handler = withHttp('macros-save', { body: MacroBody, params: MacroParams }, async ({ body, params, caller, now }) => {
  const macro = await saveMacro(caller, body, params.macroId, now);
  return params.macroId ? ok({ macro }) : created({ macro });
});
