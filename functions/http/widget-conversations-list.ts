import { forVisitor } from '#shared/chat/service.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { listContactConversations } from '#shared/store/conversations.ts';

export const handler = withHttp('widget-conversations-list', {}, async ({ caller }) => {
  const items = await listContactConversations(caller.contactId);
  // staff-only threads (survey follow-ups) stay out until an agent writes to the shopper in them
  return ok({ items: items.filter((c) => !c.staffOnly).map(forVisitor) });
});
