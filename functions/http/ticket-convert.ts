import { ConversationParams } from '#shared/api/chat.ts';
import { staffConversation } from '#shared/chat/service.ts';
import { created, withHttp } from '#shared/http/with-http.ts';
import { readsUnmaskedText, ticketForStaff } from '#shared/privacy/views.ts';
import { listMessages } from '#shared/store/conversations.ts';
import { ticketPorts } from '#shared/tickets/adapters.ts';
import { ConvertBody, staffPerson } from '#shared/tickets/api.ts';
import { conversionInput } from '#shared/tickets/convert.ts';
import { createTicket } from '#shared/tickets/service.ts';

const ports = ticketPorts();

export const handler = withHttp('ticket-convert', { body: ConvertBody, params: ConversationParams }, async ({ body, params, caller }) => {
  const conversation = await staffConversation(params.conversationId);
  const thread = await listMessages(conversation.conversationId, { limit: 50, includeInternal: false });
  const requester = await ports.store.requester(conversation.contactId);
  const input = conversionInput(conversation, thread.items, body, requester?.shopId);
  const state = await createTicket(ports, input, staffPerson(caller));
  return created({ ticket: ticketForStaff(state.ticket, readsUnmaskedText(caller.roles)), clocks: state.clocks });
});
