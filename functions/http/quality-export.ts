import { badRequest } from '#shared/http/errors.ts';
import { textBody, withHttp } from '#shared/http/with-http.ts';
import { ExportQuery, periodDays } from '#shared/quality/api.ts';
import { type Cell, toCsv } from '#shared/quality/csv.ts';
import { daysBetween, readBotDays, readFacts, readQualityDays } from '#shared/quality/store.ts';
import { METRIC_LABELS, summarize } from '#shared/quality/summary.ts';

const DAY_COLUMNS = [
  'day',
  'scope',
  'created',
  'resolved',
  'reopened',
  'frtMedianSeconds',
  'frtP90Seconds',
  'rtMedianSeconds',
  'rtP90Seconds',
  'csatAverage',
  'csatSatisfiedRate',
  'cesAverage',
  'npsScore',
  'botContainmentRate',
  'handoffRate',
  'backlogEnd',
] as const;

const COMMENT_HEADER = [
  '日期 / Day',
  '调查 / Survey',
  '会话 / Conversation',
  '客服 / Agent',
  'CSAT',
  'CES',
  'NPS',
  '情感 / Sentiment',
  '主题 / Topics',
  '差评 / Detractor',
  '评论 / Comment',
];

/** Bilingual column header `中文 / English`. */
const header = (k: string) => `${METRIC_LABELS[k]?.['zh-CN'] ?? k} / ${METRIC_LABELS[k]?.en ?? k}`;

/**
 * CSV of the quality figures (one row per day) or of the survey comments of a period; every text
 * cell is neutralised against formula injection (see shared/quality/csv.ts).
 */
export const handler = withHttp('quality-export', { query: ExportQuery }, async ({ query }) => {
  const days = periodDays(query.from, query.to, query.kind === 'comments' ? 31 : undefined);
  if (typeof days === 'string') throw badRequest(days);
  const filename = `kefu-quality-${query.kind}-${query.from}-${query.to}.csv`;
  const headers = { 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' };
  if (query.kind === 'comments') {
    const rows: Cell[][] = [];
    for (const day of daysBetween(query.from, query.to)) {
      let cursor: Record<string, string> | undefined;
      do {
        const page = await readFacts(day, 'response', 500, cursor);
        for (const f of page.items) {
          if (query.scope.startsWith('agent#') && `agent#${String(f.agent ?? '')}` !== query.scope) continue;
          const scores = (f.scores ?? {}) as Record<string, number>;
          rows.push([
            day,
            String(f.surveyId ?? ''),
            String(f.conversationId ?? ''),
            String(f.agent ?? ''),
            scores.csat,
            scores.ces,
            scores.nps,
            String(f.sentiment ?? ''),
            ((f.topics ?? []) as string[]).join(' '),
            f.detractor === true,
            String(f.comment ?? ''),
          ]);
        }
        cursor = page.next as Record<string, string> | undefined;
      } while (cursor);
    }
    return textBody(toCsv(COMMENT_HEADER, rows), 'text/csv; charset=utf-8', headers);
  }
  const [quality, bot] = await Promise.all([
    readQualityDays(query.scope, query.from, query.to),
    query.scope === 'all' ? readBotDays(query.from, query.to) : Promise.resolve({ days: [], reads: 0 }),
  ]);
  const { series } = summarize(quality.days, bot.days);
  const rows = series.map((s) => DAY_COLUMNS.map((c): Cell => (c === 'scope' ? query.scope : (s as Record<string, Cell>)[c])));
  return textBody(toCsv(DAY_COLUMNS.map(header), rows), 'text/csv; charset=utf-8', headers);
});
