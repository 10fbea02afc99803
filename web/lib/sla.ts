/**
 * Live SLA badges, pure: what a clock shows at an instant (counting down to its deadline, in the
 * warning window, breached and how late, paused, met or missed) and how a duration reads. The
 * console re-evaluates this every second from the clock's `dueAt`; nothing here talks to the server.
 */
import type { SlaMetric } from './types.ts';

/** A clock as `GET /tickets/{id}` shows it (shared/tickets/api.ts `clockView`), or built from a ticket header. */
export interface ClockLike {
  metric: SlaMetric;
  state: 'running' | 'paused' | 'stopped';
  /** Breach instant while running. */
  dueAt?: string;
  targetMinutes?: number;
  /** Business minutes used so far (final once stopped). */
  elapsedMinutes?: number;
  warnedAt?: string;
  breachedAt?: string;
  stoppedAt?: string;
}

export type BadgeTone = 'ok' | 'warn' | 'breached' | 'paused' | 'met' | 'missed';

export interface Badge {
  tone: BadgeTone;
  /** ok/warn: time left; breached/missed: how late; paused/met: undefined. */
  ms?: number;
  /** Paused after having breached already. */
  breached?: boolean;
}

/** Without a known target, a deadline this close counts as "at risk" (amber). */
export const DEFAULT_WARN_WINDOW_MS = 15 * 60_000;

/**
 * The badge of a clock at `now`. Amber starts when the server has warned (its timer fired at the
 * policy's threshold) or, before that news arrives, once the time left is within the warning share
 * of the target (`warnAtPercent`, default 80 %) — measured in wall time, which is what the badge
 * counts down — or within 15 minutes when the target is unknown.
 */
export function badgeOf(clock: ClockLike, now: number, warnAtPercent = 80): Badge {
  if (clock.state === 'stopped') {
    const over = clock.targetMinutes !== undefined && clock.elapsedMinutes !== undefined ? clock.elapsedMinutes - clock.targetMinutes : 0;
    if (clock.breachedAt || over > 0) return { tone: 'missed', ms: Math.max(0, Math.round(over * 60_000)) };
    return { tone: 'met' };
  }
  if (clock.state === 'paused') return clock.breachedAt ? { tone: 'paused', breached: true } : { tone: 'paused' };
  const due = clock.dueAt ? Date.parse(clock.dueAt) : NaN;
  if (Number.isNaN(due)) return clock.breachedAt ? { tone: 'breached' } : { tone: 'ok' };
  const left = due - now;
  if (left <= 0 || clock.breachedAt) return { tone: 'breached', ms: Math.max(0, -left) };
  const window = clock.targetMinutes !== undefined ? (clock.targetMinutes * 60_000 * (100 - warnAtPercent)) / 100 : DEFAULT_WARN_WINDOW_MS;
  if (clock.warnedAt || left <= window) return { tone: 'warn', ms: left };
  return { tone: 'ok', ms: left };
}

/**
 * A countdown: `m:ss` under an hour, `h:mm:ss` under a day, then days and hours (`2d 3h` with the
 * given unit letters). Whole seconds, rounded up while counting down so "0:00" means it is due.
 */
export function formatCountdown(ms: number, units: { d: string; h: string } = { d: 'd', h: 'h' }): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (days > 0) return `${days}${units.d} ${hours}${units.h}`;
  const ss = String(seconds).padStart(2, '0');
  if (hours > 0) return `${hours}:${String(minutes).padStart(2, '0')}:${ss}`;
  return `${minutes}:${ss}`;
}

/** A ticket header's soonest running clock, as a clock the badge can show (lists have no clock items). */
export function headerClock(sla: { nextDueAt?: string; nextMetric?: SlaMetric }): ClockLike | undefined {
  if (!sla.nextDueAt || !sla.nextMetric) return undefined;
  return { metric: sla.nextMetric, state: 'running', dueAt: sla.nextDueAt };
}

/** Target minutes of a metric for a priority and member tier (a tier overrides metric by metric), as the server computes them. */
export function targetMinutes(
  policy:
    | { targets: Record<string, Partial<Record<SlaMetric, number>>>; tierTargets?: Record<string, Record<string, Partial<Record<SlaMetric, number>>>> }
    | undefined,
  priority: string,
  tier: string | undefined,
  metric: SlaMetric,
): number | undefined {
  if (!policy) return undefined;
  const override = tier ? policy.tierTargets?.[tier]?.[priority]?.[metric] : undefined;
  return override ?? policy.targets[priority]?.[metric];
}
