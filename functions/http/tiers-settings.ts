import { ok, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';
import { SettingsBody } from '#shared/members/api.ts';
import { saveSettings } from '#shared/members/config-store.ts';

export const handler = withHttp('tiers-settings', { body: SettingsBody }, async ({ body, caller }) => {
  const { version, ...patch } = body;
  const saved = await saveSettings(patch, version);
  logger.info('loyalty settings saved', { version: saved.version, actor: caller.sub });
  return ok({ ...saved.settings, version: saved.version });
});
