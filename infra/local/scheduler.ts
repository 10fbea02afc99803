import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import { type FunctionDef, functions as manifestFunctions } from '#infra/manifest.ts';
import type { Invoker } from './lambda.ts';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './lambda.ts';

/** setTimeout's ceiling; longer waits are chained. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface Cancellable {
  cancel(): void;
}

const scheduled = new Set<{ timer: NodeJS.Timeout | undefined }>();

/**
 * Runs `fn` once at `date` (immediately when it is past): the local equivalent of an EventBridge
 * Scheduler one-off schedule, for due-time work such as SLA deadlines. Errors are logged, not thrown.
 */
export function scheduleAt(date: Date, fn: () => unknown): Cancellable {
  const entry: { timer: NodeJS.Timeout | undefined } = { timer: undefined };
  const arm = () => {
    const wait = date.getTime() - Date.now();
    entry.timer = setTimeout(
      () => {
        if (date.getTime() - Date.now() > 0) return arm();
        scheduled.delete(entry);
        Promise.resolve()
          .then(fn)
          .catch((err: unknown) => console.error(`[kefu local] scheduled task failed: ${(err as Error).stack ?? String(err)}`));
      },
      Math.max(0, Math.min(wait, MAX_TIMEOUT_MS)),
    );
  };
  scheduled.add(entry);
  arm();
  return {
    cancel: () => {
      clearTimeout(entry.timer);
      scheduled.delete(entry);
    },
  };
}

/** Cancels every pending `scheduleAt` timer (the local stack calls this when it stops). */
export function cancelAllScheduled(): void {
  for (const entry of scheduled) clearTimeout(entry.timer);
  scheduled.clear();
}

export type Schedule = { kind: 'rate'; everyMs: number } | { kind: 'cron'; cron: CronSpec };

export interface CronSpec {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number> | undefined;
  months: ReadonlySet<number>;
  /** 0 = Sunday (EventBridge writes 1 = SUN … 7 = SAT). */
  daysOfWeek: ReadonlySet<number> | undefined;
  years: ReadonlySet<number> | undefined;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function parseField(field: string, min: number, max: number, names: readonly string[] = [], nameBase = min): Set<number> | undefined {
  if (field === '?') return undefined;
  const value = (token: string): number => {
    const named = names.indexOf(token.toUpperCase());
    const n = named >= 0 ? named + nameBase : Number(token);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`cron: "${token}" is out of range ${min}-${max}`);
    return n;
  };
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    if (/#|^L$|^LW$|^\d+[LW]$/i.test(range)) throw new Error(`cron: "${part}" (L, W, #) is not supported locally`);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`cron: bad step in "${part}"`);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [min, max];
    else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      [from, to] = [value(a), value(b)];
    } else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return out;
}

/** Parses `rate(N minute(s)|hour(s)|day(s))` or EventBridge `cron(m h dom mon dow year)` (UTC). */
export function parseSchedule(expression: string): Schedule {
  const rate = /^rate\(\s*(\d+)\s+(minutes?|hours?|days?)\s*\)$/i.exec(expression.trim());
  if (rate) {
    const n = Number(rate[1]);
    const unit = (rate[2] ?? '').toLowerCase().replace(/s$/, '');
    if (n < 1) throw new Error(`schedule: rate must be positive in "${expression}"`);
    const unitMs = unit === 'minute' ? 60_000 : unit === 'hour' ? 3_600_000 : 86_400_000;
    return { kind: 'rate', everyMs: n * unitMs };
  }
  const cron = /^cron\((.*)\)$/i.exec(expression.trim());
  if (!cron) throw new Error(`schedule: unsupported expression "${expression}"`);
  const fields = (cron[1] ?? '').trim().split(/\s+/);
  if (fields.length !== 6) throw new Error(`schedule: cron needs 6 fields (m h dom mon dow year) in "${expression}"`);
  const [m = '', h = '', dom = '', mon = '', dow = '', year = ''] = fields;
  const dowSet = parseField(dow, 1, 7, DAYS, 1);
  return {
    kind: 'cron',
    cron: {
      minutes: parseField(m, 0, 59) ?? new Set(),
      hours: parseField(h, 0, 23) ?? new Set(),
      daysOfMonth: parseField(dom, 1, 31),
      months: parseField(mon, 1, 12, MONTHS, 1) ?? new Set(),
      daysOfWeek: dowSet && new Set([...dowSet].map((d) => d - 1)),
      years: parseField(year, 1970, 2199),
    },
  };
}

/** The first time strictly after `after` that a cron spec fires (UTC), or undefined within 5 years. */
export function nextCronTime(spec: CronSpec, after: Date): Date | undefined {
  const start = new Date(after.getTime());
  start.setUTCSeconds(0, 0);
  start.setUTCMinutes(start.getUTCMinutes() + 1);
  const day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
  const hours = [...spec.hours].sort((a, b) => a - b);
  const minutes = [...spec.minutes].sort((a, b) => a - b);
  for (let i = 0; i < 366 * 5; i++, day.setUTCDate(day.getUTCDate() + 1)) {
    if (spec.years && !spec.years.has(day.getUTCFullYear())) continue;
    if (!spec.months.has(day.getUTCMonth() + 1)) continue;
    if (spec.daysOfMonth && !spec.daysOfMonth.has(day.getUTCDate())) continue;
    if (spec.daysOfWeek && !spec.daysOfWeek.has(day.getUTCDay())) continue;
    for (const h of hours) {
      for (const m of minutes) {
        const t = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), h, m);
        if (t >= start.getTime()) return new Date(t);
      }
    }
  }
  return undefined;
}

/** The event EventBridge sends a rule target on schedule. */
export function scheduledEvent(fn: FunctionDef, at: Date): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT_ID,
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:rule/kefu-local-${fn.name}`],
    detail: {},
  };
}

export interface Scheduler {
  /** Invokes a scheduled function now, as its schedule would. */
  runNow(name: string): Promise<void>;
  stop(): void;
}

/**
 * Runs every manifest `schedule` in-process (rate: first run one period after start, like EventBridge).
 * `tickMs` (a test knob, `npm start -- --tick N`): schedules of `rate(1 minute)` or faster run that
 * often instead, so a test can watch the every-minute jobs (campaign tick, survey sweep) without
 * waiting minutes; slower schedules are unchanged.
 */
export function startScheduler(opts: { invoker: Invoker; functions?: readonly FunctionDef[]; tickMs?: number }): Scheduler {
  const fns = (opts.functions ?? manifestFunctions).filter((f) => f.schedule);
  const tick = opts.tickMs;
  if (tick !== undefined && (!Number.isFinite(tick) || tick < 100)) throw new Error(`scheduler: tick of ${tick} ms is too short`);
  const timers = new Map<string, Cancellable>();
  let stopped = false;
  const fire = async (fn: FunctionDef, at: Date) => {
    await opts.invoker.invoke(fn, scheduledEvent(fn, at));
  };
  for (const fn of fns) {
    const parsed = parseSchedule(fn.schedule ?? '');
    const schedule: Schedule = tick !== undefined && parsed.kind === 'rate' && parsed.everyMs <= 60_000 ? { kind: 'rate', everyMs: tick } : parsed;
    const arm = (previous: Date) => {
      if (stopped) return;
      const next = schedule.kind === 'rate' ? new Date(previous.getTime() + schedule.everyMs) : nextCronTime(schedule.cron, previous);
      if (!next) return;
      timers.set(
        fn.name,
        scheduleAt(next, async () => {
          arm(next);
          await fire(fn, next);
        }),
      );
    };
    arm(new Date());
  }
  return {
    async runNow(name) {
      const fn = fns.find((f) => f.name === name);
      if (!fn) throw new Error(`no scheduled function named ${name}`);
      await fire(fn, new Date());
    },
    stop() {
      stopped = true;
      for (const t of timers.values()) t.cancel();
    },
  };
}
