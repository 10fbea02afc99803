import { widgetMessages } from '#shared/campaigns/widget.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

export const handler = withHttp('widget-campaign-messages', {}, async ({ caller, now }) => {
  return ok({ items: await widgetMessages(caller.contactId, now) });
});
