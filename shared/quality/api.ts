/** Request schemas of the quality dashboard routes (strict: unknown parameters are refused). */
import * as z from 'zod/mini';
import { msg } from '#shared/http/messages.ts';

const Day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is YYYY-MM-DD'));

/** `all`, `agent#{sub}`, `channel#{channel}` or `category#{CATEGORY}` (`#` is sent as %23). */
export const Scope = z
  .string()
  .check(
    z.regex(
      /^(all|agent#[A-Za-z0-9_.@-]{1,128}|channel#[a-z_]{1,20}|category#[A-Z][A-Z_]{0,39})$/,
      'scope is all, agent#{sub}, channel#{channel} or category#{CATEGORY}',
    ),
  );

/** Longest period one request may cover. */
export const MAX_PERIOD_DAYS = 366;

export const PeriodQuery = z.strictObject({
  from: Day,
  to: Day,
  scope: z._default(Scope, 'all'),
});

export const ExportQuery = z.strictObject({
  from: Day,
  to: Day,
  scope: z._default(Scope, 'all'),
  /** `days`: one row per day; `comments`: every survey response with its comment (≤ 31 days). */
  kind: z._default(z.enum(['days', 'comments']), 'days'),
});

export const DRILLDOWN_METRICS = ['resolved', 'reopened', 'slow_first_response', 'response', 'detractor', 'sla_breach', 'sla_met'] as const;

export const DrilldownQuery = z.strictObject({
  day: Day,
  metric: z.enum(DRILLDOWN_METRICS),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
});

/** A day's digest, or (no day) the latest one of the last DIGEST_LOOKBACK_DAYS days. */
export const DigestQuery = z.strictObject({ day: z.optional(Day) });

/** How far back `GET /quality/digest` without a day looks for the latest digest. */
export const DIGEST_LOOKBACK_DAYS = 14;

/** `GET /quality/agents`: the per-agent table of a period (every agent's own scope). */
export const AgentsQuery = z.strictObject({ from: Day, to: Day });

/** Days in [from, to] inclusive, or a message saying what is wrong with the period (its Chinese registered with `msg`). */
export function periodDays(from: string, to: string, max = MAX_PERIOD_DAYS): number | string {
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (!Number.isFinite(days)) return msg('from and to must be real dates', 'from 和 to 必须是真实存在的日期');
  if (days < 1) return msg('from must not be after to', '开始日期（from）不能晚于结束日期（to）');
  if (days > max) return msg(`a period covers at most ${max} days`, `时间段最多 ${max} 天`);
  return days;
}
