import { ok, withHttp } from '#shared/http/with-http.ts';
import { inspectionConfig } from '#shared/quality/inspection-service.ts';

/** Inspection settings and every team's scorecard (the built-in one until a team saves its own). */
export const handler = withHttp('inspection-config', {}, async () => ok(await inspectionConfig()));
