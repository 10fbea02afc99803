import { describe, expect, it } from 'vitest';
import { addTouch, type CapState, capVerdict } from '#shared/campaigns/cap.ts';
import { checkLinkToken, linkToken } from '#shared/feedback/link.ts';
import { BUILTIN_DEFINITIONS, type Question } from '#shared/feedback/model.ts';
import { escapeHtml, renderSurveyPage } from '#shared/feedback/page.ts';
import {
  answerProblems,
  counterDelta,
  definitionProblems,
  derive,
  editable,
  responseCounters,
  rewardPeriod,
  visibleQuestions,
} from '#shared/feedback/rules.ts';
import { fatigueRules, surveyIdFor } from '#shared/feedback/trigger.ts';

const csat = BUILTIN_DEFINITIONS.find((d) => d.definitionId === 'csat')!.questions;
const nps = BUILTIN_DEFINITIONS.find((d) => d.definitionId === 'nps')!.questions;

describe('survey answers', () => {
  it('CSAT is 1–5 and required; reasons are asked only after a low score', () => {
    expect(answerProblems(csat, {})).toEqual(['csat: an answer is required']);
    expect(answerProblems(csat, { csat: 6 })).toEqual(['csat: a whole number from 1 to 5']);
    expect(answerProblems(csat, { csat: 5, reasons: ['slow'] })).toEqual(['reasons: only asked after a low score']);
    expect(answerProblems(csat, { csat: 2, reasons: ['slow', 'unresolved'], comment: 'slow' })).toEqual([]);
    expect(answerProblems(csat, { csat: 1, reasons: ['made-up'] })).toEqual(['reasons: pick from the listed options']);
    expect(answerProblems(csat, { csat: 4, extra: 1 })).toEqual(['extra: no such question']);
    expect(visibleQuestions(csat, { csat: 2 }).map((q) => q.id)).toEqual(['csat', 'reasons', 'comment']);
    expect(visibleQuestions(csat, { csat: 3 }).map((q) => q.id)).toEqual(['csat', 'comment']);
  });

  it('NPS is 0–10', () => {
    expect(answerProblems(nps, { nps: 0 })).toEqual([]);
    expect(answerProblems(nps, { nps: 10 })).toEqual([]);
    expect(answerProblems(nps, { nps: 11 })).toHaveLength(1);
  });

  it('admin definitions: one score question per kind, options only on choice, showIf names a score', () => {
    const q = (x: Partial<Question>): Question => ({ id: 'q', kind: 'text', text: { 'zh-CN': '问', en: 'Q' }, required: false, ...x });
    expect(definitionProblems({ questions: [q({ id: 'a', kind: 'csat' }), q({ id: 'b', kind: 'csat' })] })).toEqual(['at most one csat question per survey']);
    expect(definitionProblems({ questions: [q({ id: 'a', kind: 'choice' })] })).toEqual(['choice question a needs at least two options']);
    expect(definitionProblems({ questions: [q({ id: 'a', showIf: { question: 'zzz', atMost: 2 } })] })).toEqual(['showIf of a must name a score question']);
    expect(definitionProblems({ questions: [q({ id: 'a' }), q({ id: 'a' })] })).toEqual(['question id a is used twice']);
    for (const d of BUILTIN_DEFINITIONS) expect(definitionProblems(d)).toEqual([]);
  });
});

describe('what a response says', () => {
  it('detractor: CSAT ≤ 2, NPS ≤ 6, or a negative comment', () => {
    expect(derive(csat, { csat: 2 }).reasons).toEqual(['low_csat']);
    expect(derive(csat, { csat: 3 }).detractor).toBe(false);
    expect(derive(nps, { nps: 6 }).reasons).toEqual(['low_nps']);
    expect(derive(nps, { nps: 7 }).detractor).toBe(false);
    const negative = derive(csat, { csat: 4, comment: '客服态度很差，太让人失望了' });
    expect(negative.sentiment).toBe('negative');
    expect(negative.reasons).toEqual(['negative_comment']);
    expect(negative.topics).toContain('agent_attitude');
  });

  it('comments get sentiment and topics (zh and en); no comment, no tags', () => {
    const en = derive(csat, { csat: 5, comment: 'Fast delivery and a very helpful agent, thanks!' });
    expect(en.sentiment).toBe('positive');
    expect(en.topics).toEqual(expect.arrayContaining(['delivery_speed', 'agent_attitude']));
    expect(derive(csat, { csat: 5 })).toEqual({ scores: { csat: 5 }, topics: [], detractor: false, reasons: [] });
  });

  it('counters of a response, and the delta of an edit', () => {
    const before = responseCounters({ scores: { csat: 2 }, sentiment: 'negative', topics: ['delivery_speed'], detractor: true });
    expect(before).toEqual({
      sv_responses: 1,
      csat_n: 1,
      csat_sum: 2,
      csat_s2: 1,
      sent_negative: 1,
      topic_delivery_speed: 1,
      topicneg_delivery_speed: 1,
      sv_detractors: 1,
    });
    const after = responseCounters({ scores: { csat: 4 }, topics: [], detractor: false });
    expect(counterDelta(before, after)).toEqual({
      csat_sum: 2,
      csat_s2: -1,
      csat_s4: 1,
      csat_sat: 1,
      sent_negative: -1,
      topic_delivery_speed: -1,
      topicneg_delivery_speed: -1,
      sv_detractors: -1,
    });
    expect(responseCounters({ scores: { nps: 9 }, topics: [], detractor: false }).nps_prom).toBe(1);
    expect(responseCounters({ scores: { nps: 7 }, topics: [], detractor: false }).nps_pass).toBe(1);
    expect(responseCounters({ scores: { ces: 5 }, topics: [], detractor: false }).ces_easy).toBe(1);
  });

  it('the edit window', () => {
    const now = new Date('2026-03-02T10:00:00Z');
    expect(editable({ editableUntil: '2026-03-02T10:00:01Z' }, now)).toBe(true);
    expect(editable({ editableUntil: '2026-03-02T10:00:00Z' }, now)).toBe(false);
    expect(rewardPeriod('2026-03-31T23:59:59Z')).toBe('2026-03');
  });
});

describe('survey identity, fatigue and links', () => {
  it('the survey id is derived from trigger and source (a second trigger names the same survey)', () => {
    const a = surveyIdFor('conversation_resolved', 'cnv_x');
    expect(a).toMatch(/^svy_[0-9a-z]{26}$/);
    expect(surveyIdFor('conversation_resolved', 'cnv_x')).toBe(a);
    expect(surveyIdFor('ticket_solved', 'cnv_x')).not.toBe(a);
  });

  it('fatigue: one survey touch per N days on the shared cap item; campaign touches do not count', () => {
    const now = new Date('2026-03-20T00:00:00Z');
    let cap: CapState = { touches: [], version: 0 };
    expect(capVerdict(cap, fatigueRules(14), now, 'svy_a')).toEqual({ allowed: true, already: false });
    cap = { touches: addTouch(cap, { at: '2026-03-10T00:00:00.000Z', kind: 'survey', ref: 'svy_a' }, now), version: 1 };
    expect(capVerdict(cap, fatigueRules(14), now, 'svy_b').allowed).toBe(false);
    expect(capVerdict(cap, fatigueRules(14), now, 'svy_a')).toEqual({ allowed: true, already: true });
    expect(capVerdict(cap, fatigueRules(7), now, 'svy_b').allowed).toBe(true);
    expect(capVerdict(cap, fatigueRules(0), now, 'svy_b').allowed).toBe(true);
    const campaignOnly: CapState = { touches: [{ at: '2026-03-19T00:00:00.000Z', kind: 'campaign', ref: 'cmp_1' }], version: 1 };
    expect(capVerdict(campaignOnly, fatigueRules(14), now, 'svy_b').allowed).toBe(true);
  });

  it('signed links: genuine until they expire; tampering or another survey fails', () => {
    const key = new Uint8Array(32).fill(7);
    const token = linkToken(key, 'svy_aaaaaaaaaaaaaaaaaaaaaaaaaa', '2026-03-09T00:00:00.000Z');
    expect(token).toMatch(/^\d{10}\.[A-Za-z0-9_-]{43}$/);
    const before = new Date('2026-03-08T23:59:59Z');
    expect(checkLinkToken(key, 'svy_aaaaaaaaaaaaaaaaaaaaaaaaaa', token, before)).toBe('ok');
    expect(checkLinkToken(key, 'svy_aaaaaaaaaaaaaaaaaaaaaaaaaa', token, new Date('2026-03-09T00:00:00Z'))).toBe('expired');
    expect(checkLinkToken(key, 'svy_bbbbbbbbbbbbbbbbbbbbbbbbbb', token, before)).toBe('invalid');
    const [exp, sig] = token.split('.');
    expect(checkLinkToken(key, 'svy_aaaaaaaaaaaaaaaaaaaaaaaaaa', `${Number(exp) + 86400}.${sig}`, before)).toBe('invalid');
    expect(checkLinkToken(new Uint8Array(32).fill(8), 'svy_aaaaaaaaaaaaaaaaaaaaaaaaaa', token, before)).toBe('invalid');
  });

  it('the link page escapes survey texts and renders zh-CN and en', () => {
    expect(escapeHtml(`<script>"x"&'y'</script>`)).toBe('&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt;');
    const survey = { name: { 'zh-CN': '满意度<b>', en: 'Satisfaction<b>' }, questions: csat };
    const zh = renderSurveyPage({ state: 'form', lang: 'zh-CN', survey, otherLangHref: '?lang=en' });
    expect(zh.html).toContain('<html lang="zh-CN">');
    expect(zh.html).toContain('满意度&lt;b&gt;');
    expect(zh.html).toContain('您对本次服务满意吗？');
    expect(zh.csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+'/);
    const en = renderSurveyPage({ state: 'expired', lang: 'en', survey, otherLangHref: '?lang=zh-CN' });
    expect(en.html).toContain('This survey link has expired.');
    expect(en.html).not.toContain('<form');
  });
});
