/**
 * Cohort retention (pure): customers grouped by the calendar month (UTC) of their first purchase;
 * for each later month k = 1, 2, … the share of the cohort who bought in that month; and the
 * repurchase rate (share with a second purchase day), per cohort, overall and per tier. Only
 * purchases on or before `asOf` count, and a month is reported only once it has begun.
 */
import type { History } from './history.ts';

export interface Cohort {
  /** YYYY-MM of the first purchase. */
  month: string;
  customers: number;
  /** Customers with a second purchase day (any time up to as-of). */
  repeated: number;
  /** retention[k − 1] = share of the cohort buying in month k after the first (k = 1 … months elapsed). */
  retention: number[];
}

export interface RetentionReport {
  asOf: string;
  customers: number;
  repurchaseRate: number;
  cohorts: Cohort[];
  byTier: { tier: string; customers: number; repurchaseRate: number }[];
}

const monthIndex = (day: number) => {
  const d = new Date(day * 86_400_000);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};
const monthName = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
const share = (n: number, of: number) => (of === 0 ? 0 : Math.round((n / of) * 1e4) / 1e4);

/** The report as of day `asOf`, the most recent `maxCohorts` cohorts, at most `maxMonths` months each. */
export function cohortRetention(histories: readonly History[], asOf: number, opts: { maxCohorts?: number; maxMonths?: number } = {}): RetentionReport {
  const maxCohorts = opts.maxCohorts ?? 18;
  const maxMonths = opts.maxMonths ?? 12;
  const now = monthIndex(asOf);
  const firstCohort = now - maxCohorts + 1;
  const cohorts = new Map<number, { customers: number; repeated: number; active: number[] }>();
  const tiers = new Map<string, { customers: number; repeated: number }>();
  let customers = 0;
  let repeated = 0;
  for (const h of histories) {
    const first = h.days[0];
    if (first === undefined || first > asOf) continue;
    const second = h.days[1];
    const again = second !== undefined && second <= asOf;
    customers++;
    if (again) repeated++;
    const tier = h.tier ?? '';
    if (tier) {
      const t = tiers.get(tier) ?? { customers: 0, repeated: 0 };
      t.customers++;
      if (again) t.repeated++;
      tiers.set(tier, t);
    }
    const m0 = monthIndex(first);
    if (m0 < firstCohort) continue;
    let c = cohorts.get(m0);
    if (!c) cohorts.set(m0, (c = { customers: 0, repeated: 0, active: new Array<number>(Math.min(maxMonths, now - m0)).fill(0) }));
    c.customers++;
    if (again) c.repeated++;
    let last = -1;
    for (const d of h.days) {
      if (d > asOf) break;
      const k = monthIndex(d) - m0;
      if (k >= 1 && k <= c.active.length && k !== last) {
        c.active[k - 1] = (c.active[k - 1] as number) + 1;
        last = k;
      }
    }
  }
  return {
    asOf: new Date(asOf * 86_400_000).toISOString().slice(0, 10),
    customers,
    repurchaseRate: share(repeated, customers),
    cohorts: [...cohorts.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([m, c]) => ({ month: monthName(m), customers: c.customers, repeated: c.repeated, retention: c.active.map((n) => share(n, c.customers)) })),
    byTier: [...tiers.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([tier, t]) => ({ tier, customers: t.customers, repurchaseRate: share(t.repeated, t.customers) })),
  };
}

/**
 * The retention curve: for month k = 1, 2, … the share buying again in month k, averaged over the
 * cohorts that have reached month k, weighted by cohort size; `cohorts` is how many contributed.
 */
export function retentionCurve(report: RetentionReport): { month: number; share: number; customers: number; cohorts: number }[] {
  const months = Math.max(0, ...report.cohorts.map((c) => c.retention.length));
  const out: { month: number; share: number; customers: number; cohorts: number }[] = [];
  for (let k = 1; k <= months; k++) {
    let weighted = 0;
    let customers = 0;
    let cohorts = 0;
    for (const c of report.cohorts) {
      const v = c.retention[k - 1];
      if (v === undefined || c.customers === 0) continue;
      // The share times the size recovers the count (shares are rounded to 4 decimals).
      weighted += Math.round(v * c.customers);
      customers += c.customers;
      cohorts++;
    }
    out.push({ month: k, share: customers === 0 ? 0 : Math.round((weighted / customers) * 1e4) / 1e4, customers, cohorts });
  }
  return out;
}

/** The cohort table as CSV (header month, customers, repurchase rate, month 1 … n). */
export function cohortCsv(report: RetentionReport): string {
  const months = Math.max(0, ...report.cohorts.map((c) => c.retention.length));
  const header = ['cohort', 'customers', 'repurchase_rate', ...Array.from({ length: months }, (_, i) => `month_${i + 1}`)];
  const lines = report.cohorts.map((c) => [c.month, c.customers, share(c.repeated, c.customers), ...c.retention].join(','));
  return `${[header.join(','), ...lines].join('\n')}\n`;
}
