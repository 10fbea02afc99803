import * as z from 'zod/mini';
import { classify } from '#shared/ai/classifier.ts';
import { ConversationParams } from '#shared/api/chat.ts';
import { summaryText, teamFor } from '#shared/bot/responder.ts';
import { handOff } from '#shared/bot/service.ts';
import { forVisitor, ownConversation } from '#shared/chat/service.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { listMessages } from '#shared/store/conversations.ts';

const Body = z.strictObject({ locale: z.optional(z.enum(['zh-CN', 'en'])) });

/** "Talk to a human" works at any moment, whatever the bot thinks. */
export const handler = withHttp('widget-handoff', { body: Body, params: ConversationParams }, async ({ body, caller, params, now }) => {
  const conversation = await ownConversation(caller, params.conversationId);
  if (conversation.bot?.outcome === 'handed_off' || !conversation.bot) return ok({ conversation: forVisitor(conversation) });
  const thread = await listMessages(conversation.conversationId, { limit: 20, includeInternal: false });
  const said = thread.items.filter((m) => m.author.kind === 'visitor').map((m) => m.text);
  const last = said.at(-1) ?? '';
  const classification = classify(last || 'human');
  const lang = body.locale === 'en' || (!body.locale && classification.lang !== 'zh') ? 'en' : 'zh';
  // the summary in sentences, in both languages (the console shows the agent's)
  const summary = summaryText(
    {
      text: last,
      classification,
      retrieval: { hits: [], confidence: 0, margin: 0, coverage: 0, decision: 'handoff' },
      articles: {},
      state: { turns: 0, fallbacks: 0 },
      verified: caller.verified,
      orders: [],
      history: said.slice(0, -1),
    },
    'customer_request',
  );
  const text = lang === 'zh' ? '好的，正在为您转接人工客服。' : "Sure, I'm connecting you with our team.";
  const next = await handOff(
    conversation,
    { reason: 'customer_request', summary: summary['zh-CN'], summaryText: summary, team: teamFor(classification.category), priority: 'normal' },
    lang,
    text,
    now,
  );
  return ok({ conversation: forVisitor(next) });
});
