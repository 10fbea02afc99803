import { feedbackPorts } from '#shared/feedback/adapters.ts';
import { openLink } from '#shared/feedback/link-page.ts';
import { LinkBody, LinkQuery, SurveyParams } from '#shared/feedback/model.ts';
import { submitResponse } from '#shared/feedback/service.ts';
import { setOptOut } from '#shared/feedback/store.ts';
import { conflict, notFound } from '#shared/http/errors.ts';
import { created, ok, withHttp } from '#shared/http/with-http.ts';
import { addCounters } from '#shared/quality/store.ts';
import { shopDay } from '#shared/quality/zone.ts';

/** Answers (or opts out) through a signed survey link; the token is the only credential. */
export const handler = withHttp('survey-link-submit', { body: LinkBody, query: LinkQuery, params: SurveyParams }, async ({ body, query, params, now }) => {
  const ports = feedbackPorts();
  const ctx = await openLink(ports.store, params.surveyId, query.t, now);
  if (ctx.verdict === 'invalid' || !ctx.survey) throw notFound('survey');
  if ('optOut' in body) {
    const at = now.toISOString();
    if (await setOptOut(ctx.survey.contactId, at)) await addCounters(['all'], await shopDay(at), { sv_optouts: 1 });
    return ok({ optedOut: true });
  }
  if (ctx.verdict === 'expired' && !ctx.response) throw conflict({ en: 'this survey link has expired', zh: '该问卷链接已过期' });
  const result = await submitResponse(ports, ctx.survey, body.answers);
  const view = { surveyId: result.response.surveyId, submittedAt: result.response.submittedAt, editableUntil: result.response.editableUntil };
  return result.created ? created({ response: view }) : ok({ response: view });
});
