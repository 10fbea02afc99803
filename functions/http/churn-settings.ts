import { churnReference } from '#shared/churn/store.ts';
import { type ChurnSettingsResponse, churnSettingsStatus, LEVEL_NAMES } from '#shared/churn/thresholds.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

/** The thresholds (uncached, with how far the last change is applied to members' levels), their level names and the shop reference. */
export const handler = withHttp('churn-settings', {}, async () => {
  const [settings, reference] = await Promise.all([churnSettingsStatus(), churnReference()]);
  const body: ChurnSettingsResponse = { ...settings, levels: LEVEL_NAMES, reference: reference ?? null };
  return ok(body);
});
