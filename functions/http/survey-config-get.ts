import { listDefinitions, readSettings } from '#shared/feedback/store.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

/** Survey settings and every survey definition (built-in and admin-defined). */
export const handler = withHttp('survey-config-get', {}, async () => {
  const [settings, definitions] = await Promise.all([readSettings(), listDefinitions()]);
  return ok({ settings, definitions });
});
