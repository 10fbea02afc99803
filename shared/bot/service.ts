import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { functions } from '#infra/manifest.ts';
import { openRequestsInWords } from '#shared/aftersales/store.ts';
import { classify } from '#shared/ai/classifier.ts';
import type { KbSearchResult } from '#shared/ai/kb-index.ts';
import { applyLearned } from '#shared/ai/learned.ts';
import { maxPriority } from '#shared/bot/guards.ts';
import { embeddingsProvider, type LlmSettings, runLlmTurn } from '#shared/bot/llm.ts';
import {
  AFTERSALES_TEXT,
  type BotAction,
  describeHours,
  type Handoff,
  type Lang,
  nextStepText,
  type OrderSummary,
  type QueueState,
  type ResponderInput,
  respond,
  summaryText,
} from '#shared/bot/responder.ts';
import { announce } from '#shared/chat/service.ts';
import { config } from '#shared/config.ts';
import { newId } from '#shared/ids.ts';
import { learnedEvidence } from '#shared/kb/learning.ts';
import { getArticle, loadIndex } from '#shared/kb/store.ts';
import { withEmbeddings } from '#shared/kb/vectors.ts';
import { logger } from '#shared/log.ts';
import { listContactShipments } from '#shared/logistics/store.ts';
import { shopDay } from '#shared/quality/zone.ts';
import { contactTopic, pushToTopic } from '#shared/realtime.ts';
import { isOpenAt } from '#shared/sla/calendar.ts';
import { SHOP_CALENDAR } from '#shared/sla/policy.ts';
import { getContact } from '#shared/store/contacts.ts';
import { appendMessageWithRetry, type Conversation, getConversation, getMessage, listMessages, type Message } from '#shared/store/conversations.ts';
import { keys } from '#shared/store/keys.ts';
import { getShop } from '#shared/store/shops.ts';
import { db, tableName } from '#shared/store/table.ts';
import { maskEchoes } from '#shared/text/masking.ts';
import { ticketPorts } from '#shared/tickets/adapters.ts';
import { keywordGuess } from '#shared/tickets/classify.ts';
import { conversionInput } from '#shared/tickets/convert.ts';
import { DEFAULT_SHOP_ID } from '#shared/tickets/intake.ts';
import type { Ticket } from '#shared/tickets/model.ts';
import { calendarFor, createTicket } from '#shared/tickets/service.ts';

export const BOT_NAME: Record<Lang, string> = { zh: '客服小助手', en: 'Kefu Assistant' };

/** The bot function's timeout from the manifest: the time budget of a turn run without a Lambda context. */
export const BOT_TIMEOUT_MS = (functions.find((f) => f.name === 'bot-consumer')?.timeoutSeconds ?? 30) * 1000;

/** Time left of a turn that started now and may run for the bot function's whole timeout. */
const timeLeftFromNow = (): (() => number) => {
  const started = Date.now();
  return () => BOT_TIMEOUT_MS - (Date.now() - started);
};

/** Counts a bot event on the shop day's metric item (charted by the quality dashboards). */
export async function countBotEvent(event: string, at: Date): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.metric('bot', await shopDay(at)),
      UpdateExpression: 'ADD #e :one',
      ExpressionAttributeNames: { '#e': event },
      ExpressionAttributeValues: { ':one': 1 },
    }),
  );
}

async function recentOrders(contactId: string): Promise<OrderSummary[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.contactOrdersPartition(contactId).gsi1pk },
      ScanIndexForward: false,
      Limit: 3,
    }),
  );
  return (res.Items ?? []).map((o) => ({
    orderId: o.orderId as string,
    status: o.status as string,
    amount: o.amount as number,
    currency: o.currency as string,
    placedAt: o.placedAt as string,
    statusAt: o.statusAt as string,
  }));
}

function botMessage(conversation: Conversation, lang: Lang, text: string, now: Date, meta?: Message['meta']): Message {
  return {
    messageId: newId('msg'),
    conversationId: conversation.conversationId,
    author: { kind: 'bot', name: BOT_NAME[lang] },
    text,
    internal: false,
    createdAt: now.toISOString(),
    ...(meta ? { meta } : {}),
  };
}

/**
 * Hands a conversation to the human team: records the typed hand-off on the conversation, turns
 * the bot off and tells the shopper what happens next. Used by the bot and the widget's button.
 */
export async function handOff(conversation: Conversation, handoff: Handoff, lang: Lang, text: string, now: Date): Promise<Conversation> {
  // The ticket first: what the shopper is told comes from the queue that will actually serve them.
  const ticket = await ticketForHandoff(conversation, handoff);
  const next = nextStepText(lang, await queueState(ticket, lang, now));
  const result = await appendMessageWithRetry(
    conversation,
    (c) => botMessage(c, lang, `${text}\n${next}`, now),
    (c) => ({
      status: 'open',
      bot: { active: false, turns: c.bot?.turns ?? 0, fallbacks: c.bot?.fallbacks ?? 0, outcome: 'handed_off', handoff: { ...handoff, at: now.toISOString() } },
    }),
  );
  await Promise.all([announce(result.conversation, result.message), countBotEvent(`handoff_${handoff.reason}`, now), countBotEvent('handed_off', now)]);
  logger.info('bot hand-off', { conversationId: conversation.conversationId, reason: handoff.reason, team: handoff.team, ticketId: ticket?.ticketId });
  return result.conversation;
}

/** LLM settings when a provider key is configured; undefined means the offline responder. */
function llmSettings(): LlmSettings | undefined {
  const c = config();
  if (!c.OPENAI_API_KEY) return undefined;
  return {
    apiKey: c.OPENAI_API_KEY,
    baseURL: c.OPENAI_BASE_URL,
    model: c.KEFU_LLM_MODEL,
    tokenBudget: c.KEFU_LLM_TOKEN_BUDGET,
    timeoutMs: c.KEFU_LLM_TIMEOUT_MS,
    allowedHosts: c.KEFU_ALLOWED_LINK_HOSTS.split(',')
      .map((h) => h.trim())
      .filter(Boolean),
  };
}

/**
 * A hand-off becomes a ticket on the same thread: routed by the rules (the bot's team and priority
 * are hints), assigned or queued, and its SLA clocks start now.
 */
async function ticketForHandoff(conversation: Conversation, handoff: Handoff): Promise<Ticket | undefined> {
  const ports = ticketPorts();
  if (conversation.ticketId) return (await ports.store.get(conversation.ticketId))?.ticket;
  const [thread, requester, cfg] = await Promise.all([
    listMessages(conversation.conversationId, { limit: 50, includeInternal: false }),
    ports.store.requester(conversation.contactId),
    ports.store.config(DEFAULT_SHOP_ID),
  ]);
  const input = conversionInput(
    conversation,
    thread.items,
    {
      priority: handoff.priority,
      tags: ['bot-handoff', `handoff-${handoff.reason.replace(/_/g, '-')}`],
      ...(cfg.teams.has(handoff.team) ? { team: handoff.team } : {}),
    },
    requester?.shopId,
  );
  const state = await createTicket(ports, input, { kind: 'bot', name: BOT_NAME.en });
  return state.ticket;
}

/** How many waiting tickets a team queue is read for to tell a shopper their place. */
const QUEUE_LOOKAHEAD = 100;

/**
 * Where a handed-off shopper stands: the agent who has their ticket, or its place in its team's
 * queue (most urgent, then oldest first: the order agents get them), and whether the shop is open
 * by the same calendar the SLA clocks use (`shop`, holidays included).
 */
async function queueState(ticket: Ticket | undefined, lang: Lang, now: Date): Promise<QueueState> {
  const ports = ticketPorts();
  const cfg = await ports.store.config(ticket?.shopId ?? DEFAULT_SHOP_ID);
  const calendar = calendarFor(cfg, SHOP_CALENDAR);
  const state: QueueState = { open: isOpenAt(calendar, now), hours: describeHours(calendar.days, lang) };
  if (!ticket?.team) return state;
  if (ticket.assignee) return { ...state, assignee: ticket.assignee.name };
  const waiting = await ports.store.waiting(ticket.team, QUEUE_LOOKAHEAD);
  const index = waiting.findIndex((t) => t.ticketId === ticket.ticketId);
  return index >= 0 ? { ...state, position: index + 1 } : state;
}

function restrictToLanguage(result: KbSearchResult, langOf: (id: string) => string | undefined, lang: Lang): KbSearchResult {
  const hits = result.hits.filter((h) => langOf(h.id) === lang);
  const sameTop = hits[0]?.id === result.hits[0]?.id;
  return { ...result, hits, decision: sameTop ? result.decision : result.decision === 'answer' ? 'clarify' : result.decision };
}

/** The language the shop's agents read hand-off summaries in: its first locale (en… → en, else zh). */
async function agentLanguage(): Promise<Lang> {
  const first = (await getShop(DEFAULT_SHOP_ID))?.locales[0] ?? 'zh-CN';
  return first.toLowerCase().startsWith('en') ? 'en' : 'zh';
}

/**
 * One bot turn for a shopper message (run from the bot queue): classify, retrieve, decide,
 * reply. Does nothing once an agent has taken the conversation over. `timeLeftMs` is the time the
 * function has left (the Lambda context's); the LLM's provider time is bounded by it.
 */
export async function runBotTurn(
  conversationId: string,
  messageId: string,
  now = new Date(),
  timeLeftMs: () => number = timeLeftFromNow(),
): Promise<BotAction['kind'] | 'skipped'> {
  const conversation = await getConversation(conversationId);
  const message = await getMessage(conversationId, messageId);
  if (!conversation?.bot?.active || !message || message.author.kind !== 'visitor' || !message.text) return 'skipped';
  const contact = await getContact(conversation.contactId);
  const classification = classify(message.text);
  const lang: Lang = classification.lang === 'zh' ? 'zh' : 'en';
  const loaded = await loadIndex(now.getTime());
  const lexical: KbSearchResult = loaded
    ? restrictToLanguage(loaded.index.searchDetailed(message.text, { top: 8 }), (id) => loaded.meta[id]?.lang, lang)
    : { hits: [], confidence: 0, margin: 0, coverage: 0, decision: 'handoff' };
  // LLM mode with KEFU_EMBEDDINGS_MODEL: semantic similarity fused with the lexical ranking (lexical on any failure).
  const ranked = await withEmbeddings(lexical, message.text, loaded, lang, embeddingsProvider(timeLeftMs), conversationId);
  // Learning from use: what shoppers picked from menus or marked (not) helpful for questions like this one.
  const learned =
    ranked.hits.length > 0
      ? await learnedEvidence(contact?.shopId ?? DEFAULT_SHOP_ID, message.text, now).catch((error: Error) => {
          logger.warn('learned evidence unavailable', { conversationId, error: error.message });
          return new Map<string, number>();
        })
      : new Map<string, number>();
  const retrieval = applyLearned(ranked, learned);
  if ('learned' in retrieval && retrieval.learned) logger.info('learned retrieval', { conversationId, ...retrieval.learned, decision: retrieval.decision });
  const candidates = retrieval.hits.slice(0, 3);
  const articles = Object.fromEntries(
    (await Promise.all(candidates.map((h) => getArticle(h.id))))
      .filter((a) => a !== undefined)
      .map((a) => [a.articleId, { title: a.title, body: a.body, lang: a.lang }]),
  );
  // A verified shopper's open after-sales requests, read only when they ask about one (售后 intent).
  const asksAftersales = contact?.verified === true && AFTERSALES_TEXT.test(message.text);
  const [orders, shipments, thread, aftersales] = await Promise.all([
    contact?.verified ? recentOrders(contact.contactId) : Promise.resolve([]),
    contact?.verified ? listContactShipments(contact.contactId, 3) : Promise.resolve([]),
    listMessages(conversationId, { limit: 10, includeInternal: false, before: messageId }),
    asksAftersales && contact ? openRequestsInWords(contact.contactId) : Promise.resolve([]),
  ]);
  const llm = llmSettings();
  const responderInput: ResponderInput = {
    text: message.text,
    classification,
    retrieval: { ...retrieval, hits: candidates },
    articles,
    state: { turns: conversation.bot.turns, fallbacks: conversation.bot.fallbacks },
    tier: (contact as { tierId?: string } | undefined)?.tierId,
    verified: contact?.verified ?? false,
    orders,
    shipments,
    aftersales,
    history: thread.items.filter((m) => m.author.kind === 'visitor').map((m) => m.text),
    agentLang: await agentLanguage(),
  };
  const deterministic = respond(responderInput);
  let action: BotAction = deterministic;
  let tokens = 0;
  if (llm && !(deterministic.kind === 'handoff' && ['customer_request', 'sensitive_topic', 'budget_exhausted'].includes(deterministic.handoff.reason))) {
    const streamId = newId('stm');
    // The rules' priority for this message (the ticket classifier's urgency cues, the responder's
    // VIP and sensitive-topic rules): the model's own priority is only a hint capped against it.
    const rulesPriority = maxPriority(keywordGuess(message.text).priority, deterministic.kind === 'handoff' ? deterministic.handoff.priority : 'normal');
    const outcome = await runLlmTurn(
      llm,
      {
        lang,
        category: classification.category,
        text: message.text,
        history: thread.items.map((m) => ({ role: m.author.kind === 'visitor' ? ('user' as const) : ('assistant' as const), content: m.text })),
        articles: Object.entries(articles).map(([id, a]) => ({ id, title: a.title, body: a.body })),
        orders,
        shipments,
        verified: contact?.verified ?? false,
        tokensUsed: conversation.bot.tokens ?? 0,
        turns: conversation.bot.turns,
        priority: rulesPriority,
      },
      (delta) => pushToTopic(contactTopic(conversation.contactId), { type: 'bot_delta', conversationId, streamId, delta }).then(() => undefined),
      timeLeftMs,
    );
    action = outcome.action;
    tokens = outcome.tokens;
    if (outcome.providerError) {
      logger.warn('llm provider error', { conversationId, error: outcome.providerError });
      await countBotEvent('provider_error', now);
    }
    if (outcome.blocked) {
      logger.warn('llm output withheld', { conversationId, problem: outcome.blocked });
      await countBotEvent('output_blocked', now);
    }
    if (outcome.ticket) logger.info('bot requested a ticket', { conversationId });
  }
  // The bot never repeats a phone, card or ID number, email or address the shopper typed (privacy).
  action = { ...action, text: maskEchoes(action.text, [message.text, ...responderInput.history]) };
  if (action.kind === 'handoff') {
    let handoff = action.handoff;
    if (!handoff.summaryText) {
      // The model's hand-off: the agent still gets the rules' summary in sentences, with the model's note last.
      const both = summaryText(responderInput, handoff.reason, [], handoff.summary);
      handoff = { ...handoff, summary: responderInput.agentLang === 'en' ? both.en : both['zh-CN'], summaryText: both };
    }
    await handOff(conversation, handoff, lang, action.text, now);
    return action.kind;
  }
  const meta: Message['meta'] =
    action.kind === 'answer'
      ? { articles: action.articles, actions: ['helpful', 'not_helpful', 'human'] }
      : action.kind === 'clarify'
        ? { articles: action.articles, actions: ['human'] }
        : action.kind === 'greet'
          ? undefined
          : { actions: ['human'] };
  const result = await appendMessageWithRetry(
    conversation,
    (c) => botMessage(c, lang, action.text, now, meta),
    (c) => ({
      bot: {
        ...c.bot!,
        turns: (c.bot?.turns ?? 0) + 1,
        fallbacks: action.kind === 'clarify' ? (c.bot?.fallbacks ?? 0) + 1 : action.kind === 'greet' ? (c.bot?.fallbacks ?? 0) : 0,
        tokens: (c.bot?.tokens ?? 0) + tokens,
      },
    }),
  );
  await Promise.all([announce(result.conversation, result.message), countBotEvent(action.kind, now)]);
  return action.kind;
}
