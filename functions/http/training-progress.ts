import { ok, withHttp } from '#shared/http/with-http.ts';
import { ProgressQuery } from '#shared/quality/training-api.ts';
import { listProgress } from '#shared/quality/training-service.ts';

/** The supervisor's training progress: the shop's (or a team's) finished practices newest first, and per agent. */
export const handler = withHttp('training-progress', { query: ProgressQuery }, async ({ query }) => ok(await listProgress(query.teamId)));
