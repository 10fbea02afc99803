/**
 * Synth benchmark: the wall time of what `npx cdk synth` does (build the app with every manifest
 * function bundled, run cdk-nag, write the cloud assembly), each run a fresh Node process, next to
 * a baseline measured in the same run: the same app with one function (`health`). The difference
 * is what bundling and declaring the other functions costs. Runs alternate so machine noise hits
 * both alike; the median of BENCH_RUNS (default 3) is printed.
 *
 *   npm run bench -- synth
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { functions } from '#infra/manifest.ts';

const CHILD = '--synth-child';

/** In a child process: synthesizes the whole app (`all`) or the one-function baseline (`one`). */
async function child(kind: string, outdir: string): Promise<void> {
  const { createKefuApp } = await import('#infra/aws/create-app.ts');
  const only = functions.filter((f) => f.name === 'health');
  const { app } = createKefuApp({ outdir, stage: 'bench', ...(kind === 'one' ? { stack: { functions: only } } : {}) });
  app.synth();
}

function timeChild(kind: 'all' | 'one'): number {
  const outdir = mkdtempSync(join(tmpdir(), `kefu-synth-bench-${kind}-`));
  try {
    const started = performance.now();
    const run = spawnSync(process.execPath, [import.meta.filename, CHILD, kind, outdir], { stdio: ['ignore', 'ignore', 'inherit'] });
    const ms = performance.now() - started;
    if (run.status !== 0) throw new Error(`synth (${kind}) exited with ${run.status}`);
    return ms;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Times full synths against one-function synths and prints both with their ratio. */
export async function runSynthBench(): Promise<{ allMs: number; oneMs: number }> {
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
  const all: number[] = [];
  const one: number[] = [];
  for (let i = 0; i < runs; i++) {
    one.push(timeChild('one'));
    all.push(timeChild('all'));
  }
  const allMs = median(all);
  const oneMs = median(one);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`runs: ${runs} (median; each a fresh process: app, bundles, cdk-nag, cloud assembly)`);
  console.log(`baseline  app with 1 function (health)      ${s(oneMs)}   [${one.map(s).join(', ')}]`);
  console.log(`kefu      app with all ${functions.length} functions        ${s(allMs)}   [${all.map(s).join(', ')}]   ${(allMs / oneMs).toFixed(2)}× baseline`);
  return { allMs, oneMs };
}

if (process.argv[2] === CHILD) await child(process.argv[3] ?? 'all', process.argv[4] ?? 'cdk.out');
