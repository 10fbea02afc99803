import * as z from 'zod/mini';
import { noContent, withHttp } from '#shared/http/with-http.ts';
import { deleteMacro } from '#shared/tickets/macro-service.ts';
import { ApplyParams } from '#shared/tickets/macros.ts';

const Params = z.strictObject({ macroId: ApplyParams.shape.macroId });

export const handler = withHttp('macros-delete', { params: Params }, async ({ params, caller }) => {
  await deleteMacro(caller, params.macroId);
  return noContent();
});
