/**
 * Survey rules (pure): which questions apply, whether answers are valid, what a response says
 * (scores, comment, sentiment, topics, detractor), what it adds to the quality counters, the
 * fatigue cap and the edit window. The store and the handlers only carry out these decisions.
 */
import { type SentimentLabel, sentiment, type Topic, topics } from '#shared/ai/sentiment.ts';
import { type AnswerValue, type FollowUp, type Question, SCORE_RANGE, type SurveyDefinition, type SurveyResponse } from './model.ts';

/** Questions shown for the answers so far (a `showIf` question appears only after a low score). */
export function visibleQuestions(questions: readonly Question[], answers: Readonly<Record<string, AnswerValue>>): Question[] {
  return questions.filter((q) => {
    if (!q.showIf) return true;
    const score = answers[q.showIf.question];
    return typeof score === 'number' && score <= q.showIf.atMost;
  });
}

/** Problems with a definition an admin saves (empty when it is fine). */
export function definitionProblems(def: Pick<SurveyDefinition, 'questions'>): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const q of def.questions) {
    if (ids.has(q.id)) problems.push(`question id ${q.id} is used twice`);
    ids.add(q.id);
    if (q.kind === 'choice' && (!q.options || q.options.length < 2)) problems.push(`choice question ${q.id} needs at least two options`);
    if (q.kind !== 'choice' && (q.options || q.multiple)) problems.push(`only choice questions have options (${q.id})`);
    if (q.showIf) {
      const target = def.questions.find((x) => x.id === q.showIf!.question);
      if (!target || !['csat', 'ces', 'nps'].includes(target.kind)) problems.push(`showIf of ${q.id} must name a score question`);
    }
  }
  for (const kind of ['csat', 'ces', 'nps'] as const) {
    if (def.questions.filter((q) => q.kind === kind).length > 1) problems.push(`at most one ${kind} question per survey`);
  }
  return problems;
}

/** Problems with submitted answers against the survey's questions (empty when valid). */
export function answerProblems(questions: readonly Question[], answers: Readonly<Record<string, AnswerValue>>): string[] {
  const problems: string[] = [];
  const byId = new Map(questions.map((q) => [q.id, q]));
  for (const id of Object.keys(answers)) if (!byId.has(id)) problems.push(`${id}: no such question`);
  const visible = new Set(visibleQuestions(questions, answers).map((q) => q.id));
  for (const q of questions) {
    const a = answers[q.id];
    const empty = a === undefined || a === '' || (Array.isArray(a) && a.length === 0);
    if (empty) {
      if (q.required && visible.has(q.id)) problems.push(`${q.id}: an answer is required`);
      continue;
    }
    if (!visible.has(q.id)) {
      problems.push(`${q.id}: only asked after a low score`);
      continue;
    }
    if (q.kind === 'csat' || q.kind === 'ces' || q.kind === 'nps') {
      const [lo, hi] = SCORE_RANGE[q.kind];
      if (typeof a !== 'number' || !Number.isInteger(a) || a < lo || a > hi) problems.push(`${q.id}: a whole number from ${lo} to ${hi}`);
    } else if (q.kind === 'text') {
      if (typeof a !== 'string') problems.push(`${q.id}: text expected`);
    } else {
      const picked = Array.isArray(a) ? a : typeof a === 'string' ? [a] : undefined;
      const options = new Set((q.options ?? []).map((o) => o.id));
      if (!picked || picked.some((p) => !options.has(p))) problems.push(`${q.id}: pick from the listed options`);
      else if (!q.multiple && picked.length > 1) problems.push(`${q.id}: pick one option`);
    }
  }
  return problems;
}

export interface Derived {
  scores: SurveyResponse['scores'];
  comment?: string;
  sentiment?: SentimentLabel;
  topics: Topic[];
  detractor: boolean;
  reasons: FollowUp['reasons'];
}

/** Detractor thresholds: CSAT ≤ 2, NPS ≤ 6, or a comment whose sentiment is negative. */
export const DETRACTOR = { csatAtMost: 2, npsAtMost: 6 } as const;

/** What a response says: scores, the comment with its sentiment and topics, whether it is a detractor and why. */
export function derive(questions: readonly Question[], answers: Readonly<Record<string, AnswerValue>>): Derived {
  const scores: SurveyResponse['scores'] = {};
  const comments: string[] = [];
  for (const q of questions) {
    const a = answers[q.id];
    if ((q.kind === 'csat' || q.kind === 'ces' || q.kind === 'nps') && typeof a === 'number') scores[q.kind] = a;
    if (q.kind === 'text' && typeof a === 'string' && a.trim() !== '') comments.push(a.trim());
  }
  const comment = comments.length ? comments.join('\n') : undefined;
  const label = comment ? sentiment(comment).label : undefined;
  const found: Topic[] = comment ? topics(comment) : [];
  const reasons: FollowUp['reasons'] = [];
  if (scores.csat !== undefined && scores.csat <= DETRACTOR.csatAtMost) reasons.push('low_csat');
  if (scores.nps !== undefined && scores.nps <= DETRACTOR.npsAtMost) reasons.push('low_nps');
  if (label === 'negative') reasons.push('negative_comment');
  return { scores, ...(comment ? { comment } : {}), ...(label ? { sentiment: label } : {}), topics: found, detractor: reasons.length > 0, reasons };
}

/** What one response adds to the quality counters of its day (a first submission; edits use `counterDelta`). */
export function responseCounters(r: Pick<SurveyResponse, 'scores' | 'sentiment' | 'topics' | 'detractor'>): Record<string, number> {
  const c: Record<string, number> = { sv_responses: 1 };
  const { csat, ces, nps } = r.scores;
  if (csat !== undefined) Object.assign(c, { csat_n: 1, csat_sum: csat, [`csat_s${csat}`]: 1, ...(csat >= 4 ? { csat_sat: 1 } : {}) });
  if (ces !== undefined) Object.assign(c, { ces_n: 1, ces_sum: ces, ...(ces >= 5 ? { ces_easy: 1 } : {}) });
  if (nps !== undefined) Object.assign(c, { nps_n: 1, [nps >= 9 ? 'nps_prom' : nps >= 7 ? 'nps_pass' : 'nps_det']: 1 });
  if (r.sentiment) c[`sent_${r.sentiment}`] = 1;
  for (const topic of r.topics) {
    c[`topic_${topic}`] = (c[`topic_${topic}`] ?? 0) + 1;
    if (r.sentiment === 'negative') c[`topicneg_${topic}`] = (c[`topicneg_${topic}`] ?? 0) + 1;
  }
  if (r.detractor) c.sv_detractors = 1;
  return c;
}

/** The counter changes that turn `before` into `after` (an edit or a tag correction); zeros dropped. */
export function counterDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const d = (after[k] ?? 0) - (before[k] ?? 0);
    if (d !== 0) out[k] = d;
  }
  return out;
}

/** Whether a response can still be changed. */
export function editable(response: Pick<SurveyResponse, 'editableUntil'>, now: Date): boolean {
  return Date.parse(response.editableUntil) > now.getTime();
}

/** The calendar month a reward counts in (the points cap period). */
export function rewardPeriod(at: string): string {
  return at.slice(0, 7);
}

/** The points ledger source of a survey reward: one credit per survey, ever. */
export function rewardSource(surveyId: string): string {
  return `survey#${surveyId}`;
}
