/**
 * The built-in (offline) responder: decides, from the classifier and knowledge-base retrieval,
 * whether the bot answers, asks a clarifying question, looks up an order, or hands off to a
 * human with a typed action. Pure: every input arrives as an argument.
 */
import { type Classification, HANDOFF_MIN_CONFIDENCE } from '#shared/ai/classifier.ts';
import type { KbSearchResult } from '#shared/ai/kb-index.ts';
import { relevantPassage } from '#shared/ai/passage.ts';
import { anger } from '#shared/ai/sentiment.ts';
import { lineText, type ShipmentRecord, STATUS_TEXT } from '#shared/logistics/trace.ts';

export type Lang = 'zh' | 'en';

export type HandoffReason = 'customer_request' | 'low_confidence' | 'negative_sentiment' | 'sensitive_topic' | 'vip' | 'budget_exhausted' | 'provider_error';

/** A hand-off is a typed action, never a magic string in the model's text. */
export interface Handoff {
  reason: HandoffReason;
  /** For the agent, in sentences, in the shop's agent language (the shop's first locale). */
  summary: string;
  /** The same summary in both languages: the console shows the reader's (`pickText`). */
  summaryText?: HandoffSummaryText;
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
  /** The authenticated shopper's own shipments, newest first (carrier, tracking number, latest trace step). */
  shipments?: ShipmentSummary[];
  /** The verified shopper's open after-sales requests, newest first, their state in words (docs/aftersales.md). */
  aftersales?: { orderId: string; text: { zh: string; en: string } }[];
  /** Earlier visitor messages of this conversation, oldest first (for the hand-off summary). */
  history: string[];
  /**
   * The language the shop's agents read the hand-off summary in (the shop's first locale);
   * Chinese when not given, the platform's default for shops.
   */
  agentLang?: Lang;
}

/** What the bot may say about a shipment (the trace step is redacted when it is put in words). */
export type ShipmentSummary = Pick<ShipmentRecord, 'orderId' | 'trackingNumber' | 'carrier' | 'status' | 'latest'>;

export const BOT_LIMITS = { maxTurns: 8, fallbacksBeforeHandoff: 2 };
const VIP_TIERS = new Set(['gold', 'platinum']);

const SENSITIVE =
  /\b(?:lawyer|attorney|sue|lawsuit|legal action|court|consumer (?:association|protection)|chargeback|dispute|fraud|scam)\b|律师|起诉|法院|诉讼|12315|消协|消费者协会|投诉|欺诈|骗子|拒付|报警|工商局|市场监管/i;
/** After an unhelpful turn: the shopper says the bot is not helping (not: the product disappoints). */
const BOT_UNHELPFUL =
  /没用|答非所问|听不懂|看不懂你|不是这个|都不是|没解决|没有解决|解决不了|机器人|人呢|不是我要的|不是我问的|\b(?:useless|not helpful|unhelpful|(?:does|did) ?n[o']t help|not what i (?:asked|meant)|none of (?:these|those|them)|you (?:do ?n[o']t|don't) understand|stupid bot|bot)\b/i;
/** A bare greeting (no question in it) gets a greeting back, not a search: "hi", "亲，在吗？". */
const GREETING =
  /^(?:(?:hi|hello|hey|good (?:morning|afternoon|evening)|hi there|你好|您好|亲亲?|亲爱的|在吗|在不在|在么|在嘛|哈喽|嗨|有人吗|有人在吗)[\s!！。.,，?？~～]*)+$/i;
const ORDER_INTENTS = new Set(['track_order', 'delivery_period', 'place_order', 'change_order']);
const ORDER_TEXT = /order|package|parcel|track|where|订单|包裹|快递|物流|到哪/i;
/** Refund questions ("退款到哪了") are not parcel questions. */
const REFUND_TEXT = /退款|退钱|退货|\brefund/i;
/** 售后: 我要退货 / 怎么换货 / 退款到哪了 / return or exchange an item / where is my refund. */
export const AFTERSALES_TEXT = /退货|换货|退款|退钱|售后|\b(?:return|exchange|refund)(?:s|ed|ing)?\b/i;
/** Where is my parcel / when will it arrive (快递到哪了, 什么时候到, 物流信息, where is my parcel). */
const PARCEL_TEXT =
  /到哪|在哪了|什么时候到|啥时候到|几时到|多久(?:能|才)?到|何时到|怎么还没到|还没(?:收|送)到|物流(?:信息|进度|状态|到哪)|查(?:一下|下)?(?:快递|物流|包裹)|快递单号|运单|\bwhere(?:'s| is| are) (?:my|the) (?:parcel|package|delivery|shipment)\b|\btrack(?:ing)? (?:my )?(?:parcel|package|shipment)\b|\bwhen (?:will|does|do) (?:my|the) (?:parcel|package|order|delivery|shipment) (?:arrive|come|get here)\b|\bwhen will (?:it|they) arrive\b/i;

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
  loginForParcels: {
    zh: '登录商城账号后，我可以为您查询包裹的最新物流。',
    en: 'If you log in to your shop account, I can look up where your parcel is.',
  },
  parcelIntro: { zh: '这是您最近的包裹：', en: 'Here is your latest parcel:' },
  aftersalesIntro: { zh: '您的售后申请进度：', en: 'Where your after-sales requests are:' },
  aftersalesStart: {
    zh: '在客服窗口首页点击「申请售后」，选择订单、原因并上传照片，即可申请退货、换货或退款。',
    en: 'Tap “Request a return” on the chat window’s home page, pick the order and the reason and add photos to ask for a return, exchange or refund.',
  },
  aftersalesLogin: {
    zh: '登录商城账号后，在客服窗口首页点击「申请售后」即可申请退货、换货或退款，我也能为您查询进度。',
    en: 'Log in to your shop account, then tap “Request a return” on the chat window’s home page to ask for a return, exchange or refund; I can then tell you how it is going.',
  },
  parcelHead: {
    zh: (s: ShipmentSummary) => `${s.carrier ?? '快递'}，运单号 ${s.trackingNumber}（订单 ${s.orderId}），状态：${STATUS_TEXT[s.status].zh}`,
    en: (s: ShipmentSummary) =>
      `${s.carrier ?? 'Carrier unknown'}, tracking number ${s.trackingNumber} (order ${s.orderId}), status: ${STATUS_TEXT[s.status].en}`,
  },
  parcelLatest: { zh: '最新物流：', en: 'Latest update: ' },
  parcelOthers: { zh: '其他包裹：', en: 'Other parcels:' },
  noParcel: {
    zh: '暂时还没有查到您的包裹物流信息。需要人工帮您查询的话，请点击“转人工”。',
    en: "I couldn't find any tracking for your parcels yet. If you'd like a person to check, tap “Talk to a human”.",
  },
};

/** The shopper's parcels in words: the newest with its latest (redacted) trace step, then up to two more in short. */
function parcelsText(shipments: readonly ShipmentSummary[], lang: Lang): string {
  const [first, ...rest] = shipments;
  if (!first) return T.noParcel[lang];
  const lines = [T.parcelIntro[lang], T.parcelHead[lang](first), `${T.parcelLatest[lang]}${lineText(first.latest, lang)}`];
  if (rest.length > 0) lines.push(T.parcelOthers[lang], ...rest.slice(0, 2).map((s) => `• ${T.parcelHead[lang](s)}`));
  return lines.join('\n');
}
const STATUS_ZH: Record<string, string> = { created: '已下单', paid: '已付款', shipped: '已发货', delivered: '已签收', refunded: '已退款' };

/** The first paragraph and bullet points of an article, trimmed for a chat bubble. */
export function excerpt(body: string, max = 420): string {
  const lines = body
    .split('\n')
    .map((l) =>
      l
        .replace(/^#+\s*/, '')
        .replace(/\*\*/g, '')
        .trim(),
    )
    .filter(Boolean);
  let out = '';
  for (const line of lines) {
    if (out.length + line.length + 1 > max) break;
    out += (out ? '\n' : '') + line;
  }
  return out || body.slice(0, max);
}

const CATEGORY_LABEL: Record<string, { zh: string; en: string }> = {
  ACCOUNT: { zh: '账户', en: 'account' },
  CANCELLATION_FEE: { zh: '取消费用', en: 'cancellation fees' },
  CONTACT: { zh: '联系客服', en: 'contacting the shop' },
  DELIVERY: { zh: '配送', en: 'delivery' },
  FEEDBACK: { zh: '反馈与投诉', en: 'feedback and complaints' },
  INVOICE: { zh: '发票', en: 'invoices' },
  NEWSLETTER: { zh: '订阅消息', en: 'newsletter' },
  ORDER: { zh: '订单', en: 'orders' },
  PAYMENT: { zh: '支付', en: 'payment' },
  REFUND: { zh: '退款', en: 'refunds' },
  SHIPPING_ADDRESS: { zh: '收货地址', en: 'shipping address' },
  PRODUCT: { zh: '商品咨询', en: 'product questions' },
  OTHER: { zh: '其他', en: 'other matters' },
};

const INTENT_LABEL: Record<string, { zh: string; en: string }> = {
  create_account: { zh: '注册账户', en: 'creating an account' },
  delete_account: { zh: '注销账户', en: 'deleting the account' },
  edit_account: { zh: '修改账户信息', en: 'editing the account' },
  recover_password: { zh: '找回密码', en: 'recovering the password' },
  registration_problems: { zh: '注册或登录问题', en: 'registration or login problems' },
  switch_account: { zh: '切换账户', en: 'switching accounts' },
  check_cancellation_fee: { zh: '查询取消费用', en: 'checking a cancellation fee' },
  contact_customer_service: { zh: '联系客服', en: 'contacting customer service' },
  contact_human_agent: { zh: '转人工', en: 'talking to a person' },
  delivery_options: { zh: '配送方式', en: 'delivery options' },
  delivery_period: { zh: '配送时效', en: 'delivery times' },
  complaint: { zh: '投诉', en: 'a complaint' },
  review: { zh: '评价反馈', en: 'a review' },
  check_invoice: { zh: '查询发票', en: 'checking an invoice' },
  get_invoice: { zh: '开具发票', en: 'getting an invoice' },
  newsletter_subscription: { zh: '订阅或退订消息', en: 'the newsletter' },
  cancel_order: { zh: '取消订单', en: 'cancelling an order' },
  change_order: { zh: '修改订单', en: 'changing an order' },
  place_order: { zh: '下单', en: 'placing an order' },
  track_order: { zh: '查询物流', en: 'tracking an order' },
  check_payment_methods: { zh: '支付方式', en: 'payment methods' },
  payment_issue: { zh: '支付问题', en: 'a payment problem' },
  check_refund_policy: { zh: '退货退款政策', en: 'the refund policy' },
  get_refund: { zh: '申请退款', en: 'getting a refund' },
  track_refund: { zh: '查询退款进度', en: 'tracking a refund' },
  change_shipping_address: { zh: '修改收货地址', en: 'changing the shipping address' },
  set_up_shipping_address: { zh: '设置收货地址', en: 'setting up a shipping address' },
  product_info: { zh: '商品信息', en: 'product information' },
  other: { zh: '其他', en: 'something else' },
};

const SENTIMENT_LABEL = {
  positive: { zh: '正面', en: 'positive' },
  neutral: { zh: '平静', en: 'calm' },
  negative: { zh: '不满', en: 'unhappy' },
} as const;

const REASON_SENTENCE: Record<HandoffReason, { zh: string; en: string }> = {
  customer_request: { zh: '顾客要求转人工客服。', en: 'The shopper asked to talk to a person.' },
  sensitive_topic: {
    zh: '顾客提到投诉、法律或欺诈等敏感事项，请优先处理。',
    en: 'The shopper raised a complaint, legal or fraud matter; please handle it first.',
  },
  negative_sentiment: { zh: '顾客情绪激动，机器人已停止自动回复。', en: 'The shopper is upset, so the bot stopped answering.' },
  low_confidence: {
    zh: '机器人连续两次没能确定顾客的问题。',
    en: 'The bot could not work out the question twice in a row.',
  },
  vip: {
    zh: '高等级会员的问题机器人没能确定，已直接转人工。',
    en: 'A high-tier member asked something the bot was unsure about, so it went straight to a person.',
  },
  budget_exhausted: { zh: '对话已达到机器人的回复次数上限。', en: 'The conversation used up the bot’s turn limit.' },
  provider_error: { zh: 'AI 服务出错，机器人无法继续回复。', en: 'The AI provider failed, so the bot could not go on.' },
};

const LANG_NAME = { zh: { zh: '中文', en: '英文' }, en: { zh: 'Chinese', en: 'English' } } as const;

/**
 * The bot's hand-off summary for the agent, in the agent's language and in sentences: why it
 * handed off, what the question is about and the shopper's mood, what they said (verbatim, the
 * last three messages), what the bot tried, and who the shopper is.
 */
export function summarize(input: ResponderInput, reason: HandoffReason, detail: string[] = []): string {
  const to: Lang = input.agentLang ?? 'zh';
  const c = input.classification;
  const shopperLang: Lang = c.lang === 'zh' ? 'zh' : 'en';
  const said = [...input.history, input.text].slice(-3).map((t) => (t.length > 160 ? `${t.slice(0, 159)}…` : t));
  const tried = input.retrieval.hits[0] ? input.articles[input.retrieval.hits[0].id]?.title : undefined;
  const category = CATEGORY_LABEL[c.category]?.[to] ?? c.category;
  const intent = INTENT_LABEL[c.intent]?.[to] ?? c.intent;
  const mood = SENTIMENT_LABEL[c.sentiment][to];
  const tier = input.tier?.toLowerCase();
  if (to === 'zh') {
    return [
      REASON_SENTENCE[reason].zh + (detail.length > 0 ? `（${detail.map((d) => `“${d}”`).join('、')}）` : ''),
      `顾客用${LANG_NAME.zh[shopperLang]}咨询，问题属于“${category}”（${intent}），情绪${mood}。`,
      `顾客说：${said.map((t) => `“${t}”`).join('；')}。`,
      tried ? `机器人推荐过《${tried}》，没有解决问题。` : '机器人没有找到相关的帮助文章。',
      input.verified ? `顾客已验证身份${tier ? `，会员等级：${TIER_ZH[tier] ?? input.tier}` : ''}。` : '顾客未登录，是匿名访客。',
    ].join('\n');
  }
  return [
    REASON_SENTENCE[reason].en + (detail.length > 0 ? ` (${detail.map((d) => `“${d}”`).join(', ')})` : ''),
    `They wrote in ${LANG_NAME.en[shopperLang]} about ${category} (${intent}) and sound ${mood}.`,
    `They said: ${said.map((t) => `“${t}”`).join(' / ')}.`,
    tried ? `The bot suggested “${tried}”, which did not resolve it.` : 'The bot found no matching help article.',
    input.verified ? `The shopper is verified${tier ? `, tier ${input.tier}` : ''}.` : 'The shopper is an anonymous visitor (not logged in).',
  ].join('\n');
}
const TIER_ZH: Record<string, string> = { bronze: '青铜', silver: '白银', gold: '黄金', platinum: '铂金' };

/** A hand-off summary in both console languages. */
export type HandoffSummaryText = { 'zh-CN': string; en: string };

/**
 * The hand-off summary in both languages (sentences, see summarize); `note` is added as a last
 * sentence in each (the AI model's own summary, quoted as written).
 */
export function summaryText(input: ResponderInput, reason: HandoffReason, detail: string[] = [], note?: string): HandoffSummaryText {
  const clipped = note && note.trim() !== '' ? (note.length > 400 ? `${note.slice(0, 399)}…` : note.trim()) : undefined;
  return {
    'zh-CN': summarize({ ...input, agentLang: 'zh' }, reason, detail) + (clipped ? `\nAI 助手的小结：“${clipped}”` : ''),
    en: summarize({ ...input, agentLang: 'en' }, reason, detail) + (clipped ? `\nThe AI assistant’s note: “${clipped}”` : ''),
  };
}

function handoff(input: ResponderInput, lang: Lang, reason: HandoffReason, priority: Handoff['priority'], detail: string[] = []): BotAction {
  const both = summaryText(input, reason, detail);
  return {
    kind: 'handoff',
    handoff: { reason, summary: input.agentLang === 'en' ? both.en : both['zh-CN'], summaryText: both, team: teamFor(input.classification.category), priority },
    text: T.handoff[lang],
  };
}

/**
 * An answer: the article's title, the passage of it that matches the question, and the article
 * itself in `articles` (the widget shows it as a link chip that opens the full article).
 */
function answer(top: { id: string; title: string; body: string }, question: string, lang: Lang, note?: string): BotAction {
  return {
    kind: 'answer',
    text: `${top.title}\n${relevantPassage(top.body, question)}${note ? `\n${note}` : ''}\n\n${T.helpful[lang]}`,
    articles: [{ id: top.id, title: top.title }],
  };
}

/** Decides the bot's next action for one shopper message. */
export function respond(input: ResponderInput): BotAction {
  const c = input.classification;
  const lang: Lang = c.lang === 'zh' ? 'zh' : 'en';
  const vip = input.tier !== undefined && VIP_TIERS.has(input.tier.toLowerCase());
  if (c.handoff && c.intent !== 'complaint') return handoff(input, lang, 'customer_request', vip ? 'high' : 'normal');
  const sensitive = input.text.match(SENSITIVE);
  if ((c.intent === 'complaint' && c.confidence >= HANDOFF_MIN_CONFIDENCE) || sensitive) {
    return handoff(input, lang, 'sensitive_topic', 'high', sensitive ? [sensitive[0]] : []);
  }
  // Anger, threats and repeated chasing hand off; dissatisfaction with a product ("不喜欢",
  // "质量不太好") does not: that shopper wants the return policy, which the bot can give.
  const mad = anger(input.text, input.history);
  if (mad.angry) return handoff(input, lang, 'negative_sentiment', vip ? 'high' : 'normal', mad.markers);
  if (c.sentiment === 'negative' && input.state.fallbacks > 0 && BOT_UNHELPFUL.test(input.text)) {
    return handoff(input, lang, 'negative_sentiment', vip ? 'high' : 'normal');
  }
  if (input.state.turns >= BOT_LIMITS.maxTurns) return handoff(input, lang, 'budget_exhausted', 'normal');

  if (GREETING.test(input.text.trim())) return { kind: 'greet', text: T.greet[lang] };

  const hits = input.retrieval.hits.filter((h) => input.articles[h.id]);
  const topHit = hits[0];
  const top = topHit ? { id: topHit.id, ...input.articles[topHit.id]! } : undefined;
  const confident = top !== undefined && input.retrieval.decision === 'answer';

  // "我的快递到哪了": the signed-in shopper's own parcels with the latest trace step; nothing found → say so and offer a person.
  const parcel = PARCEL_TEXT.test(input.text) && !REFUND_TEXT.test(input.text);
  if (parcel && input.verified) {
    if ((input.shipments ?? []).length > 0) return { kind: 'order_status', text: parcelsText(input.shipments ?? [], lang) };
    if (input.orders.length === 0) return { kind: 'order_status', text: T.noParcel[lang] };
    return {
      kind: 'order_status',
      text: [T.ordersIntro[lang], ...input.orders.slice(0, 3).map((o) => `• ${T.orderLine[lang](o)}`), T.noParcel[lang]].join('\n'),
    };
  }
  if (parcel) {
    if (confident) return answer(top, input.text, lang, T.loginForParcels[lang]);
    return { kind: 'order_status', text: T.loginForParcels[lang] };
  }

  // "我要退货 / 怎么换货 / 退款到哪了": the shopper's open request in words, else the way to the widget's 申请售后 entry.
  if (AFTERSALES_TEXT.test(input.text)) {
    const open = input.verified ? (input.aftersales ?? []) : [];
    if (open.length > 0) return { kind: 'order_status', text: [T.aftersalesIntro[lang], ...open.slice(0, 3).map((r) => `• ${r.text[lang]}`)].join('\n') };
    const pointer = input.verified ? T.aftersalesStart[lang] : T.aftersalesLogin[lang];
    return confident ? answer(top, input.text, lang, pointer) : { kind: 'order_status', text: pointer };
  }

  if (ORDER_INTENTS.has(c.intent) && ORDER_TEXT.test(input.text)) {
    if (input.verified && (input.shipments ?? []).length > 0 && /where|track|到哪|快递|物流|包裹/i.test(input.text)) {
      return { kind: 'order_status', text: parcelsText(input.shipments ?? [], lang) };
    }
    if (input.verified && input.orders.length > 0) {
      return {
        kind: 'order_status',
        text: [T.ordersIntro[lang], ...input.orders.slice(0, 3).map((o) => `• ${T.orderLine[lang](o)}`)].join('\n'),
      };
    }
    // "How do I track a parcel?" from someone we cannot look up: the help article answers it.
    const note = input.verified ? T.noOrders[lang] : T.loginForOrders[lang];
    if (confident) return answer(top, input.text, lang, note);
    return { kind: 'order_status', text: note };
  }

  if (confident) return answer(top, input.text, lang);
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

/** Where the shopper's hand-off stands, from the ticket that serves it and the shop's calendar. */
export interface QueueState {
  /** Inside the shop's business hours now (its calendar, holidays included). */
  open: boolean;
  /** The agent who already has the conversation. */
  assignee?: string;
  /** Place in the queue of the team that will serve it (1 = next). */
  position?: number;
  /** The shop's opening hours in words, in the shopper's language. */
  hours: string;
}

/** What the shopper is told after a hand-off: who has it, their place in the team's queue, or when the team is back. */
export function nextStepText(lang: Lang, queue: QueueState): string {
  if (queue.assignee) {
    return lang === 'zh' ? `客服 ${queue.assignee} 已接手，会尽快回复您。` : `${queue.assignee} from our team has your conversation and will reply shortly.`;
  }
  if (queue.open && queue.position) {
    return lang === 'zh'
      ? `您目前排在第 ${queue.position} 位，客服会尽快回复您。`
      : `You are number ${queue.position} in the queue; an agent will reply shortly.`;
  }
  if (queue.open) return lang === 'zh' ? '客服会尽快回复您。' : 'An agent will reply shortly.';
  return lang === 'zh'
    ? `现在是非工作时间（工作时间：${queue.hours}）。您的问题已记录，客服上班后会第一时间回复您。`
    : `We're outside business hours right now (${queue.hours}). Your question is recorded and the team will reply first thing when they're back.`;
}

const WEEKDAY_NAMES: Record<Lang, string[]> = {
  zh: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};

/** A calendar's weekly hours in words: consecutive days with the same hours grouped ("周一至周五 09:00–18:00"). */
export function describeHours(days: Readonly<Record<string, readonly [string, string]>>, lang: Lang): string {
  const parts: string[] = [];
  for (let d = 1; d <= 7; d++) {
    const hours = days[String(d)];
    if (!hours) continue;
    let end = d;
    while (end < 7 && days[String(end + 1)]?.join() === hours.join()) end++;
    const name = (n: number) => WEEKDAY_NAMES[lang][n - 1];
    const range = end === d ? name(d) : `${name(d)}${lang === 'zh' ? '至' : '–'}${name(end)}`;
    parts.push(`${range} ${hours[0]}–${hours[1]}`);
    d = end;
  }
  return parts.length ? parts.join(lang === 'zh' ? '，' : ', ') : lang === 'zh' ? '暂无' : 'none set';
}
