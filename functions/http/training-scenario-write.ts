import { created, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';
import { WrittenScenarioBody } from '#shared/quality/training-api.ts';
import { createWrittenScenario } from '#shared/quality/training-service.ts';

/** A supervisor writes a training scenario by hand: the shopper's lines in order, with key points. */
export const handler = withHttp('training-scenario-write', { body: WrittenScenarioBody }, async ({ body, caller, now }) => {
  const scenario = await createWrittenScenario(caller, body, now);
  logger.info('training scenario written', { scenarioId: scenario.scenarioId, turns: scenario.turns, actor: caller.sub });
  return created({ scenario });
});
