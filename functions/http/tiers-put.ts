import { ok, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';
import { TierBody, TierParams } from '#shared/members/api.ts';
import { saveTier } from '#shared/members/config-store.ts';

export const handler = withHttp('tiers-put', { body: TierBody, params: TierParams }, async ({ body, params, caller }) => {
  const { version, ...fields } = body;
  const saved = await saveTier({ tierId: params.tierId, ...fields }, version);
  logger.info('tier saved', { tierId: params.tierId, version: saved.version, actor: caller.sub });
  return ok({ ...saved.tier, version: saved.version });
});
