/**
 * Service quality and retention (pure): the daily walk tallies members with and without service
 * signals in the lookback (the signals the churn score reads: SLA breaches, low CSAT, repeat
 * contacts, open complaints, bot loops) — how many are at medium or high risk and, when a fitted
 * model gives a horizon H, how many have not bought again in the last H days. Only what the walk
 * already reads per member is used: the signal counts the rescore keeps on the profile
 * (`churnSignals`), the profile's `serviceSignals` hook, the reason codes and the purchase history.
 */
import { decodeHistory } from './history.ts';

export const SERVICE_GROUPS = ['sla_breaches', 'low_csat', 'any_signal', 'no_signal'] as const;
export type ServiceGroup = (typeof SERVICE_GROUPS)[number];

export interface ServiceGroupCounts {
  members: number;
  /** At medium or high risk. */
  atRisk: number;
  /** Customers since before the horizon (the lapse is defined for them). */
  eligible: number;
  /** Eligible members with no purchase in the last H days. */
  lapsed: number;
}

export type ServiceTally = Record<ServiceGroup, ServiceGroupCounts>;

export interface ServiceLinkRow extends ServiceGroupCounts {
  group: ServiceGroup;
  atRiskShare: number;
  /** Share of eligible members who lapsed; null without a horizon or eligible members. */
  lapsedShare: number | null;
}

export interface ServiceLink {
  horizonDays: number | null;
  rows: ServiceLinkRow[];
}

const SIGNAL_CODES: Record<string, string> = {
  slaBreaches: 'sla_breaches',
  lowCsat: 'low_csat',
  repeatContacts: 'repeat_contacts',
  openComplaints: 'open_complaints',
  botLoops: 'bot_loops',
};
const CODES = new Set(Object.values(SIGNAL_CODES));

export function emptyServiceTally(): ServiceTally {
  return Object.fromEntries(SERVICE_GROUPS.map((g) => [g, { members: 0, atRisk: 0, eligible: 0, lapsed: 0 }])) as ServiceTally;
}

/** The signal codes a member has, from the fields the walk projects (a member item). */
export function memberSignalCodes(item: { churnSignals?: unknown; serviceSignals?: unknown; churnReasonCodes?: unknown }): Set<string> {
  const out = new Set<string>();
  for (const map of [item.churnSignals, item.serviceSignals])
    if (map && typeof map === 'object')
      for (const [name, n] of Object.entries(map as Record<string, unknown>)) {
        const code = SIGNAL_CODES[name];
        if (code && typeof n === 'number' && n > 0) out.add(code);
      }
  if (Array.isArray(item.churnReasonCodes)) for (const code of item.churnReasonCodes) if (CODES.has(String(code))) out.add(String(code));
  return out;
}

/**
 * Whether a member lapsed: no purchase in (today − H, today]. Undefined when it is not defined for
 * them (no history, or a first purchase inside the horizon).
 */
export function lapsedOf(history: unknown, today: number, horizonDays: number | null): boolean | undefined {
  if (horizonDays === null || typeof history !== 'string' || !history) return undefined;
  const { days } = decodeHistory('', history);
  const first = days[0];
  const last = days[days.length - 1];
  if (first === undefined || last === undefined || first > today - horizonDays) return undefined;
  return last <= today - horizonDays;
}

/** Adds one member to the tally (mutates it). */
export function tallyMember(tally: ServiceTally, codes: ReadonlySet<string>, atRisk: boolean, lapsed: boolean | undefined): void {
  const groups: ServiceGroup[] = codes.size === 0 ? ['no_signal'] : ['any_signal'];
  if (codes.has('sla_breaches')) groups.push('sla_breaches');
  if (codes.has('low_csat')) groups.push('low_csat');
  for (const g of groups) {
    const c = tally[g];
    c.members++;
    if (atRisk) c.atRisk++;
    if (lapsed !== undefined) {
      c.eligible++;
      if (lapsed) c.lapsed++;
    }
  }
}

const share = (n: number, of: number) => (of === 0 ? 0 : Math.round((n / of) * 1e4) / 1e4);

/** The stored table: shares per group (groups in SERVICE_GROUPS order). */
export function serviceLink(tally: ServiceTally, horizonDays: number | null): ServiceLink {
  return {
    horizonDays,
    rows: SERVICE_GROUPS.map((group) => {
      const c = tally[group] ?? { members: 0, atRisk: 0, eligible: 0, lapsed: 0 };
      return {
        group,
        ...c,
        atRiskShare: share(c.atRisk, c.members),
        lapsedShare: horizonDays === null || c.eligible === 0 ? null : share(c.lapsed, c.eligible),
      };
    }),
  };
}

/**
 * The one-line reading: the at-risk share of members with a service problem against those without
 * (SLA breaches when any member has one, else any signal); undefined when either side is empty.
 */
export function serviceReading(link: ServiceLink): { group: ServiceGroup; share: number; baseline: number } | undefined {
  const row = (g: ServiceGroup) => link.rows.find((r) => r.group === g);
  const base = row('no_signal');
  const focus = [row('sla_breaches'), row('any_signal')].find((r) => r && r.members > 0);
  if (!focus || !base || base.members === 0) return undefined;
  return { group: focus.group, share: focus.atRiskShare, baseline: base.atRiskShare };
}
