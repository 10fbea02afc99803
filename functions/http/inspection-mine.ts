import { ok, withHttp } from '#shared/http/with-http.ts';
import { MineQuery } from '#shared/quality/inspection-api.ts';
import type { InspectionMineResponse } from '#shared/quality/inspection-service.ts';
import { readAgentSample } from '#shared/quality/inspection-store.ts';

/** How many of their latest sampled conversations an agent sees. */
const LIMIT = 50;

/** The caller's reviewed conversations, newest first (one Query on their gsi1 partition). */
export const handler = withHttp('inspection-mine', { query: MineQuery }, async ({ caller }) => {
  const items = (await readAgentSample(caller.sub, LIMIT)).filter((e) => e.status === 'reviewed');
  const body: InspectionMineResponse = { items };
  return ok(body);
});
