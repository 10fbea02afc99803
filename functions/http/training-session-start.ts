import { created, withHttp } from '#shared/http/with-http.ts';
import { SessionBody } from '#shared/quality/inspection-api.ts';
import { startSession } from '#shared/quality/training-service.ts';

/** An agent starts an offline practice: the simulated shopper opens with the script's first turn. */
export const handler = withHttp('training-session-start', { body: SessionBody }, async ({ body, caller, now }) =>
  created(await startSession(caller, body.scenarioId, now)),
);
