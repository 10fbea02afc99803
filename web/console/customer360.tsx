import { useEffect, useState } from 'preact/hooks';
import type { StaffApi } from './auth.ts';
import { useI18n } from './i18n.ts';
import { errorMessage } from './kit/index.ts';
import { day, money, orderStatusLabel } from './labels.ts';

type Text = { zh: string; en: string };

/** What `GET /contacts/{contactId}` returns that the panel shows (functions/http/contact-get.ts). */
export interface Customer360 {
  profile: { contactId: string; name?: string; email?: string; phone?: string; shopUserId?: string; verified?: boolean };
  membership: {
    tier: { tierId: string; rank: number; name: Text; since?: string };
    benefits?: { perks?: Text[] };
    points: { balance: number; lifetimeEarned: number; expiringWithin30Days: number; nextExpiry?: { points: number; at: string } };
    nextTier?: { tierId: string; name: Text; spendToGo?: number; pointsToGo?: number };
  };
  rfm: { orderCount: number; totalSpend: number; avgSpend: number; firstOrderAt?: string; lastOrderAt?: string };
  recentOrders: { orderId: string; status: string; amount: number; currency: string; placedAt: string; statusAt?: string }[];
  conversations: { conversationId: string; status: string; channel: string; lastMessageAt: string; preview: string }[];
}

const ORDERS_SHOWN = 5;

/** Tier, points, RFM figures and recent orders of the customer behind a conversation. */
export function CustomerPanel(props: { api: StaffApi; contactId: string }) {
  const { t, locale } = useI18n();
  const [data, setData] = useState<Customer360>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let cancelled = false;
    setData(undefined);
    setError(undefined);
    props.api.call<Customer360>(`/contacts/${encodeURIComponent(props.contactId)}`).then(
      (result) => !cancelled && setData(result),
      (err: unknown) => !cancelled && setError(errorMessage(err)),
    );
    return () => {
      cancelled = true;
    };
  }, [props.contactId]);

  const text = (value: Text | undefined) => (value ? (locale === 'zh-CN' ? value.zh : value.en) : '');
  const currency = data?.recentOrders[0]?.currency;

  return (
    <section class="c360" aria-labelledby="c360-heading">
      <h3 id="c360-heading">{t('c360')}</h3>
      {error && <p class="error small">{t('c360Failed', { message: error })}</p>}
      {!data && !error && <p class="muted small">{t('loading')}</p>}
      {data && (
        <>
          <dl>
            <dt>{t('tier')}</dt>
            <dd>
              <span class={`tier rank-${Math.min(data.membership.tier.rank, 3)}`}>{text(data.membership.tier.name)}</span>
              {data.membership.tier.since && <span class="muted small"> {t('memberSince', { date: day(data.membership.tier.since, locale) })}</span>}
            </dd>
            <dt>{t('points')}</dt>
            <dd>
              <strong>{data.membership.points.balance.toLocaleString(locale)}</strong>
              {data.membership.points.expiringWithin30Days > 0 && (
                <span class="warn small"> · {t('pointsExpiring', { points: data.membership.points.expiringWithin30Days.toLocaleString(locale) })}</span>
              )}
            </dd>
            <dt>{t('lifetimePoints')}</dt>
            <dd>{data.membership.points.lifetimeEarned.toLocaleString(locale)}</dd>
            {data.membership.nextTier && (
              <>
                <dt>{t('nextTier')}</dt>
                <dd>{text(data.membership.nextTier.name)}</dd>
              </>
            )}
            <dt>{t('orderCount')}</dt>
            <dd>{data.rfm.orderCount}</dd>
            <dt>{t('totalSpend')}</dt>
            <dd>{money(data.rfm.totalSpend, currency, locale)}</dd>
            <dt>{t('avgSpend')}</dt>
            <dd>{money(data.rfm.avgSpend, currency, locale)}</dd>
            {data.rfm.lastOrderAt && (
              <>
                <dt>{t('lastOrder')}</dt>
                <dd>{day(data.rfm.lastOrderAt, locale)}</dd>
              </>
            )}
            {data.rfm.firstOrderAt && (
              <>
                <dt>{t('firstOrder')}</dt>
                <dd>{day(data.rfm.firstOrderAt, locale)}</dd>
              </>
            )}
          </dl>
          {(data.membership.benefits?.perks?.length ?? 0) > 0 && (
            <>
              <h4>{t('benefits')}</h4>
              <ul class="perks">
                {data.membership.benefits!.perks!.map((perk, i) => (
                  <li key={i}>{text(perk)}</li>
                ))}
              </ul>
            </>
          )}
          <h4>{t('recentOrders')}</h4>
          {data.recentOrders.length ? (
            <ul class="orders">
              {data.recentOrders.slice(0, ORDERS_SHOWN).map((o) => (
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
      )}
    </section>
  );
}
