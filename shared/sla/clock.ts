/**
 * One SLA metric's clock (first response, next response or resolution) as a pure value.
 * A clock counts business time on its calendar; while paused it keeps what it consumed and has no
 * deadline; every change of deadline bumps `timerVersion`, so a timer scheduled for an old deadline
 * recognises itself as stale and is dropped. Warn and breach each fire at most once per cycle.
 */
import { addBusinessMs, businessMsBetween, type Calendar } from './calendar.ts';
import type { PolicyRef, SlaMetric } from './policy.ts';

export type ClockState = 'running' | 'paused' | 'stopped';
export type TimerKind = 'warn' | 'breach';

export interface MetricClock {
  metric: SlaMetric;
  /** The policy version whose target this clock measures. */
  policy: PolicyRef;
  targetMinutes: number;
  warnAtPercent: number;
  startedAt: string;
  state: ClockState;
  /** Business time consumed before `runningSince` (ms). */
  consumedMs: number;
  runningSince?: string;
  /** Breach instant while running. */
  dueAt?: string;
  /** Warning instant while running and not yet warned. */
  warnAt?: string;
  stoppedAt?: string;
  warnedAt?: string;
  breachedAt?: string;
  /** Bumped whenever the deadlines move: timers carry it and drop themselves when it differs. */
  timerVersion: number;
  /** next_response restarts for every customer message; each restart is a new cycle. */
  cycle: number;
}

/** A deadline a timer must fire for. */
export interface Deadline {
  metric: SlaMetric;
  kind: TimerKind;
  dueAt: string;
  timerVersion: number;
  policyVersion: number;
}

export interface ClockTarget {
  policy: PolicyRef;
  targetMinutes: number;
  warnAtPercent: number;
}

const MINUTE = 60_000;

function arm(clock: MetricClock, at: Date, calendar: Calendar): MetricClock {
  const target = clock.targetMinutes * MINUTE;
  const left = target - clock.consumedMs;
  const warnLeft = (target * clock.warnAtPercent) / 100 - clock.consumedMs;
  return {
    ...clock,
    state: 'running',
    runningSince: at.toISOString(),
    dueAt: addBusinessMs(at, Math.max(0, left), calendar).toISOString(),
    warnAt: clock.warnedAt || clock.breachedAt ? undefined : addBusinessMs(at, Math.max(0, warnLeft), calendar).toISOString(),
  };
}

function consumeUntil(clock: MetricClock, at: Date, calendar: Calendar): number {
  if (clock.state !== 'running' || !clock.runningSince) return clock.consumedMs;
  return clock.consumedMs + businessMsBetween(new Date(clock.runningSince), at, calendar);
}

function idle(clock: MetricClock, state: ClockState, consumedMs: number, extra: Partial<MetricClock> = {}): MetricClock {
  const { runningSince: _r, dueAt: _d, warnAt: _w, ...rest } = clock;
  return { ...rest, ...extra, state, consumedMs, timerVersion: clock.timerVersion + 1 };
}

/** Starts a clock now; `previous` continues the timer version of an earlier cycle of the same metric. */
export function startClock(metric: SlaMetric, target: ClockTarget, at: Date, calendar: Calendar, previous?: MetricClock): MetricClock {
  return arm(
    {
      metric,
      policy: target.policy,
      targetMinutes: target.targetMinutes,
      warnAtPercent: target.warnAtPercent,
      startedAt: at.toISOString(),
      state: 'running',
      consumedMs: 0,
      timerVersion: (previous?.timerVersion ?? 0) + 1,
      cycle: (previous?.cycle ?? 0) + 1,
    },
    at,
    calendar,
  );
}

/** Pauses a running clock (ticket pending / on hold): consumed time is kept, deadlines vanish. */
export function pauseClock(clock: MetricClock, at: Date, calendar: Calendar): MetricClock {
  if (clock.state !== 'running') return clock;
  return idle(clock, 'paused', consumeUntil(clock, at, calendar));
}

/** Resumes a paused clock (or a stopped one when `reopen`): the remaining target counts from now. */
export function resumeClock(clock: MetricClock, at: Date, calendar: Calendar, reopen = false): MetricClock {
  if (clock.state === 'running' || (clock.state === 'stopped' && !reopen)) return clock;
  const { stoppedAt: _s, ...rest } = clock;
  return arm({ ...rest, timerVersion: clock.timerVersion + 1 }, at, calendar);
}

/** Stops a clock for good (answered, solved): its elapsed business time is final. */
export function stopClock(clock: MetricClock, at: Date, calendar: Calendar): MetricClock {
  if (clock.state === 'stopped') return clock;
  return idle(clock, 'stopped', consumeUntil(clock, at, calendar), { stoppedAt: at.toISOString() });
}

/**
 * Re-evaluates a clock against a new target (priority or tier changed, new policy version): time
 * already consumed stays consumed, the deadline moves. A warning whose new threshold lies ahead is
 * re-armed; a breach stays a breach.
 */
export function retargetClock(clock: MetricClock, target: ClockTarget, at: Date, calendar: Calendar): MetricClock {
  const consumedMs = consumeUntil(clock, at, calendar);
  const warnReached = consumedMs >= (target.targetMinutes * MINUTE * target.warnAtPercent) / 100;
  const { warnedAt, ...rest } = clock;
  const next: MetricClock = {
    ...rest,
    ...(warnReached && warnedAt ? { warnedAt } : {}),
    policy: target.policy,
    targetMinutes: target.targetMinutes,
    warnAtPercent: target.warnAtPercent,
    consumedMs,
    timerVersion: clock.timerVersion + 1,
  };
  return clock.state === 'running' ? arm(next, at, calendar) : next;
}

/** Business time the clock has counted up to `at` (ms). */
export function elapsedMs(clock: MetricClock, at: Date, calendar: Calendar): number {
  return consumeUntil(clock, at, calendar);
}

/** The deadlines timers must be scheduled for: a running clock's pending warning and breach. */
export function deadlinesOf(clock: MetricClock): Deadline[] {
  if (clock.state !== 'running' || clock.breachedAt) return [];
  const base = { metric: clock.metric, timerVersion: clock.timerVersion, policyVersion: clock.policy.version };
  const out: Deadline[] = [];
  if (clock.warnAt && !clock.warnedAt) out.push({ ...base, kind: 'warn', dueAt: clock.warnAt });
  if (clock.dueAt) out.push({ ...base, kind: 'breach', dueAt: clock.dueAt });
  return out;
}

/** Whether a timer for (kind, timerVersion) may still fire on this clock. */
export function timerIsLive(clock: MetricClock | undefined, kind: TimerKind, timerVersion: number): boolean {
  if (clock?.state !== 'running' || clock.timerVersion !== timerVersion || clock.breachedAt) return false;
  return kind === 'breach' || !clock.warnedAt;
}

/** Records that a warning or breach fired (a breach also counts as warned). */
export function markFired(clock: MetricClock, kind: TimerKind, at: Date): MetricClock {
  const iso = at.toISOString();
  if (kind === 'warn') {
    const { warnAt: _w, ...rest } = clock;
    return { ...rest, warnedAt: iso };
  }
  const { warnAt: _w, ...rest } = clock;
  return { ...rest, warnedAt: clock.warnedAt ?? iso, breachedAt: iso };
}
