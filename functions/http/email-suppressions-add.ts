import { addManualSuppression, SuppressionBody } from '#shared/channels/suppressions.ts';
import { created, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';

/** An admin puts an address on the suppression list by hand (409 when it is there already). */
export const handler = withHttp('email-suppressions-add', { body: SuppressionBody }, async ({ body, caller }) => {
  const entry = await addManualSuppression(body.address, body.note || undefined, caller.sub, new Date().toISOString());
  logger.info('email address suppressed by hand', { actor: caller.sub });
  return created(entry);
});
