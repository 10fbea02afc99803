/** A campaign's report: treated vs holdout, the uplift with its 95 % interval (also drawn), revenue and incremental figures, and a coupon campaign's redemptions. */
import type { CampaignReport } from '../../../shared/campaigns/report.ts';
import type { Progress as CampaignProgress } from '../../../shared/campaigns/store.ts';
import { MIN_ARM_MEMBERS } from '../../../shared/campaigns/uplift.ts';
import '../i18n-marketing.ts';
import { type Translate, useI18n } from '../i18n.ts';
import { pickText } from '../kit/index.ts';
import { money } from '../labels.ts';
import { formatNumber, formatPercent } from '../quality-state.ts';

export type Report = CampaignReport;
export type Progress = CampaignProgress;

export function ReportSection(props: { report: Report }) {
  const { t, locale } = useI18n();
  const report = props.report;
  const overall = report.overall;
  const pp = (v: number) => `${v >= 0 ? '+' : ''}${formatNumber(v * 100, locale, 2)} ${t('mPp')}`;
  const cny = (v: number) => money(v, 'CNY', locale);
  return (
    <section aria-labelledby="report-heading" class="report">
      <h3 id="report-heading">{t('mReport')}</h3>
      {!report.window && <p class="muted">{t('mReportNotStarted')}</p>}
      {report.window && (
        <p class="muted small">
          {t('mWindow', { from: new Date(report.window.from).toLocaleString(locale), to: new Date(report.window.to).toLocaleString(locale) })}{' '}
          {report.window.complete ? t('mWindowDone') : t('mWindowOpen')}
        </p>
      )}
      {overall && (
        <>
          <table class="kb-table report-table">
            <thead>
              <tr>
                <th scope="col">{t('mArm')}</th>
                <th scope="col">{t('mMembers')}</th>
                <th scope="col">{t('mConverters')}</th>
                <th scope="col">{t('mRecallRate')}</th>
                <th scope="col">{t('orderCount')}</th>
                <th scope="col">{t('mRevenue')}</th>
                <th scope="col">{t('mRevenuePerMember')}</th>
              </tr>
            </thead>
            <tbody>
              {(['treated', 'holdout'] as const).map((arm) => (
                <tr key={arm} data-arm={arm}>
                  <th scope="row">{t(arm === 'treated' ? 'mTreated' : 'mHoldoutArm')}</th>
                  <td>{overall[arm].members}</td>
                  <td>{overall[arm].converters}</td>
                  <td>{formatPercent(overall[arm].recallRate, locale)}</td>
                  <td>{overall[arm].orders}</td>
                  <td>{cny(overall[arm].revenue)}</td>
                  <td>{overall[arm].revenuePerMember === null ? '–' : cny(overall[arm].revenuePerMember)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <dl class="uplift">
            <dt>{t('mUplift')}</dt>
            <dd data-uplift>
              {overall.uplift
                ? `${pp(overall.uplift.estimate)} (${t('mCi', { low: pp(overall.uplift.ci95[0]), high: pp(overall.uplift.ci95[1]) })}) · ${overall.uplift.tooSmall ? t('mTooSmall', { min: MIN_ARM_MEMBERS }) : overall.uplift.significant ? t('mSignificant') : t('mNotSignificant')}`
                : t('mNoUplift')}
            </dd>
            <dt>{t('mRevenueUplift')}</dt>
            <dd>
              {overall.revenuePerMemberUplift
                ? `${cny(overall.revenuePerMemberUplift.estimate)} (${t('mCi', { low: cny(overall.revenuePerMemberUplift.ci95[0]), high: cny(overall.revenuePerMemberUplift.ci95[1]) })})`
                : '–'}
            </dd>
            <dt>{t('mIncremental')}</dt>
            <dd>
              {overall.incremental
                ? t('mIncrementalIs', { conversions: formatNumber(overall.incremental.conversions, locale), revenue: cny(overall.incremental.revenue) })
                : '–'}
            </dd>
          </dl>
          {overall.uplift && <UpliftChart uplift={overall.uplift} t={t} locale={locale} />}
        </>
      )}
      {report.coupon && (
        <dl class="uplift">
          <dt>{t('mkCouponRedemptions')}</dt>
          <dd data-redemptions>
            {t('mkCouponRedemptionsIs', {
              given: report.coupon.given,
              redeemed: report.coupon.redeemed,
              rate: report.coupon.rate === null ? '–' : formatPercent(report.coupon.rate, locale),
              revenue: cny(report.coupon.revenue),
            })}
          </dd>
          <dd class="muted small">{t('mkCouponRedemptionsNote')}</dd>
        </dl>
      )}
      <p class="muted small">{pickText(report.method, locale)}</p>
    </section>
  );
}

/**
 * The uplift and its 95 % interval on a horizontal axis around zero (drawn by hand: no chart
 * library is installed; see charts.tsx). The numbers are also in the text above.
 */
function UpliftChart(props: { uplift: { estimate: number; ci95: [number, number]; significant: boolean }; t: Translate; locale: string }) {
  const { estimate, ci95 } = props.uplift;
  const span = Math.max(0.01, Math.abs(ci95[0]), Math.abs(ci95[1]), Math.abs(estimate)) * 1.15;
  const W = 480;
  const x = (v: number) => 20 + ((v + span) / (2 * span)) * (W - 40);
  const label = props.t('mCiChart', {
    estimate: formatNumber(estimate * 100, props.locale, 2),
    low: formatNumber(ci95[0] * 100, props.locale, 2),
    high: formatNumber(ci95[1] * 100, props.locale, 2),
  });
  return (
    <svg class="ci-chart" viewBox={`0 0 ${W} 56`} role="img" aria-label={label}>
      <line x1={x(0)} x2={x(0)} y1={6} y2={46} class="axis" />
      <line x1={x(ci95[0])} x2={x(ci95[1])} y1={26} y2={26} stroke={props.uplift.significant ? '#166534' : '#4b5563'} stroke-width={4} />
      <circle cx={x(estimate)} cy={26} r={6} fill={props.uplift.significant ? '#166534' : '#1f2937'} />
      <text x={x(0)} y={54} text-anchor="middle" class="tick">
        0
      </text>
      <text x={x(ci95[0])} y={16} text-anchor="middle" class="tick">
        {formatNumber(ci95[0] * 100, props.locale, 1)}
      </text>
      <text x={x(ci95[1])} y={16} text-anchor="middle" class="tick">
        {formatNumber(ci95[1] * 100, props.locale, 1)}
      </text>
    </svg>
  );
}
