import * as z from 'zod/mini';
import { SurveyParams } from '#shared/feedback/model.ts';
import { closeFollowUp, getFollowUp } from '#shared/feedback/store.ts';
import { conflict, notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

const Body = z.strictObject({
  version: z.number().check(z.int(), z.gte(1)),
  note: z.optional(z.string().check(z.trim(), z.maxLength(2000))),
});

/** A team lead closes a follow-up after calling the customer back (versioned). */
export const handler = withHttp('survey-follow-up-close', { body: Body, params: SurveyParams }, async ({ body, params, caller, now }) => {
  const prev = await getFollowUp(params.surveyId);
  if (!prev) throw notFound('follow-up');
  if (prev.version !== body.version)
    throw conflict({ en: 'the follow-up changed meanwhile; reload and retry', zh: '该跟进已被他人修改，请重新加载后再试' }, { version: prev.version });
  if (prev.status === 'closed') return ok({ followUp: prev });
  return ok({ followUp: await closeFollowUp(prev, caller.sub, body.note, now.toISOString()) });
});
