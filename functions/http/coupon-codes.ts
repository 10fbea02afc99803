import { CodesBody, PoolParams } from '#shared/coupons/api.ts';
import { CouponProblem, moreCodes } from '#shared/coupons/service.ts';
import { HttpError } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';
import { callerLanguage } from '#shared/shop/settings.ts';

/** Adds codes to a pool: the shop's CSV export (each code once; repeats and bad lines reported) or generated ones. */
export const handler = withHttp('coupon-codes', { body: CodesBody, params: PoolParams }, async ({ body, params, caller, event }) => {
  const lang = callerLanguage(event.headers?.['accept-language']);
  try {
    const result = await moreCodes(params.poolId, body);
    logger.info('coupon codes added', { poolId: params.poolId, added: result.codes.added, duplicates: result.codes.duplicates, actor: caller.sub });
    return ok(result);
  } catch (error) {
    if (!(error instanceof CouponProblem)) throw error;
    throw new HttpError(error.status, error.status === 404 ? 'not_found' : 'bad_request', error.problem[lang], {
      fields: [{ path: error.field, message: error.problem[lang], en: error.problem.en }],
    });
  }
});
