import { ok, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';
import { InspectionSettingsBody } from '#shared/quality/inspection-api.ts';
import { saveSettings } from '#shared/quality/inspection-store.ts';

/** Saves the inspection settings as a new version (409 when someone saved meanwhile). */
export const handler = withHttp('inspection-settings-save', { body: InspectionSettingsBody }, async ({ body, caller, now }) => {
  const saved = await saveSettings(body, caller.sub, now);
  logger.info('inspection settings saved', { version: saved.version, actor: caller.sub });
  return ok(saved);
});
