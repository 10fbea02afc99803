/**
 * Per-agent performance for supervisors: one row per person who answers customers over the
 * period (workload, first and average response, resolution rate, CSAT, open tickets now, 询单转化率
 * with its revenue), sortable by any column; a name opens the dashboard scoped to that agent.
 */
import { useEffect, useState } from 'preact/hooks';
import type { StaffApi } from '../auth.ts';
import '../i18n-inspection.ts';
import { type ConsoleKey, useI18n } from '../i18n.ts';
import { Async, type Column, DataTable, useResource } from '../kit/index.ts';
import {
  type AgentRowWithConversion,
  type AgentSort,
  firstDirection,
  formatDuration,
  formatNumber,
  formatPercent,
  formatRevenue,
  type QualityAgentsResponse,
  type QualityConversionResponse,
  sortAgents,
  withConversion,
} from '../quality-state.ts';
import type { Filters } from './filters.tsx';

const LABEL: Record<AgentSort, ConsoleKey> = {
  name: 'qaColAgent',
  handled: 'qaColHandled',
  replies: 'qaColReplies',
  resolved: 'qaColResolved',
  openNow: 'qaColOpenNow',
  frtMean: 'qaColFrtMean',
  frtMedian: 'qaColFrtMedian',
  artMean: 'qaColArt',
  resolutionRate: 'qaColResolutionRate',
  csat: 'qaColCsat',
  conversion: 'inspColConversion',
};

/** The sort direction drawn as an arrow (SVG: no emoji font needed). */
function SortIcon(props: { dir: 'asc' | 'desc' | undefined }) {
  return (
    <svg class="sort-icon" width="10" height="10" viewBox="0 0 10 10" aria-hidden="true" focusable="false">
      {props.dir === 'asc' && <path d="M5 1 9 8H1z" fill="currentColor" />}
      {props.dir === 'desc' && <path d="M5 9 1 2h8z" fill="currentColor" />}
      {!props.dir && <path d="M5 0 8 4H2zM5 10 2 6h6z" fill="currentColor" opacity="0.45" />}
    </svg>
  );
}

export function AgentTable(props: { api: StaffApi; filters: Filters; onTimeZone: (zone: string) => void; onPick: (sub: string) => void }) {
  const { t, locale } = useI18n();
  const { from, to } = props.filters;
  const [sort, setSort] = useState<{ key: AgentSort; dir: 'asc' | 'desc' }>({ key: 'handled', dir: 'desc' });
  const agents = useResource(() => props.api.call<QualityAgentsResponse>(`/quality/agents?from=${from}&to=${to}`), [from, to]);
  // 询单转化率 is read separately (an order Query per enquiry): the table shows without it when it fails
  const conversion = useResource(() => props.api.call<QualityConversionResponse>(`/quality/conversion?from=${from}&to=${to}`), [from, to]);
  const zone = agents.data?.timeZone;
  useEffect(() => {
    if (zone) props.onTimeZone(zone);
  }, [zone]);

  const header = (key: AgentSort) => {
    const column = t(LABEL[key]);
    const dir = sort.key === key ? sort.dir : undefined;
    return (
      <button
        type="button"
        class="sort-button"
        data-sort={key}
        title={dir ? t(dir === 'asc' ? 'qaSortedAsc' : 'qaSortedDesc', { column }) : t('qaSortBy', { column })}
        onClick={() => setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: firstDirection(key) }))}
      >
        {column} <SortIcon dir={dir} />
      </button>
    );
  };
  const duration = (seconds: number | null) => formatDuration(seconds, locale);
  const columns: Column<AgentRowWithConversion>[] = [
    {
      key: 'name',
      header: header('name'),
      rowHeader: true,
      cell: (r) => (
        <a href="#/reports" title={t('qaAgentDashboard', { name: r.name })} onClick={() => props.onPick(r.sub)}>
          {r.name}
        </a>
      ),
    },
    { key: 'handled', header: header('handled'), class: 'num', cell: (r) => r.handled },
    { key: 'replies', header: header('replies'), class: 'num', cell: (r) => r.replies },
    { key: 'resolved', header: header('resolved'), class: 'num', cell: (r) => r.resolved },
    { key: 'openNow', header: header('openNow'), class: 'num', cell: (r) => (r.openNow === null ? '–' : r.openNow) },
    { key: 'frtMean', header: header('frtMean'), class: 'num', cell: (r) => duration(r.firstResponse.meanSeconds) },
    { key: 'frtMedian', header: header('frtMedian'), class: 'num', cell: (r) => duration(r.firstResponse.medianSeconds) },
    { key: 'artMean', header: header('artMean'), class: 'num', cell: (r) => duration(r.responseTime.meanSeconds) },
    { key: 'resolutionRate', header: header('resolutionRate'), class: 'num', cell: (r) => formatPercent(r.resolutionRate, locale) },
    {
      key: 'csat',
      header: header('csat'),
      class: 'num',
      cell: (r) => (r.csat.responses ? t('qaCsatCell', { average: formatNumber(r.csat.average, locale, 2), count: r.csat.responses }) : '–'),
    },
    {
      key: 'conversion',
      header: header('conversion'),
      class: 'num',
      cell: (r) =>
        r.conversion
          ? t('inspConversionCell', { rate: formatPercent(r.conversion.rate, locale), converted: r.conversion.converted, enquiries: r.conversion.enquiries })
          : '–',
    },
    { key: 'revenue', header: t('inspColRevenue'), class: 'num', cell: (r) => formatRevenue(r.conversion?.revenue, locale) },
  ];

  return (
    <section class="agent-performance" aria-labelledby="agents-heading">
      <h2 id="agents-heading">{t('qaTabAgents')}</h2>
      <p class="muted small">{t('qaAgentsIntro')}</p>
      <div class="kb-actions">
        <button type="button" class="btn small" onClick={() => void Promise.all([agents.reload(), conversion.reload()])}>
          {t('qRefresh')}
        </button>
      </div>
      <Async resource={agents}>
        {(data) => (
          <>
            <p class="muted small" role="status">
              {t('qPeriodIs', { from: data.from, to: data.to, days: data.days })}
            </p>
            <div class="table-scroll">
              <DataTable
                class="agents"
                caption={t('qaAgentsCaption', { from: data.from, to: data.to })}
                rows={sortAgents(withConversion(data.items, conversion.data?.items), sort.key, sort.dir, locale)}
                columns={columns}
                rowKey={(r) => r.sub}
                rowProps={(r) => ({ 'data-agent': r.sub })}
                empty={t('qaAgentsEmpty')}
              />
            </div>
          </>
        )}
      </Async>
      <details class="definitions">
        <summary>{t('qaDefinitions')}</summary>
        <p class="small">{t('qaDefHandled')}</p>
        <p class="small">{t('qaDefResponse')}</p>
        <p class="small">{t('qaDefCsat')}</p>
        <p class="small">{t('inspDefConversion', { hours: conversion.data?.hours ?? 24 })}</p>
      </details>
    </section>
  );
}
