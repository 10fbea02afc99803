/**
 * The quality dashboard of a period and scope: KPI tiles, per-day charts, the day table with its
 * drill-down links, comment topics, CSV export and the detractor follow-ups.
 */
import { useEffect, useState } from 'preact/hooks';
import type { StaffApi } from '../auth.ts';
import { DayChart } from '../charts.tsx';
import { type ConsoleKey, useI18n } from '../i18n.ts';
import type { StaffMember } from '../inbox-store.ts';
import { Async, errorMessage, LoadError, useResource } from '../kit/index.ts';
import { DRILLDOWNS, type Drilldown, fillSeries, formatDuration, formatNumber, formatPercent, type QualitySummary, scopeQuery } from '../quality-state.ts';
import { DRILL_LABEL, DrillDown } from './drilldown.tsx';
import type { Filters } from './filters.tsx';
import { FollowUps } from './followups.tsx';

export function Dashboard(props: {
  api: StaffApi;
  filters: Filters;
  staff: StaffMember[];
  tab: string | undefined;
  itemId: string | undefined;
  onTimeZone: (zone: string) => void;
}) {
  const { t } = useI18n();
  const { filters } = props;
  const [exporting, setExporting] = useState<string>();
  const [exportError, setExportError] = useState<string>();
  const summary = useResource(
    () => props.api.call<QualitySummary>(`/quality/summary?from=${filters.from}&to=${filters.to}&scope=${scopeQuery(filters.scope)}`),
    [filters.from, filters.to, filters.scope],
  );
  const zone = summary.data?.timeZone;
  useEffect(() => {
    if (zone) props.onTimeZone(zone);
  }, [zone]);

  const exportCsv = async (kind: 'days' | 'comments') => {
    setExporting(kind);
    setExportError(undefined);
    try {
      const { blob, filename } = await props.api.download(
        `/quality/export.csv?from=${filters.from}&to=${filters.to}&scope=${scopeQuery(filters.scope)}&kind=${kind}`,
      );
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = filename ?? `kefu-quality-${kind}-${filters.from}-${filters.to}.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setExportError(errorMessage(err));
    } finally {
      setExporting(undefined);
    }
  };

  const drillDay = props.tab && /^\d{4}-\d{2}-\d{2}$/.test(props.tab) ? props.tab : undefined;
  const drillMetric = (DRILLDOWNS as readonly string[]).includes(props.itemId ?? '') ? (props.itemId as Drilldown) : undefined;
  const commentsTooLong = (Date.parse(filters.to) - Date.parse(filters.from)) / 86_400_000 + 1 > 31;

  return (
    <>
      <div class="kb-actions">
        <button type="button" class="btn small" onClick={() => void summary.reload()}>
          {t('qRefresh')}
        </button>
        <button type="button" class="btn" disabled={!!exporting} onClick={() => void exportCsv('days')}>
          {exporting === 'days' ? t('qExporting') : t('qExportDays')}
        </button>
        <button
          type="button"
          class="btn"
          disabled={!!exporting || commentsTooLong}
          title={commentsTooLong ? t('qCommentsLimit') : undefined}
          onClick={() => void exportCsv('comments')}
        >
          {exporting === 'comments' ? t('qExporting') : t('qExportComments')}
        </button>
      </div>
      {exportError && <LoadError message={exportError} />}
      <Async resource={summary}>
        {(s) => (
          <>
            <SummaryView summary={s} drillDay={drillDay} drillMetric={drillMetric} />
            {drillDay && drillMetric && <DrillDown key={`${drillDay}${drillMetric}`} api={props.api} day={drillDay} metric={drillMetric} staff={props.staff} />}
            {s.totals.topics.length > 0 && (
              <>
                <h2>{t('qTopics')}</h2>
                <ul class="topics">
                  {s.totals.topics.map((x) => (
                    <li key={x.topic}>
                      {t(`topic_${x.topic}` as ConsoleKey)} · {t('qTopicCount', { count: x.count, negative: x.negative })}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        )}
      </Async>
      <FollowUps api={props.api} />
    </>
  );
}

/** Tiles, charts and the day table of one summary. */
function SummaryView(props: { summary: QualitySummary; drillDay: string | undefined; drillMetric: Drilldown | undefined }) {
  const { t, locale } = useI18n();
  const { summary, drillDay, drillMetric } = props;
  const totals = summary.totals;
  const days = fillSeries(summary.series, summary.from, summary.to);
  /** An agent's resolution rate is the share of what they handled (the cohort of created conversations is not theirs). */
  const agentScope = summary.scope.startsWith('agent#');
  return (
    <>
      <p class="muted small" role="status">
        {t('qPeriodIs', { from: summary.from, to: summary.to, days: summary.days })}
      </p>
      <ul class="tiles" aria-label={t('qKpis')}>
        <Tile
          id="frt"
          label={t('qFrt')}
          value={formatDuration(totals.firstResponse.medianSeconds, locale)}
          sub={t('qP90', { value: formatDuration(totals.firstResponse.p90Seconds, locale) })}
          note={t('qCount', { count: totals.firstResponse.count })}
        />
        <Tile
          id="art"
          label={t('qaColArt')}
          value={formatDuration(totals.responseTime.meanSeconds, locale)}
          note={t('qCount', { count: totals.responseTime.count })}
        />
        <Tile
          id="rt"
          label={t('qRt')}
          value={formatDuration(totals.resolutionTime.medianSeconds, locale)}
          sub={t('qP90', { value: formatDuration(totals.resolutionTime.p90Seconds, locale) })}
          note={t('qCount', { count: totals.resolutionTime.count })}
        />
        {agentScope ? (
          <Tile
            id="resolution"
            label={t('qResolutionRate')}
            value={formatPercent(totals.work.resolutionRate, locale)}
            sub={t('qaHandledResolved', { handled: totals.work.handled, resolved: totals.work.handledResolved })}
          />
        ) : (
          <Tile
            id="resolution"
            label={t('qResolutionRate')}
            value={formatPercent(totals.conversations.resolutionRate, locale)}
            sub={t('qCreatedResolved', { created: totals.conversations.created, resolved: totals.conversations.resolved })}
          />
        )}
        <Tile
          id="fcr"
          label={t('qFcr')}
          value={formatPercent(totals.conversations.fcrRate, locale)}
          sub={t('qFcrCount', { count: totals.conversations.firstContactResolutions })}
        />
        <Tile
          id="reopen"
          label={t('qReopenRate')}
          value={formatPercent(totals.conversations.reopenRate, locale)}
          sub={t('qReopened', { count: totals.conversations.reopened })}
        />
        <Tile
          id="csat"
          label={t('qCsat')}
          value={formatNumber(totals.csat.average, locale, 2)}
          sub={t('qSatisfied', { rate: formatPercent(totals.csat.satisfiedRate, locale) })}
          note={t('qResponses', { count: totals.csat.responses })}
        />
        <Tile
          id="nps"
          label={t('qNps')}
          value={formatNumber(totals.nps.score, locale, 1)}
          sub={t('qNpsSplit', { p: totals.nps.promoters, d: totals.nps.detractors })}
          note={t('qResponses', { count: totals.nps.responses })}
        />
        <Tile
          id="ces"
          label={t('qCes')}
          value={formatNumber(totals.ces.average, locale, 2)}
          sub={t('qEasy', { rate: formatPercent(totals.ces.easyRate, locale) })}
          note={t('qResponses', { count: totals.ces.responses })}
        />
        <Tile
          id="sla"
          label={t('qSla')}
          value={formatPercent(totals.slaOverall.attainment, locale)}
          sub={t('qSlaSplit', { met: totals.slaOverall.met, breached: totals.slaOverall.breached })}
        />
        <Tile
          id="containment"
          label={t('qContainment')}
          value={formatPercent(totals.bot.containmentRate, locale)}
          sub={t('qVerified', { rate: formatPercent(totals.bot.verifiedResolutionRate, locale) })}
          note={t('qBotConversations', { count: totals.bot.conversations })}
        />
        <Tile id="handoff" label={t('qHandoff')} value={formatPercent(totals.bot.handoffRate, locale)} sub={t('qHandedOff', { count: totals.bot.handedOff })} />
        <Tile
          id="backlog"
          label={t('qBacklog')}
          value={summary.backlog === null ? '–' : formatNumber(summary.backlog, locale, 0)}
          note={summary.backlog === null ? t('qBacklogScope') : t('qBacklogNow')}
        />
        <Tile
          id="surveys"
          label={t('qSurveys')}
          value={formatPercent(totals.surveys.responseRate, locale)}
          sub={t('qSurveysSent', { sent: totals.surveys.sent, responses: totals.surveys.responses })}
          note={t('qDetractors', { count: totals.surveys.detractors })}
        />
      </ul>
      <div class="charts">
        <DayChart
          id="chart-volume"
          title={t('qChartVolume')}
          summary={t('qChartVolumeSummary', { created: totals.conversations.created, resolved: totals.conversations.resolved, days: days.length })}
          days={days.map((d) => d.day)}
          kind="bar"
          format={(v) => formatNumber(v, locale, 0)}
          series={[
            { key: 'created', label: t('qCreated'), color: '#0f766e', values: days.map((d) => d.created) },
            { key: 'resolved', label: t('qResolved'), color: '#4338ca', values: days.map((d) => d.resolved) },
          ]}
        />
        <DayChart
          id="chart-frt"
          title={t('qChartFrt')}
          summary={t('qChartFrtSummary', { median: formatDuration(totals.firstResponse.medianSeconds, locale) })}
          days={days.map((d) => d.day)}
          kind="line"
          format={(v) => formatDuration(v, locale)}
          series={[
            { key: 'frt', label: t('qFrtMedian'), color: '#b45309', values: days.map((d) => d.frtMedianSeconds) },
            { key: 'rt', label: t('qRtMedian'), color: '#4338ca', values: days.map((d) => d.rtMedianSeconds) },
          ]}
        />
      </div>
      <h2>{t('qDaily')}</h2>
      <p class="muted small">{t('qDailyHint')}</p>
      <table class="kb-table daily">
        <thead>
          <tr>
            <th scope="col">{t('qDay')}</th>
            <th scope="col">{t('qCreated')}</th>
            <th scope="col">{t('qResolved')}</th>
            <th scope="col">{t('qReopenedCol')}</th>
            <th scope="col">{t('qFrtMedian')}</th>
            <th scope="col">{t('qCsat')}</th>
            <th scope="col">{t('qDrill')}</th>
          </tr>
        </thead>
        <tbody>
          {[...days]
            .reverse()
            .filter((d) => d.created || d.resolved || d.reopened || d.csatAverage !== null || d.day === summary.to)
            .map((d) => (
              <tr key={d.day} aria-current={d.day === drillDay ? 'true' : undefined}>
                <th scope="row">{d.day}</th>
                <td>{d.created}</td>
                <td>{d.resolved}</td>
                <td>{d.reopened}</td>
                <td>{formatDuration(d.frtMedianSeconds, locale)}</td>
                <td>{formatNumber(d.csatAverage, locale, 2)}</td>
                <td>
                  <div class="drill-links">
                    {DRILLDOWNS.map((m) => (
                      <a
                        key={m}
                        href={`#/reports/${d.day}/${m}`}
                        aria-current={d.day === drillDay && m === drillMetric ? 'page' : undefined}
                        aria-label={`${t(DRILL_LABEL[m])} ${d.day}`}
                      >
                        {t(DRILL_LABEL[m])}
                      </a>
                    ))}
                  </div>
                </td>
              </tr>
            ))}
        </tbody>
      </table>
    </>
  );
}

function Tile(props: { id: string; label: string; value: string; sub?: string; note?: string }) {
  return (
    <li class="tile" data-kpi={props.id}>
      <span class="tile-label" id={`kpi-${props.id}`}>
        {props.label}
      </span>
      <strong class="tile-value" aria-describedby={`kpi-${props.id}`}>
        {props.value}
      </strong>
      {props.sub && <span class="tile-sub">{props.sub}</span>}
      {props.note && <span class="tile-note muted small">{props.note}</span>}
    </li>
  );
}
