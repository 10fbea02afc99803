import { linkPage, openLink } from '#shared/feedback/link-page.ts';
import { LinkQuery, SurveyParams } from '#shared/feedback/model.ts';
import { dynamoFeedbackStore } from '#shared/feedback/store.ts';
import { htmlPage, withHttp } from '#shared/http/with-http.ts';

/** The survey page behind a signed, expiring link (zh-CN by default, `?lang=en`). */
export const handler = withHttp('survey-link', { query: LinkQuery, params: SurveyParams }, async ({ query, params, now }) => {
  const lang = query.lang ?? 'zh-CN';
  const ctx = await openLink(dynamoFeedbackStore, params.surveyId, query.t, now);
  const other = `?t=${encodeURIComponent(query.t)}&lang=${lang === 'en' ? 'zh-CN' : 'en'}`;
  const page = linkPage(ctx, lang, now, other);
  return htmlPage(page.status, page.html, page.csp);
});
