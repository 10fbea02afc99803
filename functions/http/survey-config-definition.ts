import { DefinitionBody, DefinitionParams } from '#shared/feedback/model.ts';
import { definitionProblems } from '#shared/feedback/rules.ts';
import { saveDefinition } from '#shared/feedback/store.ts';
import { badRequest } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

/** Creates or replaces a multi-question survey (zh/en texts); sent surveys keep the questions they had. */
export const handler = withHttp('survey-config-definition', { body: DefinitionBody, params: DefinitionParams }, async ({ body, params, now }) => {
  const problems = definitionProblems(body);
  if (problems.length) throw badRequest(`invalid survey: ${problems.join('; ')}`, { fields: problems });
  const questions = body.questions.map(({ options, multiple, showIf, ...q }) => ({
    ...q,
    ...(options ? { options } : {}),
    ...(multiple !== undefined ? { multiple } : {}),
    ...(showIf ? { showIf } : {}),
  }));
  const saved = await saveDefinition(
    { definitionId: params.definitionId, name: body.name, questions, version: (body.version ?? 0) + 1, updatedAt: now.toISOString() },
    body.version,
  );
  return ok({ definition: saved });
});
