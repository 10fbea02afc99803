/**
 * The automatic quality inspection (质检) of a conversation (pure): every public agent reply is
 * checked — response time against the target, forbidden words and forbidden promises, the
 * greeting of the first reply, tone (the sentiment model on the agent's text; curt one-word
 * answers) — and a closed conversation also for its closing, the shopper's sentiment trajectory
 * (did it improve?) and whether a macro or a knowledge-base article was used. The sweep
 * (inspection-jobs.ts) runs this off the reply path over the stored thread and keeps the result
 * per conversation; the same function scores a training transcript.
 */
import { sentiment } from '#shared/ai/sentiment.ts';
import type { FlagKind, InspectionSettings } from './inspection-model.ts';
import { type Compact, compact, findTerms, textSize } from './inspection-text.ts';
import { unansweredSince } from './metrics.ts';

export interface InspectedMessage {
  messageId: string;
  author: { kind: string; sub?: string; name?: string };
  text: string;
  internal: boolean;
  createdAt: string;
}

/** What a flag points at: the reply (and its author) or the whole conversation. */
export interface Flag {
  kind: FlagKind;
  messageId?: string;
  agent?: string;
  at?: string;
  /** The term found, the seconds taken, the sentiment score. */
  detail?: string;
}

/** Texts a reply may reuse: shared macros (both languages, placeholders as `{{…}}`) and articles. */
export interface ReferenceTexts {
  macros: readonly { id: string; texts: readonly string[] }[];
  articles: readonly { id: string; title: string }[];
}

export interface ReplyCheck {
  messageId: string;
  agent?: string;
  at: string;
  /** Seconds from the oldest customer message it answers (undefined: it answered nothing new). */
  responseSeconds?: number;
  flags: Flag[];
  macroId?: string;
  articleId?: string;
}

export interface InspectionResult {
  conversationId: string;
  /** The agent the conversation is credited to: the assignee, else who replied most. */
  agent?: string;
  closed: boolean;
  replies: ReplyCheck[];
  flags: Flag[];
  shopper?: { first: number; last: number; trend: 'improved' | 'worsened' | 'unchanged' };
  usedMacro: boolean;
  usedArticle: boolean;
  /** A pre-sales enquiry (询单): counted in the agent's conversion rate. */
  preSales: boolean;
}

/** A reply scoring at or below this (and labelled negative) has a negative tone. */
export const NEGATIVE_TONE_AT_MOST = -0.3;
/** A trajectory moves when the last message's score differs from the first by this much. */
const TREND_STEP = 0.2;

/** An apology is courtesy, not a negative tone. */
const APOLOGY = ['抱歉', '不好意思', '对不起', '很遗憾', 'sorry', 'apologise', 'apologize', 'apologies', 'unfortunately'];
/** Dismissive answers, whatever their length. */
const CURT = ['不知道', '不清楚', '自己看', '随便', '没办法', 'dunno', 'no idea', 'whatever', 'figure it out'];
/** A customer message that asks something (a bare answer to it is curt). */
const QUESTION = /[?？吗呢]|怎么|什么|多少|能不能|可不可以|有没有|\b(how|what|why|when|where|can|could|is|are|do|does)\b/i;
/** Pre-sales questions (询单) and after-sales ones. */
const PRE_SALES = [
  '有货',
  '现货',
  '库存',
  '多少钱',
  '价格',
  '优惠',
  '折扣',
  '便宜',
  '包邮',
  '尺码',
  '码数',
  '码吗',
  '号吗',
  '穿多大',
  '颜色',
  '材质',
  '推荐',
  '区别',
  '适合',
  '什么时候发货',
  '能发',
  'in stock',
  'price',
  'how much',
  'discount',
  'coupon',
  'size',
  'colour',
  'color',
  'recommend',
  'difference',
  'available',
];
const AFTER_SALES = [
  '退款',
  '退货',
  '换货',
  '物流',
  '快递',
  '订单号',
  '没收到',
  '还没到',
  '坏了',
  '破损',
  '投诉',
  'refund',
  'return',
  'tracking',
  'order number',
  'not received',
  'broken',
  'damaged',
  'complaint',
];

/** A macro text as literal pieces (its placeholders vary per customer). */
function macroPieces(text: string): string[] {
  return text
    .split(/\{\{[^}]*\}\}/)
    .map((p) => compact(p).text)
    .filter((p) => p.length >= 4);
}

/** The macro a reply was written from: every literal piece of one of its texts appears in the reply. */
export function macroUsed(reply: Compact, macros: ReferenceTexts['macros']): string | undefined {
  for (const m of macros) {
    for (const text of m.texts) {
      const pieces = macroPieces(text);
      if (pieces.reduce((s, p) => s + p.length, 0) >= 6 && pieces.every((p) => reply.text.includes(p))) return m.id;
    }
  }
  return undefined;
}

/** The article a reply points to: its id (a link) or its title. */
export function articleUsed(replyText: string, reply: Compact, articles: ReferenceTexts['articles']): string | undefined {
  for (const a of articles) {
    const title = compact(a.title).text;
    if (replyText.includes(a.id) || (title.length >= 4 && reply.text.includes(title))) return a.id;
  }
  return undefined;
}

/**
 * Whether a reply is curt: a dismissive phrase, or (answering a question) a bare word or two that
 * is no greeting or thanks.
 */
export function isCurt(text: string, settings: Pick<InspectionSettings, 'greetings' | 'closings'>, question = true): boolean {
  const c = compact(text);
  if (findTerms(c, CURT).length > 0) return true;
  if (!question) return false;
  const size = textSize(text);
  const short = size.cjk + size.words > 0 && (size.words === 0 ? size.cjk <= 2 : size.cjk === 0 && size.words <= 1);
  return short && findTerms(c, [...settings.greetings, ...settings.closings]).length === 0;
}

/** Courtesies the sentiment model misreads (不客气 reads as 不 + 客气). */
const COURTESY = ['不客气', '不用客气', '不用谢', 'you are welcome', "you're welcome"];

/** The reply without its greeting, closing and courtesy clauses (a polite frame must not hide a rude answer). */
export function toneText(text: string, settings: Pick<InspectionSettings, 'greetings' | 'closings'>): string {
  const frame = [...settings.greetings, ...settings.closings, ...COURTESY];
  return text
    .split(/[，,。.!！?？;；\n]+/)
    .filter((clause) => clause.trim() && findTerms(clause, frame).length === 0)
    .join('，');
}

/** Whether the customer's last message before a reply asks something. */
function asked(earlier: readonly InspectedMessage[]): boolean {
  const last = [...earlier].reverse().find((m) => m.author.kind === 'visitor' && !m.internal);
  return last !== undefined && QUESTION.test(last.text);
}

/** The checks of one public agent reply; `earlier` is the public thread before it (oldest first). */
export function checkReply(
  reply: InspectedMessage,
  earlier: readonly InspectedMessage[],
  settings: InspectionSettings,
  refs: ReferenceTexts,
  opts: { first: boolean; handoffAt?: string },
): ReplyCheck {
  const agent = reply.author.sub;
  const base = { messageId: reply.messageId, at: reply.createdAt, ...(agent ? { agent } : {}) };
  const flags: Flag[] = [];
  const flag = (kind: FlagKind, detail?: string) => flags.push({ kind, ...base, ...(detail !== undefined ? { detail } : {}) });
  const c = compact(reply.text);
  let responseSeconds: number | undefined;
  const waiting = unansweredSince(earlier);
  if (waiting) {
    const start = opts.handoffAt && opts.handoffAt > waiting ? opts.handoffAt : waiting;
    responseSeconds = Math.max(0, Math.round((Date.parse(reply.createdAt) - Date.parse(start)) / 1000));
    if (responseSeconds > settings.responseTargetSeconds) flag('slow_response', String(responseSeconds));
  }
  for (const term of findTerms(c, settings.forbiddenWords)) flag('forbidden_word', term);
  for (const term of findTerms(c, settings.forbiddenPromises)) flag('forbidden_promise', term);
  if (opts.first && findTerms(c, settings.greetings).length === 0) flag('missing_greeting');
  const tone = toneText(reply.text, settings);
  const mood = tone ? sentiment(tone) : undefined;
  if (mood && mood.label === 'negative' && mood.score <= NEGATIVE_TONE_AT_MOST && findTerms(c, APOLOGY).length === 0) flag('negative_tone', String(mood.score));
  else if (waiting && reply.text.trim() && isCurt(reply.text, settings, asked(earlier))) flag('curt_reply');
  const macroId = macroUsed(c, refs.macros);
  const articleId = articleUsed(reply.text, c, refs.articles);
  return {
    ...base,
    ...(responseSeconds !== undefined ? { responseSeconds } : {}),
    flags,
    ...(macroId ? { macroId } : {}),
    ...(articleId ? { articleId } : {}),
  };
}

/** The shopper's mood from their first to their last message (two messages at least). */
export function trajectory(texts: readonly string[]): InspectionResult['shopper'] {
  const said = texts.filter((t) => t.trim());
  if (said.length < 2) return undefined;
  const first = sentiment(said[0]!).score;
  const last = sentiment(said[said.length - 1]!).score;
  const trend = last - first >= TREND_STEP ? 'improved' : first - last >= TREND_STEP ? 'worsened' : 'unchanged';
  return { first, last, trend };
}

/** Whether the shopper's opening messages are a pre-sales enquiry (询单) rather than after-sales. */
export function isPreSales(opening: readonly string[], category?: string): boolean {
  if (category === 'PRODUCT') return true;
  const c = compact(opening.join('\n'));
  return findTerms(c, PRE_SALES).length > 0 && findTerms(c, AFTER_SALES).length === 0;
}

/** Inspects a whole conversation: every public agent reply, then (closed) the conversation checks. */
export function inspectConversation(input: {
  conversation: { conversationId: string; status: string; assignee?: { sub: string }; handoffAt?: string; category?: string };
  messages: readonly InspectedMessage[];
  settings: InspectionSettings;
  refs: ReferenceTexts;
}): InspectionResult {
  const { conversation, settings, refs } = input;
  const thread = input.messages.filter((m) => !m.internal);
  const replies: ReplyCheck[] = [];
  const counts = new Map<string, number>();
  thread.forEach((m, i) => {
    if (m.author.kind !== 'agent') return;
    replies.push(
      checkReply(m, thread.slice(0, i), settings, refs, {
        first: replies.length === 0,
        ...(conversation.handoffAt ? { handoffAt: conversation.handoffAt } : {}),
      }),
    );
    if (m.author.sub) counts.set(m.author.sub, (counts.get(m.author.sub) ?? 0) + 1);
  });
  const agent = conversation.assignee?.sub ?? [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const closed = conversation.status === 'resolved';
  const flags = replies.flatMap((r) => r.flags);
  const visitor = thread.filter((m) => m.author.kind === 'visitor').map((m) => m.text);
  const shopper = trajectory(visitor);
  const lastReply = [...thread].reverse().find((m) => m.author.kind === 'agent');
  if (closed && lastReply && findTerms(lastReply.text, settings.closings).length === 0) {
    flags.push({
      kind: 'missing_closing',
      messageId: lastReply.messageId,
      at: lastReply.createdAt,
      ...(lastReply.author.sub ? { agent: lastReply.author.sub } : {}),
    });
  }
  if (closed && shopper?.trend === 'worsened' && shopper.last < 0) flags.push({ kind: 'sentiment_worsened', detail: `${shopper.first} → ${shopper.last}` });
  const firstAgent = thread.findIndex((m) => m.author.kind === 'agent');
  const opening = thread.slice(0, firstAgent < 0 ? thread.length : firstAgent).filter((m) => m.author.kind === 'visitor');
  return {
    conversationId: conversation.conversationId,
    ...(agent ? { agent } : {}),
    closed,
    replies,
    flags,
    ...(shopper ? { shopper } : {}),
    usedMacro: replies.some((r) => r.macroId),
    usedArticle: replies.some((r) => r.articleId),
    preSales: isPreSales(
      opening.map((m) => m.text),
      conversation.category,
    ),
  };
}
