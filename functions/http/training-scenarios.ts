import { ok, withHttp } from '#shared/http/with-http.ts';
import { TrainingListQuery } from '#shared/quality/inspection-api.ts';
import { listScenarios, type TrainingScenariosResponse } from '#shared/quality/training-service.ts';

/** The scenario library (one Query on its partition), newest first. */
export const handler = withHttp('training-scenarios', { query: TrainingListQuery }, async () => {
  const body: TrainingScenariosResponse = { items: await listScenarios() };
  return ok(body);
});
