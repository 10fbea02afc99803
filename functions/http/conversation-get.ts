import { ConversationParams } from '#shared/api/chat.ts';
import { staffConversation } from '#shared/chat/service.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { getContact } from '#shared/store/contacts.ts';
import { listContactConversations } from '#shared/store/conversations.ts';

export const handler = withHttp('conversation-get', { params: ConversationParams }, async ({ params }) => {
  const conversation = await staffConversation(params.conversationId);
  const [contact, history] = await Promise.all([getContact(conversation.contactId), listContactConversations(conversation.contactId, 20)]);
  return ok({
    conversation,
    contact: contact && {
      contactId: contact.contactId,
      name: contact.name ?? conversation.offline?.name,
      email: contact.email ?? conversation.offline?.email,
      verified: contact.verified,
      shopUserId: contact.shopUserId,
      locale: contact.locale,
    },
    history: history.filter((c) => c.conversationId !== conversation.conversationId),
  });
});
