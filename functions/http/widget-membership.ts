import { forbidden, notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { loyaltyConfig, readLots, readMember, windowMetrics } from '#shared/members/store.ts';
import { membershipView } from '#shared/members/view.ts';

export const handler = withHttp('widget-membership', {}, async ({ caller, now }) => {
  if (!caller.verified) throw forbidden({ en: 'membership is shown to signed-in (verified) shoppers only', zh: '会员信息仅对已登录（已验证）的顾客显示' });
  const member = await readMember(caller.contactId);
  if (!member || member.shopId !== caller.shopId) throw notFound('member');
  const at = now.toISOString();
  const config = await loyaltyConfig();
  const [metrics, lots] = await Promise.all([windowMetrics(member.contactId, config, at), readLots(member.contactId)]);
  const view = membershipView({
    tiers: config.tiers,
    tierId: member.tier?.tierId,
    since: member.tier?.since,
    balance: member.balance,
    earned: member.earned,
    metrics,
    lots,
    now: at,
  });
  const { slaPolicyId: _sla, routingTeam: _team, ...benefits } = view.benefits;
  return ok({ ...view, benefits });
});
