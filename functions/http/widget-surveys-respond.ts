import { feedbackPorts } from '#shared/feedback/adapters.ts';
import { ResponseBody, SurveyParams } from '#shared/feedback/model.ts';
import { submitResponse } from '#shared/feedback/service.ts';
import { notFound } from '#shared/http/errors.ts';
import { created, ok, withHttp } from '#shared/http/with-http.ts';

/** The visitor answers (or, within the edit window, changes) one of their own surveys. */
export const handler = withHttp('widget-surveys-respond', { body: ResponseBody, params: SurveyParams }, async ({ body, params, caller }) => {
  const ports = feedbackPorts();
  const survey = await ports.store.getSurvey(params.surveyId);
  if (!survey || survey.contactId !== caller.contactId) throw notFound('survey');
  const result = await submitResponse(ports, survey, body.answers);
  const view = {
    surveyId: result.response.surveyId,
    answers: result.response.answers,
    submittedAt: result.response.submittedAt,
    editableUntil: result.response.editableUntil,
    reward: result.reward,
  };
  return result.created ? created({ response: view }) : ok({ response: view });
});
