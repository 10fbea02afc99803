import { liftSuppression, SuppressionParams } from '#shared/channels/suppressions.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';

/** An admin lifts a suppression: mail to the address goes out again; who and when is kept (`LIFT#`). */
export const handler = withHttp('email-suppressions-lift', { params: SuppressionParams }, async ({ params, caller }) => {
  const at = new Date().toISOString();
  const lifted = await liftSuppression(params.address, caller.sub, at);
  logger.info('email suppression lifted', { actor: caller.sub, reason: lifted.reason, suppressedAt: lifted.at });
  return ok({ lifted, liftedBy: caller.sub, liftedAt: at });
});
