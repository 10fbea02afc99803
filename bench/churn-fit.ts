/**
 * `npm run bench -- churn-fit`: fitting and scoring the self-calibrating churn model for 100,000
 * synthetic customers (BG/NBD-like purchase processes over 18 months), next to the hand-set score
 * over the same customers, measured in the same run. Pure computation: what the daily refit does
 * after reading the day's history chunks.
 */

import { mulberry32 } from '#shared/ai/softmax.ts';
import { calibrate } from '../shared/churn/calibrate.ts';
import { cohortRetention } from '../shared/churn/cohorts.ts';
import type { History } from '../shared/churn/history.ts';
import { scoreHistories } from '../shared/churn/model.ts';

const rng = mulberry32;

/** Customers joining over the first year, buying at a personal rate until they drop out. */
export function syntheticShop(n: number, days = 540, seed = 1, base = 20_000): History[] {
  const rand = rng(seed);
  const out: History[] = [];
  for (let i = 0; i < n; i++) {
    const start = base + Math.floor(rand() * 365);
    const rate = 0.002 + 0.03 * rand() * rand();
    const drop = 0.1 + 0.5 * rand();
    const spend = 20 + 200 * rand();
    const d = [start];
    let t = start;
    for (;;) {
      t += Math.max(1, Math.ceil(-Math.log(1 - rand()) / rate));
      if (t > base + days) break;
      d.push(t);
      if (rand() < drop) break;
    }
    out.push({ id: `c${String(i).padStart(6, '0')}`, days: d, amounts: d.map(() => Math.round(spend * (0.5 + rand()) * 100) / 100) });
  }
  return out;
}

const time = <T>(f: () => T): [T, number] => {
  const t0 = performance.now();
  const v = f();
  return [v, performance.now() - t0];
};

export async function runChurnFitBench(): Promise<void> {
  const N = 100_000;
  const shop = syntheticShop(N);
  const asOf = 20_000 + 540;
  const [handset, handsetMs] = time(() => scoreHistories({ kind: 'handset' }, shop, asOf));
  const [{ card }, fitMs] = time(() => calibrate(shop, asOf));
  const [scored, scoreMs] = time(() => scoreHistories(card.spec, shop, asOf));
  const [, cohortMs] = time(() => cohortRetention(shop, asOf));
  const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`customers: ${N.toLocaleString('en')} (${card.repeaters.toLocaleString('en')} with 2+ purchase days), horizon ${card.horizonDays} days`);
  console.log('candidate backtest AUC / fit ms:', card.candidates.map((c) => `${c.kind} ${c.auc} / ${c.fitMs}`).join(', '));
  console.log(`chosen: ${card.active} (backtest AUC ${card.backtest?.auc})`);
  console.log(`calibrate (fit + backtest every candidate, refit chosen): ${fmt(fitMs)}`);
  console.log(`score with the chosen model (risk + reasons): ${fmt(scoreMs)} for ${scored.length.toLocaleString('en')} customers`);
  console.log(`cohort retention report: ${fmt(cohortMs)}`);
  console.log(`baseline — hand-set score over the same customers: ${fmt(handsetMs)} for ${handset.length.toLocaleString('en')} customers`);
}
