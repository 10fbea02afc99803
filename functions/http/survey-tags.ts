import { SurveyParams, TagsBody } from '#shared/feedback/model.ts';
import { counterDelta, responseCounters } from '#shared/feedback/rules.ts';
import { correctedResponse } from '#shared/feedback/service.ts';
import { commitCorrection, dynamoFeedbackStore } from '#shared/feedback/store.ts';
import { conflict, notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

/** An agent corrects the sentiment/topics of a response: recorded with who and when, counters moved with it. */
export const handler = withHttp('survey-tags', { body: TagsBody, params: SurveyParams }, async ({ body, params, caller, now }) => {
  const [survey, prev] = await Promise.all([dynamoFeedbackStore.getSurvey(params.surveyId), dynamoFeedbackStore.getResponse(params.surveyId)]);
  if (!survey || !prev) throw notFound('response');
  if (prev.version !== body.version)
    throw conflict({ en: 'the response changed meanwhile; reload and retry', zh: '该回答已被他人修改，请重新加载后再试' }, { version: prev.version });
  const next = correctedResponse(prev, { ...(body.sentiment ? { sentiment: body.sentiment } : {}), topics: body.topics }, caller.sub, now.toISOString());
  await commitCorrection(survey, prev, next, counterDelta(responseCounters(prev), responseCounters(next)));
  return ok({ response: next });
});
