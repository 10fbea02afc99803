/**
 * Marketing › retention: the churn model card (active model, backtest AUC, when it was fitted and
 * on how many customers, the candidates compared, calibration by decile as a chart), then cohort
 * retention and churn reasons (retention-cohorts.tsx) and service problems against churn risk
 * (retention-service.tsx). One GET of two precomputed items.
 */
import '../i18n-retention.ts';
import type { RetentionResponse } from '../../../shared/churn/model-store.ts';
import type { StaffApi } from '../auth.ts';
import { DayChart } from '../charts.tsx';
import { type ConsoleKey, useI18n } from '../i18n.ts';
import { Async, DataTable, useResource } from '../kit/index.ts';
import { formatNumber, formatPercent } from '../quality-state.ts';
import type { Tier } from './common.tsx';
import { CohortTable, ReasonsTable } from './retention-cohorts.tsx';
import { ServiceLinkTable } from './retention-service.tsx';

type Card = NonNullable<RetentionResponse['model']>;

export const modelKey = (kind: string) => `retModel_${kind}` as ConsoleKey;

export function RetentionView(props: { api: StaffApi; tiers: Tier[] }) {
  const { t } = useI18n();
  const data = useResource(() => props.api.call<RetentionResponse>('/churn/retention'), [props.api]);
  return (
    <>
      <h2 id="retention-heading">{t('retTitle')}</h2>
      <p class="muted small">{t('retIntro')}</p>
      <Async resource={data}>
        {(d) => (
          <>
            <ModelCardView card={d.model} />
            <CohortTable report={d.retention?.report ?? null} tiers={props.tiers} />
            <ReasonsTable reasons={d.retention?.reasons ?? null} />
            <ServiceLinkTable reasons={d.retention?.reasons ?? null} />
          </>
        )}
      </Async>
    </>
  );
}

function ModelCardView(props: { card: Card | null }) {
  const { t, locale } = useI18n();
  const card = props.card;
  if (!card) {
    return (
      <section class="retention-card" aria-labelledby="ret-model-heading">
        <h3 id="ret-model-heading">{t('retModelHeading')}</h3>
        <p class="muted">{t('retNoModel')}</p>
      </section>
    );
  }
  const pct = (v: number) => formatPercent(v, locale);
  return (
    <section class="retention-card" aria-labelledby="ret-model-heading" data-model={card.active}>
      <h3 id="ret-model-heading">{t('retModelHeading')}</h3>
      <dl class="retention-facts">
        <div>
          <dt>{t('retActive')}</dt>
          <dd data-active-model>{t(modelKey(card.active))}</dd>
        </div>
        <div>
          <dt title={t('retAucHelp')}>{t('retAuc')}</dt>
          <dd data-auc>{card.backtest ? formatNumber(card.backtest.auc, locale, 3) : '–'}</dd>
        </div>
        <div>
          <dt>{t('retFittedAt')}</dt>
          <dd>{new Date(card.fittedAt).toLocaleString(locale)}</dd>
        </div>
        <div>
          <dt>{t('retCustomers')}</dt>
          <dd data-customers>{formatNumber(card.customers, locale, 0)}</dd>
        </div>
        <div>
          <dt>{t('retRepeaters')}</dt>
          <dd>{formatNumber(card.repeaters, locale, 0)}</dd>
        </div>
        {card.horizonDays !== null && (
          <div>
            <dt>{t('retHorizon')}</dt>
            <dd>{t('retHorizonDays', { days: card.horizonDays })}</dd>
          </div>
        )}
      </dl>
      <p class="muted small">{t('retAucHelp')}</p>
      {card.coldStart && <p class="notice">{t('retColdStart', { min: card.minRepeaters })}</p>}
      {!card.promoted && !card.coldStart && <p class="notice">{t('retNotPromoted')}</p>}
      {card.backtest && <p class="muted small">{t('retWindow', { from: card.backtest.featuresAt, to: card.backtest.labelTo })}</p>}
      {card.candidates.length > 0 && (
        <DataTable
          caption={t('retCandidates')}
          rows={card.candidates}
          rowKey={(c) => c.kind}
          columns={[
            { key: 'kind', header: t('retCandidate'), rowHeader: true, cell: (c) => t(modelKey(c.kind)) },
            { key: 'auc', header: t('retAuc'), cell: (c) => (c.auc === null ? '–' : formatNumber(c.auc, locale, 3)) },
            { key: 'chosen', header: '', cell: (c) => (c.kind === card.active ? <strong>{t('retChosen')}</strong> : '') },
          ]}
        />
      )}
      {card.deciles.length > 0 && (
        <DayChart
          id="ret-deciles"
          title={t('retDeciles')}
          summary={t('retDecilesSummary')}
          // The chart labels its x axis from the 6th character on: decile numbers are padded to fit.
          days={card.deciles.map((d) => String(d.decile).padStart(6, ' '))}
          kind="line"
          format={pct}
          series={[
            { key: 'predicted', label: t('retPredicted'), color: '#2563eb', values: card.deciles.map((d) => d.predicted) },
            { key: 'observed', label: t('retObserved'), color: '#b45309', values: card.deciles.map((d) => d.observed) },
          ]}
        />
      )}
    </section>
  );
}
