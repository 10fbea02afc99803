import { conflict, notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { RedeemBody } from '#shared/members/api.ts';
import { changePoints } from '#shared/members/points.ts';
import { findContactByShopUser } from '#shared/store/contacts.ts';

export const handler = withHttp('points-redeem', { body: RedeemBody }, async ({ body, caller, now }) => {
  const contactId = await findContactByShopUser(caller.shopId, body.customerId);
  if (!contactId) throw notFound('customer');
  const outcome = await changePoints({
    contactId,
    kind: 'redeem',
    points: body.points,
    sourceId: `redeem#${caller.shopId}#${body.redemptionId}`,
    at: now.toISOString(),
  });
  if (outcome.status === 'no_member') throw notFound('customer');
  if (outcome.status === 'duplicate') return ok({ redemptionId: body.redemptionId, duplicate: true, balance: outcome.balance });
  if (outcome.status !== 'applied')
    throw conflict(
      outcome.status === 'insufficient_points'
        ? { en: 'not enough points', zh: '积分不足' }
        : { en: 'redemption touches too many point lots', zh: '本次兑换涉及的积分批次过多' },
      { code: outcome.status },
    );
  return ok({ redemptionId: body.redemptionId, entryId: outcome.entry.entryId, points: outcome.entry.points, balance: outcome.balance });
});
