/**
 * The daily quality digest: the day's figures against the previous seven days, the topics with
 * the most negative comments, the detractors to call back and what broke SLA (from breach facts,
 * when the SLA module records them with `recordSlaBreach`). Headlines in zh-CN and en.
 */

import { sumCounters } from './metrics.ts';
import type { DayCounters } from './summary.ts';
import { figures, type QualityFigures } from './summary.ts';

export interface Digest {
  day: string;
  figures: QualityFigures;
  baseline: QualityFigures;
  worstTopics: { topic: string; negative: number; count: number }[];
  detractors: Record<string, unknown>[];
  slaBreaches: Record<string, unknown>[];
  headlines: { 'zh-CN': string; en: string }[];
}

const pct = (v: number | null) => (v === null ? '–' : `${Math.round(v * 1000) / 10}%`);
const mins = (s: number | null) => (s === null ? '–' : `${Math.round(s / 6) / 10}`);

/** Builds the digest of `day` from its counters, the seven days before it and the day's facts. */
export function buildDigest(input: {
  day: string;
  today: DayCounters | undefined;
  previous: readonly DayCounters[];
  bot: DayCounters | undefined;
  previousBot: readonly DayCounters[];
  detractors: Record<string, unknown>[];
  slaBreaches: Record<string, unknown>[];
}): Digest {
  const f = figures(input.today?.counters ?? {}, input.bot?.counters ?? {});
  const n = Math.max(1, input.previous.length);
  const base = figures(sumCounters(input.previous.map((d) => d.counters)), sumCounters(input.previousBot.map((d) => d.counters)));
  const worstTopics = f.topics.filter((t) => t.negative > 0).slice(0, 5);
  const headlines = [
    {
      'zh-CN': `新会话 ${f.conversations.created}（前7日日均 ${Math.round(base.conversations.created / n)}），解决 ${f.conversations.resolved}，重开率 ${pct(f.conversations.reopenRate)}`,
      en: `${f.conversations.created} new conversations (7-day average ${Math.round(base.conversations.created / n)}), ${f.conversations.resolved} resolved, reopen rate ${pct(f.conversations.reopenRate)}`,
    },
    {
      'zh-CN': `首次响应中位数 ${mins(f.firstResponse.medianSeconds)} 分钟，P90 ${mins(f.firstResponse.p90Seconds)} 分钟`,
      en: `First response median ${mins(f.firstResponse.medianSeconds)} min, p90 ${mins(f.firstResponse.p90Seconds)} min`,
    },
    {
      'zh-CN': `满意率 ${pct(f.csat.satisfiedRate)}（前7日 ${pct(base.csat.satisfiedRate)}），差评 ${f.surveys.detractors} 条待回访`,
      en: `CSAT satisfied ${pct(f.csat.satisfiedRate)} (previous 7 days ${pct(base.csat.satisfiedRate)}), ${f.surveys.detractors} detractor(s) to follow up`,
    },
    ...(input.slaBreaches.length ? [{ 'zh-CN': `SLA 超时 ${input.slaBreaches.length} 次`, en: `${input.slaBreaches.length} SLA breach(es)` }] : []),
    ...(worstTopics.length
      ? [
          {
            'zh-CN': `负面评价最多的主题：${worstTopics.map((t) => t.topic).join('、')}`,
            en: `Topics with the most negative comments: ${worstTopics.map((t) => t.topic).join(', ')}`,
          },
        ]
      : []),
  ];
  return { day: input.day, figures: f, baseline: base, worstTopics, detractors: input.detractors, slaBreaches: input.slaBreaches, headlines };
}
