import { BUILTIN_DEFINITIONS, DefinitionBody, DefinitionParams } from '#shared/feedback/model.ts';
import { definitionProblems } from '#shared/feedback/rules.ts';
import { dynamoFeedbackStore, saveDefinition } from '#shared/feedback/store.ts';
import { badRequest, conflict } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

/**
 * Creates or replaces a multi-question survey (zh/en texts); sent surveys keep the questions they had.
 * A built-in survey (csat, ces, nps) that was never saved is replaced by sending the version read
 * (1): the first save stores the shop's own copy as version 2.
 */
export const handler = withHttp('survey-config-definition', { body: DefinitionBody, params: DefinitionParams }, async ({ body, params, now }) => {
  const problems = definitionProblems(body);
  // field messages (`{path, message}`) as every 400 carries them: the console shows them by the question list
  if (problems.length) throw badRequest(`invalid survey: ${problems.join('; ')}`, { fields: problems.map((message) => ({ path: 'questions', message })) });
  const questions = body.questions.map(({ options, multiple, showIf, ...q }) => ({
    ...q,
    ...(options ? { options } : {}),
    ...(multiple !== undefined ? { multiple } : {}),
    ...(showIf ? { showIf } : {}),
  }));
  const builtin = BUILTIN_DEFINITIONS.find((d) => d.definitionId === params.definitionId);
  // the store answers a never-saved built-in with the built-in itself
  const unsaved = builtin !== undefined && (await dynamoFeedbackStore.definition(params.definitionId)) === builtin;
  if (unsaved && body.version !== builtin.version) {
    throw conflict(`survey ${builtin.definitionId} is built in at version ${builtin.version}: send that version to replace it`);
  }
  const saved = await saveDefinition(
    { definitionId: params.definitionId, name: body.name, questions, version: (body.version ?? 0) + 1, updatedAt: now.toISOString() },
    unsaved ? undefined : body.version,
  );
  return ok({ definition: saved });
});
