/**
 * The built-in (offline) responder: decides, from the classifier and knowledge-base retrieval,
 * whether the bot answers, asks a clarifying question, looks up an order, or hands off to a
 * human with a typed action. Pure: every input arrives as an argument.
 */
import type { Classification } from '#shared/ai/classifier.ts';
import type { KbSearchResult } from '#shared/ai/kb-index.ts';

export type Lang = 'zh' | 'en';

export type HandoffReason =
  | 'customer_request'
  | 'low_confidence'
  | 'negative_sentiment'
  | 'sensitive_topic'
  | 'vip'
  | 'budget_exhausted'
  | 'provider_error';

/** A hand-off is a typed action, never a magic string in the model's text. */
export interface Handoff {
  reason: HandoffReason;
  summary: string;
  team: string;
  priority: 'low' | 'normal' | 'high' | 'urgent';
}

export interface ArticleRef {
  id: string;
  title: string;
}

export type BotAction =
  | { kind: 'answer'; text: string; articles: ArticleRef[] }
  | { kind: 'clarify'; text: string; articles: ArticleRef[] }
  | { kind: 'order_status'; text: string }
  | { kind: 'greet'; text: string }
  | { kind: 'handoff'; handoff: Handoff; text: string };

export interface BotState {
  /** Bot turns so far in this conversation. */
  turns: number;
  /** Consecutive turns the bot could not answer confidently. */
  fallbacks: number;
}

export interface OrderSummary {
  orderId: string;
  status: string;
  amount: number;
  currency: string;
  placedAt: string;
  statusAt: string;
}

export interface ResponderInput {
  text: string;
  classification: Classification;
  /** Retrieval over the published articles, already restricted to the visitor's language where possible. */
  retrieval: KbSearchResult;
  articles: Record<string, { title: string; body: string; lang: Lang }>;
  state: BotState;
  /** The verified shopper's tier id (undefined for anonymous visitors). */
  tier?: string;
  verified: boolean;
  /** The authenticated shopper's own recent orders, newest first (never looked up by ids in the text). */
  orders: OrderSummary[];
  /** Earlier visitor messages of this conversation, oldest first (for the hand-off summary). */
  history: string[];
}

export const BOT_LIMITS = { maxTurns: 8, fallbacksBeforeHandoff: 2 };
const VIP_TIERS = new Set(['gold', 'platinum']);

const SENSITIVE =
  /\b(lawyer|attorney|sue|lawsuit|legal action|court|consumer (?:association|protection)|chargeback|dispute|fraud|scam)\b|律师|起诉|法院|诉讼|12315|消协|消费者协会|投诉|欺诈|骗子|拒付/i;
/** A bare greeting (no question in it) gets a greeting back, not a search. */
const GREETING = /^(?:hi|hello|hey|good (?:morning|afternoon|evening)|你好|您好|在吗|在不在|哈喽|嗨|hi there)[\s!！。.,，?？~～]*$/i;
const ORDER_INTENTS = new Set(['track_order', 'delivery_period', 'place_order', 'change_order']);

/** Which team takes a hand-off, from the message category. */
export function teamFor(category: string): string {
  if (['PAYMENT', 'REFUND', 'INVOICE', 'CANCELLATION_FEE'].includes(category)) return 'billing';
  if (['DELIVERY', 'SHIPPING_ADDRESS', 'ORDER'].includes(category)) return 'logistics';
  return 'general';
}

const T = {
  greet: {
    zh: '您好！我是客服小助手，可以帮您查询订单物流、退换货、支付发票、会员积分等问题。请问有什么可以帮您？',
    en: "Hi! I'm the shop's assistant. I can help with orders and delivery, returns, payments and invoices, membership and points. What can I do for you?",
  },
  handoff: {
    zh: '好的，我这就为您转接人工客服，稍等片刻。我已把您的问题整理给同事，无需重复描述。',
    en: "Sure, I'm connecting you with a member of our team. I've passed on a summary, so you won't need to repeat yourself.",
  },
  clarify: { zh: '我想确认一下，您想了解的是以下哪一项？', en: 'Just to be sure I understand, do you mean one of these?' },
  clarifyHuman: { zh: '如果都不是，可以点击“转人工”。', en: 'If none of these fit, tap “Talk to a human”.' },
  readMore: { zh: '详情：', en: 'Read more: ' },
  helpful: { zh: '这个回答解决您的问题了吗？', en: 'Did this answer your question?' },
  loginForOrders: {
    zh: '登录商城账号后，我可以直接为您查询订单状态。',
    en: 'If you log in to your shop account, I can look up your order status for you.',
  },
  noOrders: { zh: '您的账号下暂时没有查到订单。', en: "I couldn't find any orders on your account yet." },
  orderLine: {
    zh: (o: OrderSummary) => `订单 ${o.orderId}：${STATUS_ZH[o.status] ?? o.status}（更新于 ${o.statusAt.slice(0, 10)}），金额 ${o.amount} ${o.currency}`,
    en: (o: OrderSummary) => `Order ${o.orderId}: ${o.status} (updated ${o.statusAt.slice(0, 10)}), ${o.amount} ${o.currency}`,
  },
  ordersIntro: { zh: '这是您最近的订单：', en: 'Here are your latest orders:' },
};
const STATUS_ZH: Record<string, string> = { created: '已下单', paid: '已付款', shipped: '已发货', delivered: '已签收', refunded: '已退款' };

/** The first paragraph and bullet points of an article, trimmed for a chat bubble. */
export function excerpt(body: string, max = 420): string {
  const lines = body
    .split('\n')
    .map((l) => l.replace(/^#+\s*/, '').replace(/\*\*/g, '').trim())
    .filter(Boolean);
  let out = '';
  for (const line of lines) {
    if (out.length + line.length + 1 > max) break;
    out += (out ? '\n' : '') + line;
  }
  return out || body.slice(0, max);
}

/** The bot's summary for the agent: language, topic, what the shopper said, what the bot tried. */
export function summarize(input: ResponderInput, reason: HandoffReason): string {
  const said = [...input.history, input.text].slice(-3).map((t) => (t.length > 160 ? `${t.slice(0, 159)}…` : t));
  const tried = input.retrieval.hits[0] ? input.articles[input.retrieval.hits[0].id]?.title : undefined;
  return [
    `reason: ${reason}`,
    `lang: ${input.classification.lang}; category: ${input.classification.category}; intent: ${input.classification.intent}; sentiment: ${input.classification.sentiment}`,
    `customer said: ${said.map((s) => `“${s}”`).join(' / ')}`,
    tried ? `bot's best article: ${tried}` : 'bot found no matching article',
    input.verified ? `verified shopper${input.tier ? `, tier ${input.tier}` : ''}` : 'anonymous visitor',
  ].join('\n');
}

function handoff(input: ResponderInput, lang: Lang, reason: HandoffReason, priority: Handoff['priority']): BotAction {
  return {
    kind: 'handoff',
    handoff: { reason, summary: summarize(input, reason), team: teamFor(input.classification.category), priority },
    text: T.handoff[lang],
  };
}

/** Decides the bot's next action for one shopper message. */
export function respond(input: ResponderInput): BotAction {
  const c = input.classification;
  const lang: Lang = c.lang === 'zh' ? 'zh' : 'en';
  const vip = input.tier !== undefined && VIP_TIERS.has(input.tier.toLowerCase());
  if (c.handoff && c.intent !== 'complaint') return handoff(input, lang, 'customer_request', vip ? 'high' : 'normal');
  if (c.intent === 'complaint' || SENSITIVE.test(input.text)) return handoff(input, lang, 'sensitive_topic', 'high');
  if (c.sentiment === 'negative' && (input.state.fallbacks > 0 || /[!！]{2,}|\b(angry|furious|terrible|worst|unacceptable)\b|太差|气死|垃圾|无语/i.test(input.text))) {
    return handoff(input, lang, 'negative_sentiment', vip ? 'high' : 'normal');
  }
  if (input.state.turns >= BOT_LIMITS.maxTurns) return handoff(input, lang, 'budget_exhausted', 'normal');

  if (GREETING.test(input.text.trim())) return { kind: 'greet', text: T.greet[lang] };

  if (ORDER_INTENTS.has(c.intent) && /order|package|parcel|track|where|订单|包裹|快递|物流|到哪/i.test(input.text)) {
    if (!input.verified) return { kind: 'order_status', text: T.loginForOrders[lang] };
    if (input.orders.length === 0) return { kind: 'order_status', text: T.noOrders[lang] };
    return {
      kind: 'order_status',
      text: [T.ordersIntro[lang], ...input.orders.slice(0, 3).map((o) => `• ${T.orderLine[lang](o)}`)].join('\n'),
    };
  }

  const hits = input.retrieval.hits.filter((h) => input.articles[h.id]);
  const top = hits[0] ? input.articles[hits[0].id] : undefined;
  if (top && input.retrieval.decision === 'answer') {
    return {
      kind: 'answer',
      text: `${top.title}\n${excerpt(top.body)}\n\n${T.helpful[lang]}`,
      articles: [{ id: hits[0]!.id, title: top.title }],
    };
  }
  const lowConfidence = input.state.fallbacks + 1 >= BOT_LIMITS.fallbacksBeforeHandoff || vip;
  if (lowConfidence) return handoff(input, lang, vip ? 'vip' : 'low_confidence', vip ? 'high' : 'normal');
  const options = hits.slice(0, 3).map((h) => ({ id: h.id, title: input.articles[h.id]!.title }));
  if (options.length === 0) return handoff(input, lang, 'low_confidence', 'normal');
  return {
    kind: 'clarify',
    text: `${T.clarify[lang]}\n${options.map((o, i) => `${i + 1}. ${o.title}`).join('\n')}\n${T.clarifyHuman[lang]}`,
    articles: options,
  };
}

/** What the shopper is told after a hand-off: their place in the queue, or when the team is back. */
export function nextStepText(lang: Lang, queue: { open: boolean; agentsOnline: number; position: number }): string {
  if (queue.open && queue.agentsOnline > 0) {
    return lang === 'zh'
      ? `您目前排在第 ${queue.position} 位，客服会尽快回复您。`
      : `You are number ${queue.position} in the queue; an agent will reply shortly.`;
  }
  return lang === 'zh'
    ? '现在是非工作时间（工作时间：周一至周五 09:00–18:00）。您的问题已记录，客服上班后会第一时间回复您。'
    : "We're outside business hours right now (Mon–Fri 09:00–18:00). Your question is recorded and the team will reply first thing when they're back.";
}
