/**
 * Dashboard figures from summed day counters (pure): the same function serves the summary route,
 * the CSV export, the digest and the bench, so every number has exactly one definition.
 */
import { TOPICS } from '#shared/ai/sentiment.ts';
import { bucketsOf, percentile } from './histogram.ts';
import { sumCounters } from './metrics.ts';

export const SLA_METRICS = ['first_response', 'next_response', 'resolution'] as const;
export type SlaMetricName = (typeof SLA_METRICS)[number];

export interface DurationFigures {
  count: number;
  meanSeconds: number | null;
  medianSeconds: number | null;
  p90Seconds: number | null;
  /** Buckets (for charts): counts per DURATION_EDGES bucket. */
  buckets: number[];
}

/** Targets met and breached; attainment = met ÷ (met + breached), null when nothing was due. */
export interface SlaFigures {
  met: number;
  breached: number;
  attainment: number | null;
}

export interface QualityFigures {
  conversations: {
    created: number;
    resolved: number;
    reopened: number;
    /** Of the conversations created in the period, the share resolved now. */
    resolutionRate: number | null;
    /** Reopened ÷ resolved. */
    reopenRate: number | null;
    /** First-contact resolutions (resolved once after exactly one agent reply, or by the bot without hand-off; never reopened). */
    firstContactResolutions: number;
    /** First-contact resolutions ÷ resolved. */
    fcrRate: number | null;
  };
  /** SLA targets of tickets: met (clock stopped in time) vs breached, once per ticket and metric. */
  sla: Record<SlaMetricName, SlaFigures>;
  /** Every SLA target of the period together (the dashboard's attainment tile). */
  slaOverall: SlaFigures;
  firstResponse: DurationFigures;
  /** Every public agent reply that answered a customer (average response = its mean). */
  responseTime: DurationFigures;
  resolutionTime: DurationFigures;
  /**
   * Workload of one agent (kept in `agent#{sub}` scopes only; zero elsewhere): public replies sent,
   * conversations replied to or resolved (once each, on the first day), and the share of those
   * resolved now.
   */
  work: { replies: number; handled: number; handledResolved: number; resolutionRate: number | null };
  csat: { responses: number; average: number | null; satisfiedRate: number | null; distribution: number[] };
  ces: { responses: number; average: number | null; easyRate: number | null };
  nps: { responses: number; score: number | null; promoters: number; passives: number; detractors: number };
  bot: {
    conversations: number;
    resolvedByBot: number;
    verifiedResolutions: number;
    handedOff: number;
    abandoned: number;
    /** Bot conversations that never reached a human ÷ all ended bot conversations. */
    containmentRate: number | null;
    /** Conversations the shopper confirmed the bot solved ÷ all ended bot conversations. */
    verifiedResolutionRate: number | null;
    handoffRate: number | null;
  };
  surveys: { sent: number; suppressed: number; responses: number; responseRate: number | null; detractors: number; optOuts: number };
  sentiment: { positive: number; neutral: number; negative: number };
  topics: { topic: string; count: number; negative: number }[];
}

const ratio = (a: number, b: number): number | null => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);
const mean = (sum: number, n: number): number | null => (n > 0 ? Math.round((sum / n) * 100) / 100 : null);

function durations(c: Record<string, number>, metric: string): DurationFigures {
  const buckets = bucketsOf(c, metric);
  const n = c[`${metric}_n`] ?? 0;
  return {
    count: n,
    meanSeconds: n > 0 ? Math.round((c[`${metric}_sum`] ?? 0) / n) : null,
    medianSeconds: percentile(buckets, 0.5)?.value ?? null,
    p90Seconds: percentile(buckets, 0.9)?.value ?? null,
    buckets,
  };
}

const slaFigures = (met: number, breached: number): SlaFigures => ({ met, breached, attainment: ratio(met, met + breached) });

/** Figures of a period from the summed quality counters and the summed bot counters. */
export function figures(quality: Record<string, number>, bot: Record<string, number> = {}): QualityFigures {
  const c = (k: string) => quality[k] ?? 0;
  const b = (k: string) => bot[k] ?? 0;
  const botEnded = b('resolved_by_bot') + b('handed_off') + b('abandoned');
  const suppressed = Object.entries(quality)
    .filter(([k]) => k.startsWith('sv_suppressed_'))
    .reduce((a, [, v]) => a + v, 0);
  const npsN = c('nps_n');
  return {
    conversations: {
      created: c('conv_created'),
      resolved: c('resolved'),
      reopened: c('reopened'),
      resolutionRate: ratio(c('created_resolved'), c('conv_created')),
      reopenRate: ratio(c('reopened'), c('resolved')),
      firstContactResolutions: c('fcr'),
      fcrRate: ratio(c('fcr'), c('resolved')),
    },
    sla: Object.fromEntries(SLA_METRICS.map((m) => [m, slaFigures(c(`sla_met_${m}`), c(`sla_breach_${m}`))])) as QualityFigures['sla'],
    slaOverall: slaFigures(
      SLA_METRICS.reduce((n, m) => n + c(`sla_met_${m}`), 0),
      SLA_METRICS.reduce((n, m) => n + c(`sla_breach_${m}`), 0),
    ),
    firstResponse: durations(quality, 'frt'),
    responseTime: durations(quality, 'art'),
    resolutionTime: durations(quality, 'rt'),
    work: {
      replies: c('agent_replies'),
      handled: c('handled'),
      handledResolved: c('handled_resolved'),
      resolutionRate: ratio(c('handled_resolved'), c('handled')),
    },
    csat: {
      responses: c('csat_n'),
      average: mean(c('csat_sum'), c('csat_n')),
      satisfiedRate: ratio(c('csat_sat'), c('csat_n')),
      distribution: [1, 2, 3, 4, 5].map((s) => c(`csat_s${s}`)),
    },
    ces: { responses: c('ces_n'), average: mean(c('ces_sum'), c('ces_n')), easyRate: ratio(c('ces_easy'), c('ces_n')) },
    nps: {
      responses: npsN,
      score: npsN > 0 ? Math.round(((c('nps_prom') - c('nps_det')) / npsN) * 1000) / 10 : null,
      promoters: c('nps_prom'),
      passives: c('nps_pass'),
      detractors: c('nps_det'),
    },
    bot: {
      conversations: botEnded,
      resolvedByBot: b('resolved_by_bot'),
      verifiedResolutions: c('bot_verified'),
      handedOff: b('handed_off'),
      abandoned: b('abandoned'),
      containmentRate: ratio(b('resolved_by_bot') + b('abandoned'), botEnded),
      verifiedResolutionRate: ratio(c('bot_verified'), botEnded),
      handoffRate: ratio(b('handed_off'), botEnded),
    },
    surveys: {
      sent: c('sv_sent'),
      suppressed,
      responses: c('sv_responses'),
      responseRate: ratio(c('sv_responses'), c('sv_sent')),
      detractors: c('sv_detractors'),
      optOuts: c('sv_optouts'),
    },
    sentiment: { positive: c('sent_positive'), neutral: c('sent_neutral'), negative: c('sent_negative') },
    topics: TOPICS.map((topic) => ({ topic, count: c(`topic_${topic}`), negative: c(`topicneg_${topic}`) }))
      .filter((t) => t.count > 0)
      .sort((x, y) => y.negative - x.negative || y.count - x.count),
  };
}

export interface DayCounters {
  day: string;
  counters: Record<string, number>;
}

/** Figures for a period plus a per-day series (charts), from the day items of a scope. */
export function summarize(days: readonly DayCounters[], botDays: readonly DayCounters[] = []) {
  const botByDay = new Map(botDays.map((d) => [d.day, d.counters]));
  const total = figures(sumCounters(days.map((d) => d.counters)), sumCounters(botDays.map((d) => d.counters)));
  const series = days.map((d) => {
    const f = figures(d.counters, botByDay.get(d.day) ?? {});
    return {
      day: d.day,
      created: f.conversations.created,
      resolved: f.conversations.resolved,
      reopened: f.conversations.reopened,
      fcrRate: f.conversations.fcrRate,
      frtMedianSeconds: f.firstResponse.medianSeconds,
      frtP90Seconds: f.firstResponse.p90Seconds,
      rtMedianSeconds: f.resolutionTime.medianSeconds,
      rtP90Seconds: f.resolutionTime.p90Seconds,
      csatAverage: f.csat.average,
      csatSatisfiedRate: f.csat.satisfiedRate,
      cesAverage: f.ces.average,
      npsScore: f.nps.score,
      botContainmentRate: f.bot.containmentRate,
      handoffRate: f.bot.handoffRate,
      backlogEnd: d.counters.backlog_end ?? null,
    };
  });
  return { totals: total, series };
}

/** One row of the per-day series (charts). */
export type DayRow = ReturnType<typeof summarize>['series'][number];

/** The body of `GET /quality/summary`; the console reads this type (type-only import), so the two cannot drift. */
export interface QualitySummaryResponse {
  scope: string;
  from: string;
  to: string;
  days: number;
  /** The shop's time zone: `from`, `to` and every series day are its calendar days. */
  timeZone: string;
  totals: QualityFigures;
  /** Open conversations now (scope all or a channel), else null. */
  backlog: number | null;
  series: DayRow[];
  labels: typeof METRIC_LABELS;
  /** What the answer cost in DynamoDB requests and items read. */
  cost: { requests: number; itemsRead: number };
}

/** What each dashboard figure means, in both languages (charts, CSV headers, docs). */
export const METRIC_LABELS: Record<string, { 'zh-CN': string; en: string }> = {
  day: { 'zh-CN': '日期', en: 'Day' },
  scope: { 'zh-CN': '范围', en: 'Scope' },
  created: { 'zh-CN': '新会话', en: 'Conversations created' },
  resolved: { 'zh-CN': '已解决', en: 'Resolved' },
  reopened: { 'zh-CN': '重新打开', en: 'Reopened' },
  resolutionRate: { 'zh-CN': '解决率', en: 'Resolution rate' },
  reopenRate: { 'zh-CN': '重开率', en: 'Reopen rate' },
  fcrRate: { 'zh-CN': '首次接触解决率', en: 'First-contact resolution rate' },
  slaAttainment: { 'zh-CN': 'SLA达成率', en: 'SLA attainment' },
  frtMedianSeconds: { 'zh-CN': '首次响应中位数(秒)', en: 'First response median (s)' },
  frtP90Seconds: { 'zh-CN': '首次响应P90(秒)', en: 'First response p90 (s)' },
  rtMedianSeconds: { 'zh-CN': '解决时长中位数(秒)', en: 'Resolution time median (s)' },
  rtP90Seconds: { 'zh-CN': '解决时长P90(秒)', en: 'Resolution time p90 (s)' },
  csatAverage: { 'zh-CN': '满意度均分', en: 'CSAT average' },
  csatSatisfiedRate: { 'zh-CN': '满意率(4-5分)', en: 'CSAT satisfied (4–5)' },
  cesAverage: { 'zh-CN': '费力度均分', en: 'CES average' },
  npsScore: { 'zh-CN': '净推荐值', en: 'NPS' },
  botContainmentRate: { 'zh-CN': '机器人拦截率', en: 'Bot containment' },
  handoffRate: { 'zh-CN': '转人工率', en: 'Hand-off rate' },
  backlogEnd: { 'zh-CN': '日终积压', en: 'Backlog at day end' },
};
