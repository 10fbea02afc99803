import * as z from 'zod/mini';
import { ConversationParams, ReadBody } from '#shared/api/chat.ts';
import { learnFromVerdict } from '#shared/bot/learning.ts';
import { newestBotAnswer, recordBotVerdict } from '#shared/bot/outcomes.ts';
import { forVisitor, ownConversation } from '#shared/chat/service.ts';
import { conflict, notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { qualityOnBotResolved } from '#shared/quality/hooks.ts';

/** `messageId`: the answer being rated (optional; the newest bot answer is the only one that can be). */
const Body = z.strictObject({ helpful: z.boolean(), messageId: z.optional(ReadBody.shape.messageId) });

/**
 * The shopper's verdict on the newest bot answer, once per answer: "helpful" closes the bot
 * conversation as `resolved_by_bot` (verified resolution); "not helpful" counts as a fallback.
 * Repeating a verdict changes nothing (`recorded: false`). A recorded verdict also teaches retrieval
 * (shared/ai/learned.ts): the answered article gains or loses weight for questions like this one.
 */
export const handler = withHttp('widget-bot-feedback', { body: Body, params: ConversationParams }, async ({ body, caller, params, now, sourceIp }) => {
  const conversation = await ownConversation(caller, params.conversationId);
  const answerId = conversation.bot ? await newestBotAnswer(conversation.conversationId) : undefined;
  if (body.messageId && answerId && body.messageId !== answerId) {
    throw conflict(
      {
        en: 'only the newest bot answer can be rated, and a newer one exists; rate that one',
        zh: '只能评价机器人最新的回答，现在已有更新的回答，请评价那一条',
      },
      { messageId: answerId },
    );
  }
  if (!conversation.bot?.active) return ok({ conversation: forVisitor(conversation), recorded: false });
  if (!answerId) throw conflict({ en: 'the bot has not answered yet; rate its answer once it arrives', zh: '机器人还没有回答，请收到回答后再评价' });
  const { conversation: next, recorded } = await recordBotVerdict(conversation.conversationId, answerId, body.helpful, now);
  if (!next) throw notFound('conversation');
  if (recorded) {
    await learnFromVerdict(
      { shopId: caller.shopId, contactId: caller.contactId, address: sourceIp || undefined },
      conversation.conversationId,
      answerId,
      body.helpful,
      now,
    );
  }
  if (recorded && body.helpful) await qualityOnBotResolved(next, now);
  return ok({ conversation: forVisitor(next), recorded });
});
