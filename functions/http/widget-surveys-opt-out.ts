import { setOptOut } from '#shared/feedback/store.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { addCounters } from '#shared/quality/store.ts';
import { shopDay } from '#shared/quality/zone.ts';

/** The visitor asks never to be surveyed again (held on the shared per-contact cap item). */
export const handler = withHttp('widget-surveys-opt-out', {}, async ({ caller, now }) => {
  const at = now.toISOString();
  if (await setOptOut(caller.contactId, at)) await addCounters(['all'], await shopDay(at), { sv_optouts: 1 });
  return ok({ optedOut: true });
});
