import * as z from 'zod/mini';
import { ConversationParams, ReadBody } from '#shared/api/chat.ts';
import { botMessageFor, isClarify, questionBefore } from '#shared/bot/learning.ts';
import { ownConversation } from '#shared/chat/service.ts';
import { conflict } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { recordLearning } from '#shared/kb/learning.ts';

const Body = z.strictObject({
  articleId: z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,80}$/, 'not an article id')),
  /** The bot's menu message (optional: the newest bot message otherwise). */
  messageId: z.optional(ReadBody.shape.messageId),
});

/**
 * The shopper picked an article from the bot's "did you mean…" menu: the pick teaches retrieval
 * that this article answers questions like theirs (shared/ai/learned.ts). Only an article the menu
 * offered counts; one shopper counts once per question and article, within a daily allowance.
 * `recorded` says whether the vote was kept (`false` with `reason` when it was not).
 */
export const handler = withHttp('widget-kb-pick', { body: Body, params: ConversationParams }, async ({ body, caller, params, now, sourceIp }) => {
  const conversation = await ownConversation(caller, params.conversationId);
  const { thread, message } = await botMessageFor(conversation.conversationId, body.messageId);
  if (!message || !isClarify(message)) {
    throw conflict(
      body.messageId
        ? {
            en: 'that message is not one of the bot’s recent article menus; send the id of the menu the article was picked from',
            zh: '该消息不是机器人最近发出的文章菜单，请发送选取文章所在菜单的 id',
          }
        : {
            en: 'the bot’s latest message is not an article menu; send the id of the menu the article was picked from',
            zh: '机器人的最新消息不是文章菜单，请发送选取文章所在菜单的 id',
          },
    );
  }
  if (!message.meta?.articles?.some((a) => a.id === body.articleId)) {
    throw conflict(
      { en: 'the article was not offered in that menu; pick one of its articles', zh: '该菜单中没有这篇文章，请从菜单列出的文章中选择' },
      { articles: message.meta?.articles?.map((a) => a.id) ?? [] },
    );
  }
  const query = questionBefore(thread, message.messageId);
  if (!query) return ok({ recorded: false, reason: 'no_question' });
  const outcome = await recordLearning(
    { shopId: caller.shopId, shopper: caller.contactId, address: sourceIp || undefined, query, articleId: body.articleId, verdict: 1 },
    now,
  );
  return ok(outcome === 'recorded' ? { recorded: true } : { recorded: false, reason: outcome });
});
