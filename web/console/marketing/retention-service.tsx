/**
 * Marketing › retention: members with service problems (SLA breaches, low CSAT, …) against members
 * without — the share at medium or high churn risk and, with a fitted horizon, the share who have
 * not bought again — with a one-line reading. Tallied by the daily churn run (service-link.ts).
 */
import type { ReasonCounts } from '../../../shared/churn/model-store.ts';
import { type ServiceGroup, serviceReading } from '../../../shared/churn/service-link.ts';
import { type ConsoleKey, useI18n } from '../i18n.ts';
import { DataTable } from '../kit/index.ts';
import { formatNumber, formatPercent } from '../quality-state.ts';

const groupKey = (g: ServiceGroup) => `retSvc_${g}` as ConsoleKey;

export function ServiceLinkTable(props: { reasons: ReasonCounts | null }) {
  const { t, locale } = useI18n();
  const link = props.reasons?.service;
  const pct = (v: number) => formatPercent(v, locale);
  const reading = link ? serviceReading(link) : undefined;
  const horizon = link?.horizonDays ?? null;
  return (
    <section class="retention-service" aria-labelledby="ret-service-heading">
      <h3 id="ret-service-heading">{t('retServiceHeading')}</h3>
      {!link || !props.reasons ? (
        <p class="muted empty">{t('retServiceNone')}</p>
      ) : (
        <>
          <p class="muted small">{t('retServiceIntro', { at: new Date(props.reasons.at).toLocaleString(locale) })}</p>
          <p data-service-reading>
            {reading
              ? t(reading.group === 'sla_breaches' ? 'retServiceReading_sla_breaches' : 'retServiceReading_any_signal', {
                  share: pct(reading.share),
                  baseline: pct(reading.baseline),
                })
              : t('retServiceNoReading')}
          </p>
          <DataTable
            caption={t('retServiceHeading')}
            rows={link.rows}
            rowKey={(r) => r.group}
            columns={[
              { key: 'group', header: t('retServiceGroup'), rowHeader: true, cell: (r) => t(groupKey(r.group)) },
              { key: 'members', header: t('retMembers'), cell: (r) => formatNumber(r.members, locale, 0) },
              { key: 'atRisk', header: t('retServiceAtRisk'), cell: (r) => formatNumber(r.atRisk, locale, 0) },
              { key: 'share', header: t('retShare'), cell: (r) => pct(r.atRiskShare) },
              ...(horizon === null
                ? []
                : [
                    {
                      key: 'lapsed',
                      header: t('retServiceLapsed', { days: horizon }),
                      cell: (r: (typeof link.rows)[number]) =>
                        r.lapsedShare === null
                          ? '–'
                          : t('retServiceLapsedCell', {
                              share: pct(r.lapsedShare),
                              n: formatNumber(r.lapsed, locale, 0),
                              of: formatNumber(r.eligible, locale, 0),
                            }),
                    },
                  ]),
            ]}
          />
          {horizon !== null && <p class="muted small">{t('retServiceLapsedHelp', { days: horizon })}</p>}
        </>
      )}
    </section>
  );
}
