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
  if (problems.length)
    throw badRequest(
      { en: `invalid survey: ${problems.join('; ')}`, zh: `问卷设置有误（${problems.length} 处问题），请检查题目` },
      { fields: problems.map((message) => ({ path: 'questions', message })) },
    );
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
    throw conflict({
      en: `survey ${builtin.definitionId} is built in at version ${builtin.version}: send that version to replace it`,
      zh: `问卷 ${builtin.definitionId} 是内置问卷，当前是第 ${builtin.version} 版，请附上该版本号来替换它`,
    });
  }
  const saved = await saveDefinition(
    { definitionId: params.definitionId, name: body.name, questions, version: (body.version ?? 0) + 1, updatedAt: now.toISOString() },
    unsaved ? undefined : body.version,
  );
  return ok({ definition: saved });
});
