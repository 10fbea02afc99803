import * as z from 'zod/mini';
import { requestLang } from '#shared/campaigns/reach.ts';
import { saveChurnSettings } from '#shared/churn/store.ts';
import { applyThresholds, thresholdProblem } from '#shared/churn/thresholds.ts';
import { badRequest } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';

const Body = z.strictObject({
  mediumAt: z.number().check(z.gt(0), z.lt(1)),
  highAt: z.number().check(z.gt(0), z.lt(1)),
  /** The version read (0 while the defaults apply). */
  version: z.int().check(z.minimum(0)),
});
type Body = z.infer<typeof Body>;

/** How long a save spends moving members to their new levels before the hourly churn run takes over. */
const APPLY_BUDGET_MS = 4_000;

export const handler = withHttp('churn-settings-save', { body: Body }, async ({ body, caller, now, event }) => {
  const problem = thresholdProblem(body);
  if (problem) {
    const lang = requestLang(event.headers?.['accept-language']);
    throw badRequest(problem[lang], { fields: [{ path: problem.path, message: problem[lang], en: problem.en }] });
  }
  const saved = await saveChurnSettings(body, caller.sub, now);
  const until = Date.now() + APPLY_BUDGET_MS;
  const apply = await applyThresholds({ now: () => new Date(), timeLeftMs: () => until - Date.now(), reserveMs: 0 });
  logger.info('churn thresholds saved', { version: saved.version, actor: caller.sub, moved: apply?.moved, applied: apply?.done });
  return ok({ ...saved, ...(apply ? { apply } : {}) });
});
