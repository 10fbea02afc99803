import { forVisitor } from '#shared/chat/service.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { listContactConversations } from '#shared/store/conversations.ts';

export const handler = withHttp('widget-conversations-list', {}, async ({ caller }) => {
  const items = await listContactConversations(caller.contactId);
  return ok({ items: items.map(forVisitor) });
});
