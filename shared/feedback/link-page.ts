/**
 * The signed-link flow shared by the GET (page) and POST (answer / opt-out) handlers: checks the
 * token, reads the survey, and decides which page state to show.
 */
import { getSessionKey } from '#shared/auth/secrets.ts';
import { checkLinkToken } from './link.ts';
import type { SurveyInstance, SurveyResponse } from './model.ts';
import { type Lang, type PageState, renderSurveyPage } from './page.ts';
import type { FeedbackStore } from './ports.ts';
import { editable } from './rules.ts';

export interface LinkContext {
  verdict: 'ok' | 'expired' | 'invalid';
  survey?: SurveyInstance;
  response?: SurveyResponse;
  optedOut: boolean;
}

/** Checks a link token and loads what the page needs; an unknown or suppressed survey is `invalid`. */
export async function openLink(store: FeedbackStore, surveyId: string, token: string, now: Date): Promise<LinkContext> {
  const verdict = checkLinkToken(await getSessionKey(), surveyId, token, now);
  if (verdict === 'invalid') return { verdict, optedOut: false };
  const survey = await store.getSurvey(surveyId);
  if (!survey || survey.status === 'suppressed') return { verdict: 'invalid', optedOut: false };
  const [response, optedOut] = await Promise.all([store.getResponse(surveyId), store.optedOut(survey.contactId)]);
  return { verdict, survey, ...(response ? { response } : {}), optedOut };
}

/** The page for a link in its current state. */
export function linkPage(ctx: LinkContext, lang: Lang, now: Date, otherLangHref: string): { html: string; csp: string; status: number } {
  let state: PageState;
  if (ctx.verdict === 'invalid' || !ctx.survey) state = 'invalid';
  else if (ctx.optedOut) state = 'opted_out';
  else if (ctx.response) state = editable(ctx.response, now) ? 'form' : 'thanks';
  else state = ctx.verdict === 'expired' || Date.parse(ctx.survey.expiresAt) <= now.getTime() ? 'expired' : 'form';
  const page = renderSurveyPage({
    state,
    lang,
    ...(ctx.survey ? { survey: ctx.survey } : {}),
    ...(ctx.response ? { answers: ctx.response.answers, editableUntil: ctx.response.editableUntil } : {}),
    otherLangHref,
  });
  return { ...page, status: state === 'invalid' ? 404 : state === 'expired' ? 410 : 200 };
}
