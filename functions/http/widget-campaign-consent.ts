import { consentState } from '#shared/campaigns/widget.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

export const handler = withHttp('widget-campaign-consent', {}, async ({ caller }) => {
  return ok({ verified: caller.verified, channels: await consentState(caller.contactId) });
});
