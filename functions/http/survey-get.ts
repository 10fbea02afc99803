import { surveyLinkPath } from '#shared/feedback/link.ts';
import { SurveyParams } from '#shared/feedback/model.ts';
import { dynamoFeedbackStore, getFollowUp } from '#shared/feedback/store.ts';
import { notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

/** A survey for staff: the instance, its response with sentiment/topics and corrections, its follow-up and its link. */
export const handler = withHttp('survey-get', { params: SurveyParams }, async ({ params }) => {
  const survey = await dynamoFeedbackStore.getSurvey(params.surveyId);
  if (!survey) throw notFound('survey');
  const [response, followUp] = await Promise.all([dynamoFeedbackStore.getResponse(survey.surveyId), getFollowUp(survey.surveyId)]);
  return ok({
    survey,
    ...(response ? { response } : {}),
    ...(followUp ? { followUp } : {}),
    ...(survey.status !== 'suppressed' ? { link: await surveyLinkPath(survey.surveyId, survey.expiresAt) } : {}),
  });
});
