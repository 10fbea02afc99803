import { created, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';
import { ScenarioBody } from '#shared/quality/inspection-api.ts';
import { createScenario } from '#shared/quality/training-service.ts';

/** A supervisor turns a past conversation into an anonymised training scenario. */
export const handler = withHttp('training-scenario-create', { body: ScenarioBody }, async ({ body, caller, now }) => {
  const scenario = await createScenario(caller, body, now);
  logger.info('training scenario created', { scenarioId: scenario.scenarioId, turns: scenario.turns, actor: caller.sub });
  return created({ scenario });
});
