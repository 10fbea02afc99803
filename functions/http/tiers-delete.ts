import { noContent, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';
import { TierParams } from '#shared/members/api.ts';
import { deleteTier } from '#shared/members/config-store.ts';

export const handler = withHttp('tiers-delete', { params: TierParams }, async ({ params, caller }) => {
  await deleteTier(params.tierId);
  logger.info('tier deleted', { tierId: params.tierId, actor: caller.sub });
  return noContent();
});
