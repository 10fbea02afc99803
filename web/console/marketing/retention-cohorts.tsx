/**
 * Marketing › retention: the retention curve (cohorts weighted by size), the cohort heat-map table (share of each first-order month buying again
 * in month 1, 2, …; cell shade follows the share), repurchase rates overall and by tier, CSV export
 * of the table, and the churn reasons of the members at risk in the latest daily run.
 */
import { cohortCsv, type RetentionReport, retentionCurve } from '../../../shared/churn/cohorts.ts';
import type { ReasonCounts } from '../../../shared/churn/model-store.ts';
import { DayChart } from '../charts.tsx';
import { useI18n } from '../i18n.ts';
import { DataTable } from '../kit/index.ts';
import { CHURN_REASONS } from '../marketing-state.ts';
import { formatNumber, formatPercent } from '../quality-state.ts';
import { reasonKey, type Tier, tierLabel } from './common.tsx';

/** Background of a heat-map cell: stronger blue for a larger share (text stays dark: light shades only up to ~45%). */
export function heat(share: number): string {
  const a = Math.max(0, Math.min(1, share / 0.45));
  return `rgba(37, 99, 235, ${(0.08 + 0.5 * a).toFixed(2)})`;
}

export function CohortTable(props: { report: RetentionReport | null; tiers: Tier[] }) {
  const { t, locale } = useI18n();
  const report = props.report;
  const pct = (v: number) => formatPercent(v, locale);
  const months = report ? Math.max(0, ...report.cohorts.map((c) => c.retention.length)) : 0;
  const curve = report ? retentionCurve(report) : [];
  const exportCsv = () => {
    if (!report) return;
    const url = URL.createObjectURL(new Blob([cohortCsv(report)], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `kefu-cohort-retention-${report.asOf}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <section class="retention-cohorts" aria-labelledby="ret-cohort-heading">
      <div class="kb-head">
        <h3 id="ret-cohort-heading">{t('retCohortHeading')}</h3>
        {report && report.cohorts.length > 0 && (
          <button type="button" class="btn" onClick={exportCsv}>
            {t('retExport')}
          </button>
        )}
      </div>
      <p class="muted small">{t('retCohortIntro')}</p>
      {!report || report.cohorts.length === 0 ? (
        <p class="muted empty">{t('retNoCohorts')}</p>
      ) : (
        <>
          <p data-repurchase>{t('retRepurchaseAll', { rate: pct(report.repurchaseRate) })}</p>
          {curve.length > 0 && (
            <DayChart
              id="ret-curve"
              title={t('retCurve')}
              summary={t('retCurveSummary')}
              // The chart labels its x axis from the 6th character on: month numbers are padded to fit.
              days={curve.map((p) => String(p.month).padStart(6, ' '))}
              kind="line"
              format={pct}
              series={[{ key: 'share', label: t('retCurveShare'), color: '#2563eb', values: curve.map((p) => p.share) }]}
            />
          )}
          <div class="table-scroll">
            <table class="kb-table cohort-table" data-cohorts={report.cohorts.length}>
              <caption class="sr-only">{t('retCohortHeading')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('retCohort')}</th>
                  <th scope="col">{t('retCustomers')}</th>
                  <th scope="col">{t('retRepurchase')}</th>
                  {Array.from({ length: months }, (_, i) => (
                    <th key={i} scope="col">
                      {t('retMonth', { n: i + 1 })}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {report.cohorts.map((c) => (
                  <tr key={c.month}>
                    <th scope="row">{c.month}</th>
                    <td>{formatNumber(c.customers, locale, 0)}</td>
                    <td>{pct(c.customers ? c.repeated / c.customers : 0)}</td>
                    {Array.from({ length: months }, (_, i) => {
                      const v = c.retention[i];
                      return v === undefined ? (
                        <td key={i} />
                      ) : (
                        <td key={i} class="heat" style={{ background: heat(v) }}>
                          {pct(v)}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {report.byTier.length > 0 && (
            <DataTable
              caption={t('retByTier')}
              rows={report.byTier}
              rowKey={(r) => r.tier}
              columns={[
                { key: 'tier', header: t('retTier'), rowHeader: true, cell: (r) => tierLabel(r.tier, props.tiers, locale) },
                { key: 'customers', header: t('retCustomers'), cell: (r) => formatNumber(r.customers, locale, 0) },
                { key: 'rate', header: t('retRepurchase'), cell: (r) => pct(r.repurchaseRate) },
              ]}
            />
          )}
        </>
      )}
    </section>
  );
}

export function ReasonsTable(props: { reasons: ReasonCounts | null }) {
  const { t, locale } = useI18n();
  const r = props.reasons;
  const rows = r
    ? Object.entries(r.counts)
        .map(([code, n]) => ({ code, n }))
        .sort((a, b) => b.n - a.n)
    : [];
  return (
    <section class="retention-reasons" aria-labelledby="ret-reasons-heading">
      <h3 id="ret-reasons-heading">{t('retReasonsHeading')}</h3>
      {r && <p class="muted small">{t('retReasonsIntro', { n: r.atRisk, at: new Date(r.at).toLocaleString(locale) })}</p>}
      <DataTable
        caption={t('retReasonsHeading')}
        rows={rows}
        rowKey={(x) => x.code}
        empty={t('retNoReasons')}
        columns={[
          {
            key: 'reason',
            header: t('retReason'),
            rowHeader: true,
            cell: (x) => ((CHURN_REASONS as readonly string[]).includes(x.code) ? t(reasonKey(x.code)) : x.code),
          },
          { key: 'n', header: t('retMembers'), cell: (x) => formatNumber(x.n, locale, 0) },
          { key: 'share', header: t('retShare'), cell: (x) => formatPercent(r?.atRisk ? x.n / r.atRisk : 0, locale) },
        ]}
      />
    </section>
  );
}
