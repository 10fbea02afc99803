import type { Customer360 } from '../customer360.tsx';
import { useI18n } from '../i18n.ts';
import { pickText } from '../kit/index.ts';
import { day, money, orderStatusLabel } from '../labels.ts';

const ORDERS_SHOWN = 5;

/** Tier, points, RFM figures, benefits and recent orders of the customer. */
export function MembershipSummary(props: { data: Customer360 }) {
  const { t, locale } = useI18n();
  const { membership, rfm, recentOrders } = props.data;
  const currency = recentOrders[0]?.currency;
  const perks = membership.benefits?.perks ?? [];
  return (
    <>
      <dl>
        <dt>{t('tier')}</dt>
        <dd>
          <span class={`tier rank-${Math.min(membership.tier.rank, 3)}`}>{pickText(membership.tier.name, locale)}</span>
          {membership.tier.since && <span class="muted small"> {t('memberSince', { date: day(membership.tier.since, locale) })}</span>}
        </dd>
        <dt>{t('points')}</dt>
        <dd>
          <strong data-points-balance>{membership.points.balance.toLocaleString(locale)}</strong>
          {membership.points.expiringWithin30Days > 0 && (
            <span class="warn small"> · {t('pointsExpiring', { points: membership.points.expiringWithin30Days.toLocaleString(locale) })}</span>
          )}
        </dd>
        <dt>{t('lifetimePoints')}</dt>
        <dd>{membership.points.lifetimeEarned.toLocaleString(locale)}</dd>
        {membership.nextTier && (
          <>
            <dt>{t('nextTier')}</dt>
            <dd>{pickText(membership.nextTier.name, locale)}</dd>
          </>
        )}
        <dt>{t('orderCount')}</dt>
        <dd>{rfm.orderCount}</dd>
        <dt>{t('totalSpend')}</dt>
        <dd>{money(rfm.totalSpend, currency, locale)}</dd>
        <dt>{t('avgSpend')}</dt>
        <dd>{money(rfm.avgSpend, currency, locale)}</dd>
        {rfm.lastOrderAt && (
          <>
            <dt>{t('lastOrder')}</dt>
            <dd>{day(rfm.lastOrderAt, locale)}</dd>
          </>
        )}
        {rfm.firstOrderAt && (
          <>
            <dt>{t('firstOrder')}</dt>
            <dd>{day(rfm.firstOrderAt, locale)}</dd>
          </>
        )}
      </dl>
      {perks.length > 0 && (
        <>
          <h4>{t('benefits')}</h4>
          <ul class="perks">
            {perks.map((perk, i) => (
              <li key={i}>{pickText(perk, locale)}</li>
            ))}
          </ul>
        </>
      )}
      <h4>{t('recentOrders')}</h4>
      {recentOrders.length ? (
        <ul class="orders">
          {recentOrders.slice(0, ORDERS_SHOWN).map((o) => (
            <li key={o.orderId}>
              <span class="mono">{o.orderId}</span>
              <span class={`order-status ${o.status}`}>{orderStatusLabel(o.status, t)}</span>
              <span>{money(o.amount, o.currency, locale)}</span>
              <time dateTime={o.placedAt} class="muted small">
                {day(o.placedAt, locale)}
              </time>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted small">{t('noOrders')}</p>
      )}
    </>
  );
}
