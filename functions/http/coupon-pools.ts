import * as z from 'zod/mini';
import { PoolBody } from '#shared/coupons/api.ts';
import { CouponProblem, newPool, poolsWithStock } from '#shared/coupons/service.ts';
import { badRequest, HttpError } from '#shared/http/errors.ts';
import { created, ok, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';
import { callerLanguage } from '#shared/shop/settings.ts';

/** Coupon pools: marketing readers list them with their stock; marketers create one (with generated codes). */
export const handler = withHttp('coupon-pools', { body: z.optional(PoolBody) }, async ({ body, caller, event, now }) => {
  if (event.requestContext.http.method !== 'POST') return ok({ pools: await poolsWithStock() });
  const lang = callerLanguage(event.headers?.['accept-language']);
  if (!body) throw badRequest(lang === 'zh-CN' ? '请填写券池的名称、面额和到期时间。' : 'send the pool’s name, value and expiry');
  try {
    const result = await newPool(body, now);
    logger.info('coupon pool created', { poolId: result.pool.poolId, codes: result.codes?.added ?? 0, actor: caller.sub });
    return created(result);
  } catch (error) {
    if (!(error instanceof CouponProblem)) throw error;
    throw new HttpError(error.status, error.status === 404 ? 'not_found' : 'bad_request', error.problem[lang], {
      fields: [{ path: error.field, message: error.problem[lang], en: error.problem.en }],
    });
  }
});
