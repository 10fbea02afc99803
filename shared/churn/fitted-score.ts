/**
 * One contact's churn score under a fitted model (pure): the model's risk from their RFM as of
 * now, plus the same service-signal log-odds the hand-set score adds (the fitted models learn from
 * orders only; the signals stay priors), with the reasons of both in zh and en.
 */
import { type ServiceSignals, SIGNAL_WEIGHTS } from '#shared/ai/churn.ts';
import { reasonOf } from './features.ts';
import { historiesFromOrders, rfmAt } from './history.ts';
import { type FittedSpec, scoreFitted } from './model.ts';
import { sigmoid } from './numeric.ts';
import { type ChurnSettings, type ContactChurnScore, type ContactOrder, levelOf } from './score.ts';

const SIGNAL_CODES: Record<keyof ServiceSignals, string> = {
  slaBreaches: 'sla_breaches',
  lowCsat: 'low_csat',
  repeatContacts: 'repeat_contacts',
  openComplaints: 'open_complaints',
  botLoops: 'bot_loops',
};

/** Scores a contact with a fitted model; undefined when they have no counted order. */
export function scoreContactFitted(
  spec: FittedSpec,
  orders: readonly ContactOrder[],
  asOf: Date,
  signals: ServiceSignals,
  settings: Pick<ChurnSettings, 'mediumAt' | 'highAt'>,
): ContactChurnScore | undefined {
  const h = historiesFromOrders(orders.map((o) => ({ customerId: '', date: o.placedAt, amount: o.amount })))[0];
  if (!h) return undefined;
  const day = Math.floor(asOf.getTime() / 86_400_000);
  const c = rfmAt(h, Math.max(day, h.days[h.days.length - 1] as number));
  if (!c) return undefined;
  const base = scoreFitted(spec, c);
  let z = base.logOdds;
  const weighted = base.reasons.filter((r) => r.code !== 'active_regular').map((r, i) => ({ r, w: 1 - i * 0.01 }));
  for (const key of Object.keys(SIGNAL_WEIGHTS) as (keyof ServiceSignals)[]) {
    const n = Math.max(0, Math.floor(signals[key] ?? 0));
    if (n === 0) continue;
    const add = SIGNAL_WEIGHTS[key].perUnit * Math.min(n, SIGNAL_WEIGHTS[key].cap);
    z += add;
    weighted.push({ r: reasonOf(SIGNAL_CODES[key], n), w: add });
  }
  weighted.sort((a, b) => b.w - a.w);
  const reasons = weighted.slice(0, 4).map((x) => x.r);
  const risk = Math.round(sigmoid(z) * 1e4) / 1e4;
  return {
    risk,
    level: levelOf(risk, settings),
    reasons: reasons.length ? reasons : [reasonOf('active_regular')],
    features: { purchases: c.x + 1, daysSinceLast: c.recency, daysSinceFirst: c.T, avgOrderValue: Math.round(c.aov * 100) / 100 },
  };
}
