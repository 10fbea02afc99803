import { conflict, notFound } from '#shared/http/errors.ts';
import { created, ok, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';
import { ContactParams, PointsAdjustBody } from '#shared/members/api.ts';
import { changePoints } from '#shared/members/points.ts';

const REFUSED = {
  insufficient_points: { en: 'the member has fewer points than this adjustment takes away', zh: '会员的积分少于本次要扣除的积分' },
  too_many_lots: {
    en: 'this adjustment would touch too many point lots at once; adjust in smaller steps',
    zh: '本次调整一次涉及的积分批次过多，请分几次小额调整',
  },
  invalid_points: { en: 'points must be a non-zero whole number', zh: '积分必须是非零整数' },
} as const;

export const handler = withHttp('points-adjust', { body: PointsAdjustBody, params: ContactParams }, async ({ body, params, caller, requestId, now }) => {
  const key = body.adjustmentId ?? requestId;
  const outcome = await changePoints({
    contactId: params.contactId,
    kind: 'adjust',
    points: body.points,
    sourceId: `adjust#${params.contactId}#${key}`,
    at: now.toISOString(),
    reason: body.reason,
    actor: caller.sub,
  });
  if (outcome.status === 'no_member') throw notFound('contact');
  if (outcome.status === 'duplicate') return ok({ duplicate: true, balance: outcome.balance });
  if (outcome.status !== 'applied') throw conflict(REFUSED[outcome.status], { code: outcome.status });
  logger.info('points adjusted', { contactId: params.contactId, entryId: outcome.entry.entryId, points: outcome.entry.points, actor: caller.sub });
  return created({ entry: outcome.entry, balance: outcome.balance });
});
