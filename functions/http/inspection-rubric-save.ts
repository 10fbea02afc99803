import { ok, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';
import { RubricBody, TeamParams } from '#shared/quality/inspection-api.ts';
import { requireTeam } from '#shared/quality/inspection-service.ts';
import { saveRubric } from '#shared/quality/inspection-store.ts';

/** Saves a team's scorecard as a new version; reviews keep the version they were scored with. */
export const handler = withHttp('inspection-rubric-save', { body: RubricBody, params: TeamParams }, async ({ body, params, caller, now }) => {
  await requireTeam(params.teamId);
  const saved = await saveRubric(params.teamId, body, caller.sub, now);
  logger.info('inspection scorecard saved', { teamId: params.teamId, version: saved.version, actor: caller.sub });
  return ok(saved);
});
