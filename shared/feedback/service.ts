/**
 * Feedback use cases: request a survey after a trigger (delayed on the `surveys` queue), deliver it
 * once (fatigue cap, complaint and opt-out checks), take a response (validated, analysed, counted,
 * a detractor's follow-up opened, points credited), correct its tags. Ports come in as arguments.
 */

import type { SentimentLabel, Topic } from '#shared/ai/sentiment.ts';
import { badRequest, conflict, notFound } from '#shared/http/errors.ts';
import { logger } from '#shared/log.ts';
import { shopDay } from '#shared/quality/zone.ts';
import type { AnswerValue, FollowUp, SurveyInstance, SurveyResponse } from './model.ts';
import type { FeedbackPorts, SurveyRequest } from './ports.ts';
import { answerProblems, counterDelta, derive, editable, responseCounters, rewardPeriod, rewardSource } from './rules.ts';

export type DeliveryOutcome =
  | { status: 'sent'; survey: SurveyInstance }
  | { status: 'duplicate' }
  | { status: 'suppressed'; reason: string }
  | { status: 'no_definition' };

/** What a shopper's widget may see of a survey. */
export function surveyForVisitor(s: SurveyInstance) {
  return {
    surveyId: s.surveyId,
    name: s.name,
    questions: s.questions,
    status: s.status,
    sentAt: s.sentAt,
    expiresAt: s.expiresAt,
    ...(s.conversationId ? { conversationId: s.conversationId } : {}),
  };
}

/**
 * Delivers a queued survey at most once per trigger: the survey put is conditional on its id and
 * the cap update on "not opted out and no survey in the last N days" in one transaction; a
 * contact with an open complaint gets none. Sent surveys are pushed to the widget.
 */
export async function deliverSurvey(ports: FeedbackPorts, request: SurveyRequest): Promise<DeliveryOutcome> {
  const now = ports.now();
  const at = now.toISOString();
  if (await ports.store.getSurvey(request.surveyId)) return { status: 'duplicate' };
  const [settings, definition] = await Promise.all([ports.store.settings(), ports.store.definition(request.definitionId)]);
  if (!definition) return { status: 'no_definition' };
  const survey: SurveyInstance = {
    surveyId: request.surveyId,
    definitionId: definition.definitionId,
    definitionVersion: definition.version,
    name: definition.name,
    questions: definition.questions,
    contactId: request.contactId,
    trigger: request.trigger,
    ...(request.conversationId ? { conversationId: request.conversationId } : {}),
    ...(request.ticketId ? { ticketId: request.ticketId } : {}),
    ...(request.agent ? { agent: request.agent } : {}),
    ...(request.channel ? { channel: request.channel } : {}),
    ...(request.category ? { category: request.category } : {}),
    status: 'sent',
    createdAt: at,
    sentAt: at,
    expiresAt: new Date(now.getTime() + settings.linkTtlHours * 3_600_000).toISOString(),
    version: 1,
  };
  if (!settings.enabled) return (await ports.store.suppress(survey, 'disabled')) ? { status: 'suppressed', reason: 'disabled' } : { status: 'duplicate' };
  if (await ports.store.hasOpenComplaint(request.contactId)) {
    return (await ports.store.suppress(survey, 'complaint')) ? { status: 'suppressed', reason: 'complaint' } : { status: 'duplicate' };
  }
  const outcome = await ports.store.createSurvey(survey, settings.fatigueDays);
  if (outcome === 'duplicate') return { status: 'duplicate' };
  if (outcome === 'fatigue' || outcome === 'opt_out') {
    return (await ports.store.suppress(survey, outcome)) ? { status: 'suppressed', reason: outcome } : { status: 'duplicate' };
  }
  await ports.push(request.contactId, { type: 'survey', survey: surveyForVisitor(survey) });
  return { status: 'sent', survey };
}

function sameAnswers(a: Readonly<Record<string, AnswerValue>>, b: Readonly<Record<string, AnswerValue>>): boolean {
  const norm = (x: Readonly<Record<string, AnswerValue>>) =>
    JSON.stringify(
      Object.keys(x)
        .sort()
        .map((k) => [k, x[k]]),
    );
  return norm(a) === norm(b);
}

export type RewardOutcome = 'applied' | 'duplicate' | 'capped' | 'not_member' | 'off';

/**
 * Credits the points for answering, never depending on the score: once per survey (the ledger's
 * source id), at most `pointsMaxPerMonth` rewarded responses per contact and month, members only.
 */
export async function rewardResponse(ports: FeedbackPorts, survey: SurveyInstance, response: SurveyResponse): Promise<RewardOutcome> {
  const settings = await ports.store.settings();
  if (settings.pointsPerResponse <= 0 || settings.pointsMaxPerMonth <= 0) return 'off';
  if (!(await ports.store.contactVerified(survey.contactId))) return 'not_member';
  const slot = await ports.store.claimRewardSlot(survey.contactId, rewardPeriod(response.submittedAt), survey.surveyId, settings.pointsMaxPerMonth);
  if (slot === 'capped') return 'capped';
  const result = await ports.earn({
    contactId: survey.contactId,
    points: settings.pointsPerResponse,
    sourceId: rewardSource(survey.surveyId),
    at: response.submittedAt,
    reason: 'survey response',
  });
  if (result === 'applied') return 'applied';
  if (result === 'duplicate') return 'duplicate';
  return 'not_member';
}

/**
 * Opens the follow-up's ticket (exactly once, see follow-up-ticket.ts). A failure leaves the
 * follow-up in the team leads' queue and is logged; a repeated submit retries it.
 */
async function followUpTicket(ports: FeedbackPorts, survey: SurveyInstance, response: SurveyResponse): Promise<void> {
  try {
    await ports.followUpTicket(survey, response, derive(survey.questions, response.answers).reasons);
  } catch (error) {
    logger.error('follow-up ticket failed', { surveyId: survey.surveyId, errorName: (error as Error).name });
  }
}

export interface SubmitResult {
  response: SurveyResponse;
  created: boolean;
  reward: RewardOutcome;
  followUp: boolean;
}

/**
 * Takes a response: one per survey (a repeat of the same answers is a no-op that returns it), and
 * editable until `editableUntil`. The response, the survey's status, its counter changes and a
 * detractor's follow-up are one transaction; the reward follows (idempotent, so a retried request
 * completes a reward that failed).
 */
export async function submitResponse(ports: FeedbackPorts, survey: SurveyInstance, answers: Record<string, AnswerValue>): Promise<SubmitResult> {
  if (survey.status === 'suppressed') throw notFound('survey');
  const problems = answerProblems(survey.questions, answers);
  if (problems.length)
    throw badRequest({ en: `invalid answers: ${problems.join('; ')}`, zh: `有 ${problems.length} 个回答不符合要求，请检查后重新提交` }, { fields: problems });
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = ports.now();
    const at = now.toISOString();
    const prev = await ports.store.getResponse(survey.surveyId);
    if (prev && sameAnswers(prev.answers, answers)) {
      if (prev.followUpOpened) await followUpTicket(ports, survey, prev);
      return { response: prev, created: false, reward: await rewardResponse(ports, survey, prev), followUp: false };
    }
    if (!prev && Date.parse(survey.expiresAt) <= now.getTime()) throw conflict({ en: 'this survey has expired', zh: '该问卷已过期' });
    if (prev && !editable(prev, now)) throw conflict({ en: 'this response can no longer be changed', zh: '该回答已无法再修改' });
    const settings = await ports.store.settings();
    const derived = derive(survey.questions, answers);
    const response: SurveyResponse = {
      surveyId: survey.surveyId,
      contactId: survey.contactId,
      answers,
      scores: derived.scores,
      ...(derived.comment ? { comment: derived.comment } : {}),
      ...(derived.sentiment ? { sentiment: derived.sentiment } : {}),
      topics: derived.topics,
      detractor: derived.detractor,
      metricDay: prev?.metricDay ?? (await shopDay(at)),
      submittedAt: prev?.submittedAt ?? at,
      updatedAt: at,
      editableUntil: prev?.editableUntil ?? new Date(now.getTime() + settings.editWindowMinutes * 60_000).toISOString(),
      corrections: prev?.corrections ?? [],
      version: (prev?.version ?? 0) + 1,
    };
    const hadFollowUp = prev?.followUpOpened === true;
    const openFollowUp = derived.detractor && !hadFollowUp;
    const stored = { ...response, ...(hadFollowUp || openFollowUp ? { followUpOpened: true } : {}) };
    const followUp: FollowUp | undefined = openFollowUp
      ? {
          surveyId: survey.surveyId,
          contactId: survey.contactId,
          ...(survey.conversationId ? { conversationId: survey.conversationId } : {}),
          ...(survey.ticketId ? { ticketId: survey.ticketId } : {}),
          status: 'open',
          reasons: derived.reasons,
          scores: derived.scores,
          topics: derived.topics,
          createdAt: at,
          version: 1,
        }
      : undefined;
    const counters = prev ? counterDelta(responseCounters(prev), responseCounters(response)) : responseCounters(response);
    const saved = await ports.store.saveResponse({ survey, response: stored, ...(prev ? { prev } : {}), counters, ...(followUp ? { followUp } : {}) });
    if (saved) {
      if (followUp) await followUpTicket(ports, survey, stored);
      return { response: stored, created: !prev, reward: await rewardResponse(ports, survey, stored), followUp: !!followUp };
    }
  }
  throw conflict({ en: 'the response is being changed at the same time; retry', zh: '该回答正在被同时修改，请重试' });
}

/** The tags of a response after an agent's correction (sentiment and topics), with the correction recorded. */
export function correctedResponse(prev: SurveyResponse, change: { sentiment?: SentimentLabel; topics: Topic[] }, by: string, at: string): SurveyResponse {
  const to = { ...((change.sentiment ?? prev.sentiment) ? { sentiment: change.sentiment ?? prev.sentiment } : {}), topics: [...new Set(change.topics)] };
  return {
    ...prev,
    ...to,
    corrections: [...prev.corrections, { at, by, from: { ...(prev.sentiment ? { sentiment: prev.sentiment } : {}), topics: prev.topics }, to }],
    updatedAt: at,
    version: prev.version + 1,
  };
}
