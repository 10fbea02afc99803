import { ok, withHttp } from '#shared/http/with-http.ts';
import { MyProgressQuery } from '#shared/quality/training-api.ts';
import { myProgress } from '#shared/quality/training-service.ts';

/** The calling agent's own training progress (one Query on their partition). */
export const handler = withHttp('training-progress-mine', { query: MyProgressQuery }, async ({ caller }) => ok(await myProgress(caller)));
