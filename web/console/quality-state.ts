/** Pure helpers of the quality dashboard: periods, scopes, number formats and chart scales. */

import type { AgentRow, QualityAgentsResponse } from '../../shared/quality/agents.ts';
import type { AgentConversion, QualityConversionResponse } from '../../shared/quality/conversion.ts';
import type { Digest } from '../../shared/quality/digest.ts';
import type { Flag } from '../../shared/quality/inspection.ts';
import type { FlagKind, Rubric, RubricItem, SampleReason } from '../../shared/quality/inspection-model.ts';
import type {
  InspectionConfigResponse,
  InspectionDetailResponse,
  InspectionMineResponse,
  InspectionSampleResponse,
} from '../../shared/quality/inspection-service.ts';
import type { SampleEntry } from '../../shared/quality/inspection-store.ts';
import type { DayRow, DurationFigures, QualitySummaryResponse } from '../../shared/quality/summary.ts';
import type { PracticeView, ScenarioSummary, TrainingScenariosResponse } from '../../shared/quality/training-service.ts';

/** `GET /quality/summary`: the server's own type (type-only import), so a renamed field does not compile. */
export type QualitySummary = QualitySummaryResponse;
export type Durations = DurationFigures;
/** Quality inspection (质检) and 询单转化率: the server's own types (type-only imports). */
export type {
  AgentConversion,
  AgentRow,
  DayRow,
  Digest,
  Flag,
  FlagKind,
  InspectionConfigResponse,
  InspectionDetailResponse,
  InspectionMineResponse,
  InspectionSampleResponse,
  PracticeView,
  QualityAgentsResponse,
  QualityConversionResponse,
  Rubric,
  RubricItem,
  SampleEntry,
  SampleReason,
  ScenarioSummary,
  TrainingScenariosResponse,
};

/** A per-agent row with its 询单转化率 (read from `GET /quality/conversion`, joined by agent). */
export type AgentRowWithConversion = AgentRow & { conversion?: AgentConversion };

/** Joins the conversion figures to the per-agent rows (an agent without enquiries has none). */
export function withConversion(rows: readonly AgentRow[], conversion: readonly AgentConversion[] | undefined): AgentRowWithConversion[] {
  const bySub = new Map((conversion ?? []).map((c) => [c.sub, c]));
  return rows.map((r) => {
    const c = bySub.get(r.sub);
    return c ? { ...r, conversion: c } : r;
  });
}

/** Money per currency as text (`¥1,234.50`, several currencies joined). */
export function formatRevenue(revenue: Readonly<Record<string, number>> | undefined, locale: string): string {
  const entries = Object.entries(revenue ?? {}).filter(([, v]) => v > 0);
  if (entries.length === 0) return '–';
  return entries.map(([currency, v]) => new Intl.NumberFormat(locale, { style: 'currency', currency }).format(v)).join(' + ');
}

/** The automatic flags behind a scorecard item (those it lists that the conversation has). */
export function itemFlags(item: Pick<RubricItem, 'checks'>, flags: readonly Pick<Flag, 'kind'>[]): FlagKind[] {
  const present = new Set(flags.map((f) => f.kind));
  return item.checks.filter((k) => present.has(k));
}

/** Terms typed one per line into a list (blank lines and repeats dropped). */
export function linesOf(text: string): string[] {
  return [
    ...new Set(
      text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ];
}

/** `GET /quality/digest`: the stored digest and the shop's time zone its day belongs to. */
export interface DigestResponse {
  digest: Digest;
  timeZone: string;
}

/** The zone the console assumes until the server tells it the shop's (the server's default too). */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export const PRESETS = ['7', '30', '90'] as const;

const DAY_MS = 86_400_000;
/** `YYYY-MM-DD` of an instant in UTC. */
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** `YYYY-MM-DD` of an instant in a time zone (the quality counters' days are the shop's days). */
export function zoneDay(ms: number, timeZone: string): string {
  if (timeZone === 'UTC') return utcDay(ms);
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

/** The last `days` days up to today, in a time zone (UTC unless given). */
export function presetPeriod(days: number, now: number, timeZone = 'UTC'): { from: string; to: string } {
  const to = zoneDay(now, timeZone);
  return { from: utcDay(Date.parse(`${to}T00:00:00Z`) - (days - 1) * DAY_MS), to };
}

/** Columns the per-agent table sorts by. */
export const AGENT_SORTS = [
  'name',
  'handled',
  'replies',
  'resolved',
  'openNow',
  'frtMean',
  'frtMedian',
  'artMean',
  'resolutionRate',
  'csat',
  'conversion',
] as const;
export type AgentSort = (typeof AGENT_SORTS)[number];

/** The value a row is sorted by (null: no figure, always last). */
export function agentSortValue(row: AgentRowWithConversion, key: AgentSort): number | string | null {
  switch (key) {
    case 'name':
      return row.name;
    case 'handled':
      return row.handled;
    case 'replies':
      return row.replies;
    case 'resolved':
      return row.resolved;
    case 'openNow':
      return row.openNow;
    case 'frtMean':
      return row.firstResponse.meanSeconds;
    case 'frtMedian':
      return row.firstResponse.medianSeconds;
    case 'artMean':
      return row.responseTime.meanSeconds;
    case 'resolutionRate':
      return row.resolutionRate;
    case 'csat':
      return row.csat.average;
    case 'conversion':
      return row.conversion?.rate ?? null;
  }
}

/** Rows sorted by a column; rows without that figure go last in either direction; ties keep the name order. */
export function sortAgents<R extends AgentRowWithConversion>(rows: readonly R[], key: AgentSort, dir: 'asc' | 'desc', locale = 'en'): R[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = agentSortValue(a, key);
    const y = agentSortValue(b, key);
    if (x === null || y === null) return x === y ? a.name.localeCompare(b.name, locale) : x === null ? 1 : -1;
    const c = typeof x === 'string' || typeof y === 'string' ? String(x).localeCompare(String(y), locale) : x - y;
    return c !== 0 ? sign * c : a.name.localeCompare(b.name, locale);
  });
}

/** The first direction of a column: figures where more is notable start high, times and names start low. */
export function firstDirection(key: AgentSort): 'asc' | 'desc' {
  return key === 'name' || key === 'frtMean' || key === 'frtMedian' || key === 'artMean' ? 'asc' : 'desc';
}

/** Every day of [from, to] (the chart's x axis: days without counters are zero). */
export function daysOf(from: string, to: string, max = 366): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`) && out.length < max; t += DAY_MS) out.push(utcDay(t));
  return out;
}

/** The series with a row for every day of the period (missing days count zero / no value). */
export function fillSeries(series: readonly DayRow[], from: string, to: string): DayRow[] {
  const byDay = new Map(series.map((r) => [r.day, r]));
  return daysOf(from, to).map(
    (day) =>
      byDay.get(day) ?? {
        day,
        created: 0,
        resolved: 0,
        reopened: 0,
        fcrRate: null,
        frtMedianSeconds: null,
        frtP90Seconds: null,
        rtMedianSeconds: null,
        rtP90Seconds: null,
        csatAverage: null,
        csatSatisfiedRate: null,
        cesAverage: null,
        npsScore: null,
        botContainmentRate: null,
        handoffRate: null,
        backlogEnd: null,
      },
  );
}

/** A round axis maximum at or above `value` (1, 2, 5 × 10ⁿ), at least 1. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** A duration in the reader's language with a fitting unit: seconds, minutes, hours or days. */
export function formatDuration(seconds: number | null | undefined, locale: string): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const unit = (value: number, name: 'second' | 'minute' | 'hour' | 'day', digits: number) =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short', maximumFractionDigits: digits }).format(value);
  if (seconds < 90) return unit(Math.round(seconds), 'second', 0);
  if (seconds < 90 * 60) return unit(seconds / 60, 'minute', 1);
  if (seconds < 48 * 3600) return unit(seconds / 3600, 'hour', 1);
  return unit(seconds / 86_400, 'day', 1);
}

/** A ratio (0–1) as a percentage; '–' when there is nothing to divide. */
export function formatPercent(ratio: number | null | undefined, locale: string): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '–';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}

export function formatNumber(value: number | null | undefined, locale: string, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
}

/** The scope parameter: `all`, `channel#chat`, `agent#{sub}`, `category#DELIVERY` (`#` encoded). */
export function scopeQuery(scope: string): string {
  return encodeURIComponent(scope);
}

export const DRILLDOWNS = ['resolved', 'reopened', 'slow_first_response', 'response', 'detractor', 'sla_breach'] as const;
export type Drilldown = (typeof DRILLDOWNS)[number];

/** The views of the Reports section: supervisors and admins see them all, an agent only their own inspections and training. */
export const QUALITY_VIEWS = ['overview', 'agents', 'digest', 'inspection', 'mine', 'training', 'inspection-settings'] as const;
export type QualityView = (typeof QUALITY_VIEWS)[number];

export function qualityViewsFor(roles: readonly string[]): QualityView[] {
  const supervises = roles.includes('supervisor') || roles.includes('admin');
  const answers = roles.some((r) => r === 'agent' || r === 'supervisor' || r === 'admin');
  return QUALITY_VIEWS.filter((v) => (v === 'mine' || v === 'training' ? answers : supervises));
}

/** The view a `#/reports/{tab}` shows: the tab when the roles have it, else their first view. */
export function qualityViewOf(tab: string | undefined, roles: readonly string[]): QualityView | undefined {
  const views = qualityViewsFor(roles);
  const wanted = (QUALITY_VIEWS as readonly string[]).includes(tab ?? '') ? (tab as QualityView) : 'overview';
  return views.includes(wanted) ? wanted : views[0];
}
