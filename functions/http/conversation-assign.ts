import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { ConversationParams } from '#shared/api/chat.ts';
import { announce } from '#shared/chat/service.ts';
import { badRequest, notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { conversationView, readsUnmaskedText } from '#shared/privacy/views.ts';
import { assignPatch, getConversation, updateConversation } from '#shared/store/conversations.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import { changeTicketOfThread } from '#shared/tickets/thread-sync.ts';

const Body = z.strictObject({ assignee: z.nullable(z.string().check(z.minLength(1), z.maxLength(128))) });

/** Assigns a conversation; one with a ticket is assigned through the ticket (one assignee for both). */
export const handler = withHttp('conversation-assign', { body: Body, params: ConversationParams }, async ({ body, params, caller }) => {
  let assignee: { sub: string; name: string } | undefined;
  if (body.assignee) {
    const staff = await db().send(new GetCommand({ TableName: tableName(), Key: keys.staff(body.assignee) }));
    if (!staff.Item) throw badRequest({ en: `assignee ${body.assignee} is not a staff member`, zh: `指派对象 ${body.assignee} 不是本店员工` });
    assignee = { sub: body.assignee, name: staff.Item.name as string };
  }
  const current = await getConversation(params.conversationId);
  if (!current) throw notFound('conversation');
  if (current.ticketId) {
    await changeTicketOfThread(current.ticketId, { assignee: body.assignee }, { kind: 'staff', sub: caller.sub, name: caller.name });
    const after = await getConversation(params.conversationId);
    return ok({ conversation: after && conversationView(after, readsUnmaskedText(caller.roles)) });
  }
  const conversation = await updateConversation(params.conversationId, (c) => assignPatch(c, assignee));
  if (!conversation) throw notFound('conversation');
  await announce(conversation);
  return ok({ conversation: conversationView(conversation, readsUnmaskedText(caller.roles)) });
});
