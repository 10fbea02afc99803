import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../lib/http.ts';
import type { StaffApi } from './auth.ts';
import { DayChart } from './charts.tsx';
import './i18n-ops.ts';
import { type ConsoleKey, useI18n } from './i18n.ts';
import type { StaffMember } from './inbox-store.ts';
import { errorMessage } from './kit/index.ts';
import { categoryLabel, channelLabel } from './labels.ts';
import {
  DRILLDOWNS,
  type Drilldown,
  fillSeries,
  formatDuration,
  formatNumber,
  formatPercent,
  PRESETS,
  presetPeriod,
  type QualitySummary,
  scopeQuery,
} from './quality-state.ts';
import { CATEGORIES } from './tickets-state.ts';

const DRILL_LABEL: Record<Drilldown, ConsoleKey> = {
  resolved: 'qDrillResolved',
  reopened: 'qDrillReopened',
  slow_first_response: 'qDrillSlow',
  response: 'qDrillResponses',
  detractor: 'qDrillDetractors',
  sla_breach: 'qDrillSla',
};
const CHANNELS = ['chat', 'email', 'phone', 'web_form', 'api'] as const;
const FILTER_KEY = 'kefu:console:quality';

interface Filters {
  preset: (typeof PRESETS)[number] | 'custom';
  from: string;
  to: string;
  scope: string;
}

function initialFilters(): Filters {
  try {
    const saved = JSON.parse(sessionStorage.getItem(FILTER_KEY) ?? 'null') as Filters | null;
    if (saved?.from && saved.to && saved.scope) return saved.preset === 'custom' ? saved : { ...saved, ...presetPeriod(Number(saved.preset), Date.now()) };
  } catch {
    /* fall through */
  }
  return { preset: '7', ...presetPeriod(7, Date.now()), scope: 'all' };
}

interface FollowUp {
  surveyId: string;
  contactId: string;
  conversationId?: string;
  followUpTicketId?: string;
  status: 'open' | 'closed';
  reasons: string[];
  scores: { csat?: number; nps?: number; ces?: number };
  topics: string[];
  createdAt: string;
  version: number;
}

/**
 * The quality dashboard (supervisors, admins): period and scope filters, KPI tiles, per-day charts,
 * drill-down into the conversations behind a number, CSV export and the detractor follow-ups.
 */
export function QualityPage(props: { api: StaffApi; tab: string | undefined; itemId?: string | undefined }) {
  const { t, locale } = useI18n();
  const [filters, setFilters] = useState<Filters>(initialFilters);
  const [summary, setSummary] = useState<QualitySummary>();
  const [error, setError] = useState<string>();
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const [exporting, setExporting] = useState<string>();

  useEffect(() => {
    props.api.call<{ items: StaffMember[] }>('/staff').then(
      (r) => setStaff(r.items),
      () => undefined,
    );
  }, []);

  const load = async () => {
    setError(undefined);
    try {
      setSummary(await props.api.call<QualitySummary>(`/quality/summary?from=${filters.from}&to=${filters.to}&scope=${scopeQuery(filters.scope)}`));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  useEffect(() => {
    try {
      sessionStorage.setItem(FILTER_KEY, JSON.stringify(filters));
    } catch {
      /* the filters last this page view */
    }
    void load();
  }, [filters.from, filters.to, filters.scope]);

  const exportCsv = async (kind: 'days' | 'comments') => {
    setExporting(kind);
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
      setError(errorMessage(err));
    } finally {
      setExporting(undefined);
    }
  };

  const drillDay = props.tab && /^\d{4}-\d{2}-\d{2}$/.test(props.tab) ? props.tab : undefined;
  const drillMetric = (DRILLDOWNS as readonly string[]).includes(props.itemId ?? '') ? (props.itemId as Drilldown) : undefined;
  const totals = summary?.totals;
  const days = summary ? fillSeries(summary.series, summary.from, summary.to) : [];
  const agents = staff.filter((s) => s.roles.some((r) => r === 'agent' || r === 'supervisor' || r === 'admin'));
  const commentsTooLong = (Date.parse(filters.to) - Date.parse(filters.from)) / 86_400_000 + 1 > 31;

  return (
    <section class="kb pad quality" aria-labelledby="quality-heading">
      <div class="kb-head">
        <h1 id="quality-heading">{t('qTitle')}</h1>
        <div class="kb-actions">
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
      </div>
      <p class="muted">{t('qIntro')}</p>
      <div class="kb-filters" role="group" aria-label={t('qFilters')}>
        <label>
          {t('qPeriod')}{' '}
          <select
            value={filters.preset}
            onChange={(e) => {
              const preset = e.currentTarget.value as Filters['preset'];
              setFilters((f) => (preset === 'custom' ? { ...f, preset } : { ...f, preset, ...presetPeriod(Number(preset), Date.now()) }));
            }}
          >
            {PRESETS.map((p) => (
              <option key={p} value={p}>
                {t('qLastDays', { days: p })}
              </option>
            ))}
            <option value="custom">{t('qCustom')}</option>
          </select>
        </label>
        {filters.preset === 'custom' && (
          <>
            <label>
              {t('qFrom')}{' '}
              <input
                type="date"
                value={filters.from}
                max={filters.to}
                onChange={(e) => e.currentTarget.value && setFilters((f) => ({ ...f, from: e.currentTarget.value }))}
              />
            </label>
            <label>
              {t('qTo')}{' '}
              <input
                type="date"
                value={filters.to}
                min={filters.from}
                onChange={(e) => e.currentTarget.value && setFilters((f) => ({ ...f, to: e.currentTarget.value }))}
              />
            </label>
          </>
        )}
        <label>
          {t('qScope')}{' '}
          <select value={filters.scope} onChange={(e) => setFilters((f) => ({ ...f, scope: e.currentTarget.value }))}>
            <option value="all">{t('qScopeAll')}</option>
            <optgroup label={t('channel')}>
              {CHANNELS.map((c) => (
                <option key={c} value={`channel#${c}`}>
                  {channelLabel(c, t)}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('agent')}>
              {agents.map((s) => (
                <option key={s.sub} value={`agent#${s.sub}`}>
                  {s.name || s.email}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('category')}>
              {CATEGORIES.map((c) => (
                <option key={c} value={`category#${c}`}>
                  {categoryLabel(c, t)}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <button type="button" class="btn small" onClick={() => void load()}>
          {t('qRefresh')}
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {t('loadFailed', { message: error })}
        </p>
      )}
      {!summary && !error && <p class="muted">{t('loading')}</p>}
      {summary && totals && (
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
              id="rt"
              label={t('qRt')}
              value={formatDuration(totals.resolutionTime.medianSeconds, locale)}
              sub={t('qP90', { value: formatDuration(totals.resolutionTime.p90Seconds, locale) })}
              note={t('qCount', { count: totals.resolutionTime.count })}
            />
            <Tile
              id="resolution"
              label={t('qResolutionRate')}
              value={formatPercent(totals.conversations.resolutionRate, locale)}
              sub={t('qCreatedResolved', { created: totals.conversations.created, resolved: totals.conversations.resolved })}
            />
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
            <Tile
              id="handoff"
              label={t('qHandoff')}
              value={formatPercent(totals.bot.handoffRate, locale)}
              sub={t('qHandedOff', { count: totals.bot.handedOff })}
            />
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
          {drillDay && drillMetric && <DrillDown key={`${drillDay}${drillMetric}`} api={props.api} day={drillDay} metric={drillMetric} staff={staff} />}
          {totals.topics.length > 0 && (
            <>
              <h2>{t('qTopics')}</h2>
              <ul class="topics">
                {totals.topics.map((x) => (
                  <li key={x.topic}>
                    {t(`topic_${x.topic}` as ConsoleKey)} · {t('qTopicCount', { count: x.count, negative: x.negative })}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      <FollowUps api={props.api} />
    </section>
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

interface Fact {
  id: string;
  at: string;
  conversationId?: string;
  surveyId?: string;
  ticketId?: string;
  agent?: string;
  channel?: string;
  scores?: Record<string, number>;
  comment?: string;
  sentiment?: string;
  metric?: string;
}

/** The conversations (or surveys, or tickets) behind one number on one day. */
function DrillDown(props: { api: StaffApi; day: string; metric: Drilldown; staff: StaffMember[] }) {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<Fact[]>();
  const [cursor, setCursor] = useState<string>();
  const [error, setError] = useState<string>();
  const names = new Map(props.staff.map((s) => [s.sub, s.name || s.email]));

  const load = async (after?: string) => {
    try {
      const page = await props.api.call<{ items: Fact[]; cursor?: string }>(
        `/quality/drilldown?day=${props.day}&metric=${props.metric}${after ? `&cursor=${encodeURIComponent(after)}` : ''}`,
      );
      setItems((prev) => [...(after ? (prev ?? []) : []), ...page.items]);
      setCursor(page.cursor);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  useEffect(() => void load(), []);

  return (
    <section class="card drill" aria-labelledby="drill-heading">
      <h2 id="drill-heading">{t('qDrillTitle', { metric: t(DRILL_LABEL[props.metric]), day: props.day })}</h2>
      {error && (
        <p class="error" role="alert">
          {t('loadFailed', { message: error })}
        </p>
      )}
      {!items && !error && <p class="muted">{t('loading')}</p>}
      {items && items.length === 0 && <p class="muted">{t('qDrillEmpty')}</p>}
      {items && items.length > 0 && (
        <table class="kb-table">
          <thead>
            <tr>
              <th scope="col">{t('qWhen')}</th>
              <th scope="col">{t('qWhat')}</th>
              <th scope="col">{t('agent')}</th>
              <th scope="col">{t('qDetails')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((f) => (
              <tr key={`${f.id}${f.at}`}>
                <td>{new Date(f.at).toLocaleString(locale)}</td>
                <td>
                  {f.conversationId && <a href={`#/inbox/open/${encodeURIComponent(f.conversationId)}`}>{t('qConversation')}</a>}
                  {f.ticketId && (
                    <>
                      {' '}
                      <a href={`#/tickets/mine/${encodeURIComponent(f.ticketId)}`}>{t('qTicket')}</a>
                    </>
                  )}
                  {!f.conversationId && !f.ticketId && <span class="mono">{f.id}</span>}
                </td>
                <td>{f.agent ? (names.get(f.agent) ?? f.agent) : '–'}</td>
                <td>
                  {f.scores &&
                    Object.entries(f.scores)
                      .map(([k, v]) => `${k.toUpperCase()} ${v}`)
                      .join(' · ')}
                  {f.metric && !f.scores && f.metric}
                  {f.comment && <q class="comment">{f.comment}</q>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && (
        <button type="button" class="btn small" onClick={() => void load(cursor)}>
          {t('qMore')}
        </button>
      )}
    </section>
  );
}

/** Detractor follow-ups for team leads: who to call back, with the follow-up ticket. */
function FollowUps(props: { api: StaffApi }) {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<FollowUp[]>();
  const [error, setError] = useState<string>();
  const [closing, setClosing] = useState<string>();

  const load = () =>
    props.api.call<{ items: FollowUp[] }>('/survey-follow-ups?status=open').then(
      (r) => setItems(r.items),
      (err: unknown) => setError(errorMessage(err)),
    );
  useEffect(() => void load(), []);

  const close = async (f: FollowUp) => {
    setClosing(f.surveyId);
    try {
      await props.api.call(`/survey-follow-ups/${encodeURIComponent(f.surveyId)}/close`, { version: f.version });
      await load();
    } catch (err) {
      setError(errorMessage(err));
      await load();
    } finally {
      setClosing(undefined);
    }
  };

  return (
    <section class="followups" aria-labelledby="followups-heading">
      <h2 id="followups-heading">{t('qFollowUps')}</h2>
      <p class="muted small">{t('qFollowUpsIntro')}</p>
      {error && (
        <p class="error" role="alert">
          {t('loadFailed', { message: error })}
        </p>
      )}
      {items && items.length === 0 && <p class="muted">{t('qFollowUpsNone')}</p>}
      {items && items.length > 0 && (
        <table class="kb-table">
          <thead>
            <tr>
              <th scope="col">{t('qWhen')}</th>
              <th scope="col">{t('qScores')}</th>
              <th scope="col">{t('qReasons')}</th>
              <th scope="col">{t('qWhat')}</th>
              <th scope="col">
                <span class="sr-only">{t('qActions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((f) => (
              <tr key={f.surveyId} data-survey={f.surveyId}>
                <td>{new Date(f.createdAt).toLocaleString(locale)}</td>
                <td>
                  {Object.entries(f.scores)
                    .map(([k, v]) => `${k.toUpperCase()} ${v}`)
                    .join(' · ')}
                </td>
                <td>{f.reasons.map((r) => t(r === 'low_csat' ? 'qLowCsat' : r === 'low_nps' ? 'qLowNps' : 'qNegativeComment')).join(', ')}</td>
                <td>
                  {f.followUpTicketId && (
                    <a href={`#/tickets/mine/${encodeURIComponent(f.followUpTicketId)}`} data-followup-ticket={f.followUpTicketId}>
                      {t('qTicket')}
                    </a>
                  )}{' '}
                  {f.conversationId && <a href={`#/inbox/open/${encodeURIComponent(f.conversationId)}`}>{t('qConversation')}</a>}
                </td>
                <td>
                  <button type="button" class="btn small" disabled={closing === f.surveyId} onClick={() => void close(f)}>
                    {t('qClose')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
