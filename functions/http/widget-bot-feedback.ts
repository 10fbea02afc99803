import * as z from 'zod/mini';
import { withHttp, ok } from '#shared/http/with-http.ts';
import { ConversationParams } from '#shared/api/chat.ts';
import { forVisitor, ownConversation } from '#shared/chat/service.ts';
import { updateConversation } from '#shared/store/conversations.ts';
import { countBotEvent } from '#shared/bot/service.ts';
import { notFound } from '#shared/http/errors.ts';
import { qualityOnBotResolved } from '#shared/quality/hooks.ts';

const Body = z.strictObject({ helpful: z.boolean() });

/**
 * The shopper's verdict on a bot answer: "helpful" closes the bot conversation as
 * `resolved_by_bot` (verified resolution); "not helpful" counts as a fallback.
 */
export const handler = withHttp('widget-bot-feedback', { body: Body, params: ConversationParams },
  async ({ body, caller, params, now }) => {
    const conversation = await ownConversation(caller, params.conversationId);
    if (!conversation.bot?.active) return ok({ conversation: forVisitor(conversation) });
    const next = await updateConversation(conversation.conversationId, (c) => ({
      bot: body.helpful
        ? { ...c.bot!, active: false, outcome: 'resolved_by_bot' }
        : { ...c.bot!, fallbacks: (c.bot?.fallbacks ?? 0) + 1 },
      ...(body.helpful ? { status: 'resolved' as const } : {}),
    }));
    if (!next) throw notFound('conversation');
    await countBotEvent(body.helpful ? 'resolved_by_bot' : 'not_helpful', now);
    if (body.helpful) await qualityOnBotResolved(next, now);
    return ok({ conversation: forVisitor(next) });
  },
);
