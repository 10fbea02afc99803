import { withHttp, ok } from '#shared/http/with-http.ts';
import { consentState } from '#shared/campaigns/widget.ts';

export const handler = withHttp('widget-campaign-consent', {}, async ({ caller }) => {
  return ok({ verified: caller.verified, channels: await consentState(caller.contactId) });
});
