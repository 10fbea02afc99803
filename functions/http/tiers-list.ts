import { ok, withHttp } from '#shared/http/with-http.ts';
import { forgetLoyaltyConfig, loyaltyConfig } from '#shared/members/store.ts';

export const handler = withHttp('tiers-list', {}, async () => {
  forgetLoyaltyConfig();
  const config = await loyaltyConfig();
  return ok({
    tiers: config.tiers.map((t) => ({ ...t, version: config.versions[t.tierId] })),
    settings: { ...config.settings, version: config.versions.settings },
    defaults: !config.stored,
  });
});
