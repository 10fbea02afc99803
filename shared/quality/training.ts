/**
 * Scenario training (情景模拟, pure): a scenario is built from a real past conversation — the
 * shopper's side becomes the script (one turn per run of shopper messages), the original agent's
 * answer to each turn its model answer — anonymised (phones, emails, addresses, ID and card
 * numbers through the privacy masking; names and order numbers replaced). Offline practice replays
 * the script and adapts by matching the agent's replies: a reply that misses the point of a turn
 * (too little of the model answer's content) makes the simulated shopper ask again once. A finished
 * practice is scored with the team's scorecard and the same automatic checks as real conversations,
 * and a debrief sets each reply next to the model answer. Nothing here touches real shoppers or the
 * quality metrics.
 */
import { maskText } from '#shared/text/masking.ts';
import { type InspectedMessage, inspectConversation } from './inspection.ts';
import type { InspectionSettings, Rubric } from './inspection-model.ts';
import { rubricTotal } from './inspection-model.ts';
import { compact } from './inspection-text.ts';

export interface ScenarioTurn {
  /** What the simulated shopper says (anonymised). */
  customer: string;
  /** The original agent's answer (anonymised): the debrief's model answer. */
  modelAnswer: string;
  /** Content of the model answer a good reply covers (CJK pairs, Latin words). */
  keyTerms: string[];
}

export interface Scenario {
  scenarioId: string;
  title: string;
  goal: string;
  /** The conversation it was built from; absent for a scenario a supervisor wrote. */
  sourceConversationId?: string;
  /** How it was made (absent on the first scenarios: from a conversation). */
  source?: 'conversation' | 'written';
  teamId: string;
  turns: ScenarioTurn[];
  createdBy: string;
  createdAt: string;
}

export interface PracticeMessage {
  author: 'customer' | 'agent';
  text: string;
  at: string;
  /** The script turn the message belongs to. */
  turn: number;
}

export interface PracticeResult {
  total: number;
  passed: boolean;
  scores: Record<string, number>;
  flags: string[];
  debrief: {
    customer: string;
    replies: string[];
    modelAnswer: string;
    coverage: number;
    /** What the help centre says about the shopper's question (added when the practice finishes). */
    knowledge?: { articleId: string; title: string; passage: string };
  }[];
}

export interface PracticeSession {
  sessionId: string;
  scenarioId: string;
  agent: string;
  mode: 'offline';
  status: 'active' | 'done';
  /** The turn the shopper is on. */
  turn: number;
  /** Turns the shopper already asked again (once per turn). */
  nudged: number[];
  messages: PracticeMessage[];
  result?: PracticeResult;
  rubricVersion: number;
  startedAt: string;
  version: number;
}

/** A reply covering less than this share of a turn's key terms makes the shopper ask again (once). */
export const NUDGE_BELOW = 0.15;
const MAX_KEY_TERMS = 40;
/** Frequent pairs that say nothing about the content. */
const STOP_PAIRS = new Set([
  '您好',
  '你好',
  '我们',
  '您的',
  '一下',
  '可以',
  '的话',
  '这个',
  '已经',
  '谢谢',
  '感谢',
  '如果',
  '还有',
  '什么',
  '没有',
  '请您',
  '为您',
  '帮您',
]);

/** Order numbers and long reference numbers (digits mixed with letters or 8+ digits). */
const ORDER_NUMBER = /\b(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{7,}\b/g;

/** A name the shopper gives in the text ("我是张伟", "我叫…", "my name is …"). */
const SELF_NAMED =
  /(我是|我叫|本人|姓名[:：]?\s*|收件人[:：]?\s*)([\u4e00-\u9fa5]{2,3})(?=[，,。.！!？?\s]|$)|(my name is|i am|this is)\s+([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)/g;

/** A text anonymised: personal data masked, the given names, self-given names and order numbers replaced. */
export function anonymise(text: string, names: readonly string[], lang: 'zh' | 'en' = 'zh'): string {
  const someone = lang === 'zh' ? '顾客' : 'the customer';
  let out = maskText(text);
  for (const name of names.filter((n) => n.trim().length >= 2).sort((a, b) => b.length - a.length)) out = out.split(name).join(someone);
  out = out.replace(SELF_NAMED, (_all, zhLead?: string, _zh?: string, enLead?: string) => (zhLead ? `${zhLead}顾客` : `${enLead} [name]`));
  return out.replace(ORDER_NUMBER, lang === 'zh' ? '[订单号]' : '[order number]');
}

/** The content terms of a text: Chinese character pairs and Latin words of three letters or more. */
export function keyTerms(text: string): string[] {
  const c = compact(text).text;
  const out = new Set<string>();
  for (const word of c.match(/[a-z]{3,}/g) ?? []) out.add(word);
  const cjk = c.match(/[\u3400-\u9fff]+/gu) ?? [];
  for (const run of cjk) for (let i = 0; i + 1 < run.length; i++) if (!STOP_PAIRS.has(run.slice(i, i + 2))) out.add(run.slice(i, i + 2));
  return [...out].slice(0, MAX_KEY_TERMS);
}

/** The share of a turn's key terms a reply covers (1 when the turn has none). */
export function coverage(reply: string, terms: readonly string[]): number {
  if (terms.length === 0) return 1;
  const c = compact(reply).text;
  return terms.filter((t) => c.includes(t)).length / terms.length;
}

/** The script of a conversation: each run of shopper messages with the agent replies that follow it. */
export function scriptOf(messages: readonly InspectedMessage[], names: readonly string[]): ScenarioTurn[] {
  const turns: { customer: string[]; agent: string[] }[] = [];
  for (const m of messages) {
    if (m.internal || !m.text.trim()) continue;
    if (m.author.kind === 'visitor') {
      const last = turns[turns.length - 1];
      if (last && last.agent.length === 0) last.customer.push(m.text);
      else turns.push({ customer: [m.text], agent: [] });
    } else if (m.author.kind === 'agent' && turns.length > 0) turns[turns.length - 1]!.agent.push(m.text);
  }
  return turns
    .filter((t) => t.agent.length > 0)
    .map((t) => {
      const modelAnswer = anonymise(t.agent.join('\n'), names);
      return { customer: anonymise(t.customer.join('\n'), names), modelAnswer, keyTerms: keyTerms(modelAnswer) };
    });
}

/**
 * The script of a scenario a supervisor writes: the shopper's lines in order, each with the key
 * points a good reply covers (optional). The debrief's model answer is the key points; a line with
 * none is never asked again.
 */
export function writtenScript(lines: readonly { customer: string; keyPoints?: readonly string[] | undefined }[]): ScenarioTurn[] {
  return lines.map((line) => {
    const points = (line.keyPoints ?? []).map((p) => p.trim()).filter(Boolean);
    const modelAnswer = points.join('；');
    return { customer: line.customer.trim(), modelAnswer, keyTerms: points.length ? keyTerms(points.join('\n')) : [] };
  });
}

/** A new practice session: the shopper opens with the script's first turn. */
export function startPractice(scenario: Scenario, agent: string, sessionId: string, rubricVersion: number, now: Date): PracticeSession {
  return {
    sessionId,
    scenarioId: scenario.scenarioId,
    agent,
    mode: 'offline',
    status: 'active',
    turn: 0,
    nudged: [],
    messages: [{ author: 'customer', text: scenario.turns[0]?.customer ?? '', at: now.toISOString(), turn: 0 }],
    rubricVersion,
    startedAt: now.toISOString(),
    version: 1,
  };
}

/** The shopper's line when a reply missed the point of their message. */
function nudge(customer: string, lang: 'zh' | 'en'): string {
  return lang === 'zh' ? `您还没回答我的问题：${customer}` : `You have not answered my question: ${customer}`;
}

/**
 * The agent replies: the shopper moves to the next turn, or (the reply covers too little of the
 * turn and they have not asked again yet) asks again. After the last turn the practice is scored.
 */
export function replyPractice(
  session: PracticeSession,
  scenario: Scenario,
  text: string,
  ctx: { rubric: Rubric; settings: InspectionSettings; now: Date },
): PracticeSession {
  const at = ctx.now.toISOString();
  const turn = scenario.turns[session.turn];
  const messages: PracticeMessage[] = [...session.messages, { author: 'agent', text, at, turn: session.turn }];
  const next: PracticeSession = { ...session, messages, version: session.version + 1 };
  if (!turn) return { ...next, status: 'done' };
  const lang = /[\u3400-\u9fff]/u.test(turn.customer) ? 'zh' : 'en';
  if (coverage(text, turn.keyTerms) < NUDGE_BELOW && !session.nudged.includes(session.turn)) {
    return {
      ...next,
      nudged: [...session.nudged, session.turn],
      messages: [...messages, { author: 'customer', text: nudge(turn.customer, lang), at, turn: session.turn }],
    };
  }
  const following = scenario.turns[session.turn + 1];
  if (following)
    return { ...next, turn: session.turn + 1, messages: [...messages, { author: 'customer', text: following.customer, at, turn: session.turn + 1 }] };
  const done: PracticeSession = { ...next, status: 'done', turn: scenario.turns.length };
  return { ...done, result: scorePractice(done, scenario, ctx.rubric, ctx.settings) };
}

/**
 * Scores a practice with the scorecard: an item tied to automatic checks is not met when one of
 * them flags the practice (met otherwise); an item judged by people is scored by how much of the
 * model answers the replies covered (≥ 50 % met, ≥ 25 % partly).
 */
export function scorePractice(session: PracticeSession, scenario: Scenario, rubric: Rubric, settings: InspectionSettings): PracticeResult {
  const messages: InspectedMessage[] = session.messages.map((m, i) => ({
    messageId: `p${String(i).padStart(4, '0')}`,
    author: m.author === 'agent' ? { kind: 'agent', sub: session.agent } : { kind: 'visitor' },
    text: m.text,
    internal: false,
    createdAt: m.at,
  }));
  // practice has no shopper waiting in real time: response time is not judged
  const inspection = inspectConversation({
    conversation: { conversationId: session.sessionId, status: 'resolved' },
    messages,
    settings: { ...settings, responseTargetSeconds: Number.MAX_SAFE_INTEGER },
    refs: { macros: [], articles: [] },
  });
  const flags = [...new Set(inspection.flags.map((f) => f.kind))];
  const debrief = scenario.turns.map((turn, i) => {
    const replies = session.messages.filter((m) => m.author === 'agent' && m.turn === i).map((m) => m.text);
    return { customer: turn.customer, replies, modelAnswer: turn.modelAnswer, coverage: Math.round(coverage(replies.join('\n'), turn.keyTerms) * 100) / 100 };
  });
  const mean = debrief.length ? debrief.reduce((s, d) => s + d.coverage, 0) / debrief.length : 1;
  const scores = Object.fromEntries(
    rubric.items.map((item) => {
      if (item.checks.length) return [item.id, item.checks.some((k) => flags.includes(k)) ? 0 : 100];
      return [item.id, mean >= 0.5 ? 100 : mean >= 0.25 ? 50 : 0];
    }),
  );
  const total = rubricTotal(rubric, scores);
  return { total, passed: total >= rubric.passMark, scores, flags, debrief };
}
