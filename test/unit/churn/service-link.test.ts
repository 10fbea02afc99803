import { describe, expect, it } from 'vitest';
import { cohortRetention, type RetentionReport, retentionCurve } from '#shared/churn/cohorts.ts';
import { encodeHistory, type History } from '#shared/churn/history.ts';
import { emptyServiceTally, lapsedOf, memberSignalCodes, serviceLink, serviceReading, tallyMember } from '#shared/churn/service-link.ts';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

describe('service signals against churn risk', () => {
  it('reads the signal codes from the counted signals, the profile hook and the reason codes', () => {
    expect([...memberSignalCodes({ churnSignals: { slaBreaches: 2, lowCsat: 0 } })]).toEqual(['sla_breaches']);
    expect([...memberSignalCodes({ serviceSignals: { lowCsat: 1 }, churnReasonCodes: ['long_since_last_purchase', 'bot_loops'] })].sort()).toEqual([
      'bot_loops',
      'low_csat',
    ]);
    expect(memberSignalCodes({ churnSignals: {}, serviceSignals: { unknown: 3, slaBreaches: '2' }, churnReasonCodes: ['single_purchase'] }).size).toBe(0);
  });

  it('counts a lapse only for members who were customers before the horizon', () => {
    const today = 1000;
    expect(lapsedOf(encodeHistory([800, 850], [10, 10]), today, 90)).toBe(true);
    expect(lapsedOf(encodeHistory([800, 950], [10, 10]), today, 90)).toBe(false);
    // First purchase inside the horizon: not defined.
    expect(lapsedOf(encodeHistory([950], [10]), today, 90)).toBeUndefined();
    // No fitted horizon, or no history: not defined.
    expect(lapsedOf(encodeHistory([800], [10]), today, null)).toBeUndefined();
    expect(lapsedOf(undefined, today, 90)).toBeUndefined();
  });

  it('tallies members with and without signals into shares, and reads SLA members against members without problems', () => {
    const tally = emptyServiceTally();
    // 4 members with SLA breaches (3 at risk, 2 of 4 lapsed), 1 with low CSAT only (at risk, not eligible), 10 without (1 at risk, 1 of 5 lapsed).
    for (let i = 0; i < 4; i++) tallyMember(tally, new Set(['sla_breaches']), i < 3, i < 2);
    tallyMember(tally, new Set(['low_csat']), true, undefined);
    for (let i = 0; i < 10; i++) tallyMember(tally, new Set(), i === 0, i < 5 ? i === 0 : undefined);
    const link = serviceLink(tally, 90);
    const row = (g: string) => link.rows.find((r) => r.group === g);
    expect(link.rows.map((r) => r.group)).toEqual(['sla_breaches', 'low_csat', 'any_signal', 'no_signal']);
    expect(row('sla_breaches')).toEqual({ group: 'sla_breaches', members: 4, atRisk: 3, eligible: 4, lapsed: 2, atRiskShare: 0.75, lapsedShare: 0.5 });
    expect(row('low_csat')).toMatchObject({ members: 1, atRisk: 1, eligible: 0, lapsedShare: null });
    expect(row('any_signal')).toMatchObject({ members: 5, atRisk: 4, atRiskShare: 0.8, eligible: 4, lapsed: 2 });
    expect(row('no_signal')).toMatchObject({ members: 10, atRisk: 1, atRiskShare: 0.1, eligible: 5, lapsed: 1, lapsedShare: 0.2 });
    expect(serviceReading(link)).toEqual({ group: 'sla_breaches', share: 0.75, baseline: 0.1 });
    // Without a fitted horizon there is no lapse share.
    expect(serviceLink(tally, null).rows.every((r) => r.lapsedShare === null)).toBe(true);
  });

  it('falls back to any service problem without SLA breaches, and has no reading with an empty side', () => {
    const tally = emptyServiceTally();
    tallyMember(tally, new Set(['open_complaints']), true, undefined);
    tallyMember(tally, new Set(), false, undefined);
    expect(serviceReading(serviceLink(tally, null))).toEqual({ group: 'any_signal', share: 1, baseline: 0 });
    const none = emptyServiceTally();
    tallyMember(none, new Set(), true, undefined);
    expect(serviceReading(serviceLink(none, null))).toBeUndefined();
  });
});

describe('retention curve', () => {
  it('averages each month over the cohorts that reached it, weighted by cohort size', () => {
    const report: RetentionReport = {
      asOf: '2026-04-15',
      customers: 13,
      repurchaseRate: 0.5,
      byTier: [],
      cohorts: [
        { month: '2026-01', customers: 3, repeated: 2, retention: [0.3333, 0.3333, 0.6667] },
        { month: '2026-02', customers: 10, repeated: 5, retention: [0.5, 0.2] },
        { month: '2026-03', customers: 0, repeated: 0, retention: [0] },
      ],
    };
    expect(retentionCurve(report)).toEqual([
      { month: 1, share: 0.4615, customers: 13, cohorts: 2 },
      { month: 2, share: 0.2308, customers: 13, cohorts: 2 },
      { month: 3, share: 0.6667, customers: 3, cohorts: 1 },
    ]);
    expect(retentionCurve({ ...report, cohorts: [] })).toEqual([]);
  });

  it('matches the cohort report it is drawn from', () => {
    const h = (id: string, dates: string[]): History => ({ id, days: dates.map(day), amounts: dates.map(() => 10) });
    const report = cohortRetention(
      [h('a', ['2026-01-05', '2026-02-10']), h('b', ['2026-01-20']), h('c', ['2026-02-14', '2026-03-15']), h('d', ['2026-02-20'])],
      day('2026-03-20'),
    );
    // Month 1: a of 2 (Jan) and c of 2 (Feb) = 2 of 4; month 2: nobody of Jan's 2.
    expect(retentionCurve(report).map((p) => p.share)).toEqual([0.5, 0]);
  });
});
