import * as z from 'zod/mini';
import { saveChurnSettings } from '#shared/churn/store.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';

const Body = z
  .strictObject({
    mediumAt: z.number().check(z.gt(0), z.lt(1)),
    highAt: z.number().check(z.gt(0), z.lt(1)),
    /** The version read (0 while the defaults apply). */
    version: z.int().check(z.minimum(0)),
  })
  .check(z.refine((b) => b.mediumAt < b.highAt, 'mediumAt must be below highAt'));
type Body = z.infer<typeof Body>;

export const handler = withHttp('churn-settings-save', { body: Body }, async ({ body, caller, now }) => {
  const saved = await saveChurnSettings(body, caller.sub, now);
  logger.info('churn thresholds saved', { version: saved.version, actor: caller.sub });
  return ok(saved);
});
