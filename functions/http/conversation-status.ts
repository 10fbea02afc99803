import * as z from 'zod/mini';
import { ConversationParams } from '#shared/api/chat.ts';
import { announce } from '#shared/chat/service.ts';
import { notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { conversationView, readsUnmaskedText } from '#shared/privacy/views.ts';
import { qualityOnStatus } from '#shared/quality/hooks.ts';
import { getConversation, updateConversation } from '#shared/store/conversations.ts';
import { changeTicketOfThread } from '#shared/tickets/thread-sync.ts';

const Body = z.strictObject({ status: z.enum(['open', 'pending', 'resolved']) });

/**
 * Opens, parks or resolves a conversation. One with a ticket changes through the ticket (resolved →
 * solved, stopping its clocks), which mirrors the status back onto the thread.
 */
export const handler = withHttp('conversation-status', { body: Body, params: ConversationParams }, async ({ body, params, caller, now }) => {
  const current = await getConversation(params.conversationId);
  if (!current) throw notFound('conversation');
  if (current.ticketId) {
    await changeTicketOfThread(current.ticketId, { status: body.status }, { kind: 'staff', sub: caller.sub, name: caller.name });
    const after = await getConversation(params.conversationId);
    return ok({ conversation: after && conversationView(after, readsUnmaskedText(caller.roles)) });
  }
  const conversation = await updateConversation(params.conversationId, () => ({ status: body.status }));
  if (!conversation) throw notFound('conversation');
  await announce(conversation);
  await qualityOnStatus(conversation, now, caller.sub);
  return ok({ conversation: conversationView(conversation, readsUnmaskedText(caller.roles)) });
});
