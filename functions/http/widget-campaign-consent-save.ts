import { recordConsent } from '#shared/campaigns/consent.ts';
import { ConsentBody } from '#shared/campaigns/model.ts';
import { consentState } from '#shared/campaigns/widget.ts';
import { forbidden } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

export const handler = withHttp('widget-campaign-consent-save', { body: ConsentBody }, async ({ body, caller, now }) => {
  if (!caller.verified) throw forbidden({ en: 'marketing consent is kept for signed-in shoppers only', zh: '只有已登录的顾客才能设置营销消息授权' });
  await recordConsent(caller.contactId, [body.channel], body.granted, 'widget', now.toISOString());
  return ok({ verified: true, channels: await consentState(caller.contactId) });
});
