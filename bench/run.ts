/**
 * `npm run bench [-- name ...]`: runs the benchmarks (all by default). Each prints its figures
 * next to a baseline measured in the same run; nothing here is a pass/fail test.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Function logs would bury the figures; benchmarks print their own results.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

const BENCHES: Record<string, { file: string; run: string; what: string }> = {
  'cold-start': { file: './cold-start.ts', run: 'runColdStartBench', what: 'Lambda bundle sizes and cold-start proxy vs a bare GetItem bundle' },
  chat: { file: './chat-load.ts', run: 'runChatLoadBench', what: 'chat messages/s and delivery latency vs a WebSocket ping round trip' },
  'sla-timers': { file: './sla-timers.ts', run: 'runSlaTimerBench', what: 'SLA deadline → breach handled lag vs setTimeout; DynamoDB cost per routed ticket' },
  'shop-events': {
    file: './shop-events.ts',
    run: 'runShopEventsBench',
    what: 'signed shop events/s through SQS into DynamoDB vs one PutItem per event; capacity per event',
  },
  campaigns: {
    file: './campaign-fanout.ts',
    run: 'runCampaignFanoutBench',
    what: 'campaign fan-out members/s and DynamoDB reads per targeted member: indexed 1% segment vs a full-table label segment',
  },
  synth: {
    file: './synth.ts',
    run: 'runSynthBench',
    what: '`cdk synth` of the whole app (one esbuild pass for every function) vs the same app with one function',
  },
  'churn-fit': {
    file: './churn-fit.ts',
    run: 'runChurnFitBench',
    what: 'churn model calibration (fit, backtest, select) and scoring for 100,000 synthetic customers vs the hand-set score over the same customers',
  },
  coupons: {
    file: './coupon-claims.ts',
    run: 'runCouponClaimsBench',
    what: 'coupon codes claimed/s by 50 concurrent claimants (never one code twice) vs plain PutItems at the same concurrency',
  },
  inspection: {
    file: './inspection.ts',
    run: 'runInspectionBench',
    what: 'automatic quality inspection (质检) per agent reply: the reply path with and without its mark, the off-path sweep, the pure checks',
  },
  cost: {
    file: './cost.ts',
    run: 'runCostBench',
    what: '$ per 1,000 chat conversations (DynamoDB capacity with GSI writes, SQS, Lambda, WebSocket, logs) vs the same messages as plain PutItems',
  },
  quality: {
    file: './quality-dashboard.ts',
    run: 'runQualityDashboardBench',
    what: '30-day quality summary: pre-aggregated day counters vs raw conversations (RCU, items, latency)',
  },
};

const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log('usage: npm run bench [-- <name> ...]\n');
  for (const [name, b] of Object.entries(BENCHES)) console.log(`  ${name.padEnd(12)} ${b.what}`);
  process.exit(0);
}
const unknown = args.filter((a) => !(a in BENCHES));
if (unknown.length) {
  console.error(`unknown benchmark: ${unknown.join(', ')} (try --help)`);
  process.exit(2);
}
const names = args.length ? args : Object.keys(BENCHES);
if (names.length === 1) {
  const name = names[0] as string;
  const bench = BENCHES[name]!;
  console.log(`\n=== ${name}: ${bench.what}`);
  const mod = (await import(bench.file)) as Record<string, () => Promise<unknown>>;
  await mod[bench.run]!();
} else {
  // Each benchmark in a process of its own: the handlers' SDK clients and caches live at module
  // level, so a second benchmark in the same process would talk to the first one's (stopped)
  // stack and report figures of nothing (sla-timers once printed "handled 0, missed 60").
  let failed = 0;
  for (const name of names) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), name], { stdio: 'inherit', env: process.env });
    if (child.status !== 0) {
      failed++;
      console.error(`benchmark ${name} failed (exit ${child.status ?? child.signal})`);
    }
  }
  if (failed) process.exit(1);
}
