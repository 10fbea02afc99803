import { ConversationParams } from '#shared/api/chat.ts';
import { staffConversation } from '#shared/chat/service.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { recordConversationRead } from '#shared/privacy/access-log.ts';
import { conversationView, readsUnmaskedText } from '#shared/privacy/views.ts';
import { getContact } from '#shared/store/contacts.ts';
import { listContactConversations } from '#shared/store/conversations.ts';
import { maskEmail } from '#shared/text/masking.ts';

export const handler = withHttp('conversation-get', { params: ConversationParams }, async ({ caller, params, now }) => {
  const conversation = await staffConversation(params.conversationId);
  const plain = readsUnmaskedText(caller.roles);
  const [contact, history] = await Promise.all([
    getContact(conversation.contactId),
    listContactConversations(conversation.contactId, 20),
    recordConversationRead(caller, conversation, plain, now),
  ]);
  const email = contact?.email ?? conversation.offline?.email;
  return ok({
    conversation: conversationView(conversation, plain),
    contact: contact && {
      contactId: contact.contactId,
      name: contact.name ?? conversation.offline?.name,
      email: email && maskEmail(email),
      verified: contact.verified,
      shopUserId: contact.shopUserId,
      locale: contact.locale,
    },
    history: history.filter((c) => c.conversationId !== conversation.conversationId).map((c) => conversationView(c, plain)),
  });
});
