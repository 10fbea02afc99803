import { badRequest } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';
import { ShopSettingsBody } from '#shared/shop/api.ts';
import { callerLanguage, changeAttributes, MESSAGES, settingsView, urlProblem } from '#shared/shop/settings.ts';
import { DEFAULT_SHOP_ID, saveShopSettings } from '#shared/store/shops.ts';
import { checkTarget, policyFor } from '#shared/webhooks/address-policy.ts';

export const handler = withHttp('shop-settings-put', { body: ShopSettingsBody }, async ({ body, caller, event, now }) => {
  const { version, ...change } = body;
  const lang = callerLanguage(event.headers?.['accept-language']);
  if (Object.values(change).every((value) => value === undefined)) throw badRequest(MESSAGES.nothingToChange[lang]);
  if (typeof change.webhookUrl === 'string') {
    const verdict = await checkTarget(change.webhookUrl, policyFor(change.webhookUrl));
    if (!verdict.ok) {
      const problem = urlProblem(verdict.reason);
      throw badRequest(problem[lang], { fields: [{ path: 'webhookUrl', message: problem[lang], en: problem.en, reason: verdict.reason }] });
    }
    change.webhookUrl = verdict.url.href;
  }
  const saved = await saveShopSettings(DEFAULT_SHOP_ID, changeAttributes(change), version, caller.sub, now);
  logger.info('shop settings saved', { shopId: DEFAULT_SHOP_ID, version: saved.settingsVersion, fields: Object.keys(change), actor: caller.sub });
  return ok(settingsView(saved));
});
