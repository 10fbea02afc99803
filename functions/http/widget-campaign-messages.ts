import { withHttp, ok } from '#shared/http/with-http.ts';
import { widgetMessages } from '#shared/campaigns/widget.ts';

export const handler = withHttp('widget-campaign-messages', {}, async ({ caller, now }) => {
  return ok({ items: await widgetMessages(caller.contactId, now) });
});
