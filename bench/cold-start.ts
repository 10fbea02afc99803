/**
 * Cold-start benchmark of the synthesized Lambda bundles. For each manifest function: the size of
 * its code (index.mjs and its chunks, raw and gzip) and two cold-start proxies of a fresh Node 24
 * process started on the deployed folder, importing index.mjs as Lambda does: the wall time to
 * import and answer one sample event against a local DynamoDB, and the CPU time (user + system)
 * spent up to the end of the import, which other work on the machine disturbs far less. Printed next
 * to a reference bundle measured in the same run (bench/reference/get-item.ts: one GetItem with the
 * plain SDK, bundled with KefuFunction's own esbuild options). Median of BENCH_RUNS (≥ 5) runs,
 * interleaved so that machine noise hits every bundle alike.
 *
 *   node bench/cold-start.ts
 *   BENCH_FUNCTIONS=chat BENCH_RUNS=9 npm run bench -- cold-start   (only the chat path, or a comma-separated list of names)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { esbuildOptions } from '#infra/aws/bundle.ts';
import { invokeBundle, localEnvironment, startSink } from '#infra/aws/invoke-bundle.ts';
import { REPO_ROOT } from '#infra/aws/kefu-function.ts';
import { synthesizeKefu } from '#infra/aws/synth.ts';
import { createTable, startDynamo } from '#infra/local/dynamo.ts';
import { functions, table } from '#infra/manifest.ts';
import { sampleInvocations } from '../test/support/events.ts';
import { CHAT_MAX_RATIO, CHAT_PATH } from './chat-path.ts';

/** Flag a bundle whose cold start (wall or CPU time) exceeds the reference by more than this factor (chat path: CHAT_MAX_RATIO)… */
export const MAX_RATIO = 1.3;
/** …or whose code (index.mjs and its chunks) is larger than this. */
export const MAX_BUNDLE_KB = 500;

export interface ColdStartRow {
  name: string;
  /** The .mjs files in the function's folder: index.mjs and every chunk it may import. */
  files: number;
  bundleKb: number;
  gzipKb: number;
  /** Median wall time of a fresh process: start, import, one event, exit. */
  coldMs: number;
  /** Median time of the bundle's import alone. */
  initMs: number;
  /** Median time of the handler answering the sample event. */
  eventMs: number;
  /** Median CPU time (user + system) of the fresh process from its start to the end of the import. */
  cpuMs: number;
  /** coldMs over the reference's. */
  ratio: number;
  /** cpuMs over the reference's. */
  cpuRatio: number;
  flags: string[];
}

export interface ColdStartResult {
  runs: number;
  reference: ColdStartRow;
  functions: ColdStartRow[];
  flagged: ColdStartRow[];
}

interface Target {
  name: string;
  dir: string;
  event: unknown;
  env: Record<string, string>;
  memoryMb: number;
  timeoutMs: number;
  walls: number[];
  inits: number[];
  events: number[];
  cpus: number[];
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Measures every Lambda bundle's size and cold start against the reference bundle, prints and returns the table. */
export async function runColdStartBench(opts: { runs?: number; only?: string[]; log?: (line: string) => void } = {}): Promise<ColdStartResult> {
  const runs = Math.max(5, opts.runs ?? Number(process.env.BENCH_RUNS ?? 5));
  const only = (opts.only ?? process.env.BENCH_FUNCTIONS?.split(',').filter(Boolean))?.flatMap((n) => (n === 'chat' ? [...CHAT_PATH] : [n.trim()]));
  const unknown = only?.filter((n) => !functions.some((fn) => fn.name === n)) ?? [];
  if (unknown.length) throw new Error(`cold-start: no function named ${unknown.join(', ')}`);
  const log = opts.log ?? ((line: string) => console.log(line));
  const work = mkdtempSync(join(tmpdir(), 'kefu-cold-start-'));
  const [dynamo, sink] = await Promise.all([startDynamo(), startSink()]);
  try {
    await createTable(dynamo.endpoint);
    log(`cold-start: synthesizing the stack into ${work} …`);
    const { index } = synthesizeKefu({ outdir: join(work, 'cdk.out'), stage: 'bench', bundle: true });
    const referenceDir = join(work, 'reference');
    await build(esbuildOptions(join(REPO_ROOT, 'bench/reference/get-item.ts'), referenceDir));

    const endpoints = { dynamo: dynamo.endpoint, fallback: sink.url };
    const reference: Target = {
      name: 'reference (GetItem)',
      dir: referenceDir,
      event: {},
      env: { ...localEnvironment({ TABLE_NAME: table.name }, endpoints), NODE_OPTIONS: '--enable-source-maps' },
      memoryMb: 512,
      timeoutMs: 10_000,
      walls: [],
      inits: [],
      events: [],
      cpus: [],
    };
    const targets: Target[] = functions
      .filter((fn) => !only || only.includes(fn.name))
      .map((fn) => {
        const artifact = index.functions[fn.name];
        if (!artifact?.assetDir) throw new Error(`${fn.name}: no bundled asset`);
        const [sample] = sampleInvocations(fn);
        return {
          name: fn.name,
          dir: artifact.assetDir,
          event: sample?.event ?? {},
          env: localEnvironment(artifact.environment, endpoints),
          memoryMb: artifact.memoryMb,
          timeoutMs: artifact.timeoutSeconds * 1000,
          walls: [],
          inits: [],
          events: [],
          cpus: [],
        };
      });

    log(`cold-start: ${runs} runs × ${targets.length + 1} bundles …`);
    for (let run = 0; run < runs; run++) {
      for (const target of [reference, ...targets]) {
        const outcome = await invokeBundle({
          bundleDir: target.dir,
          functionName: target.name,
          memoryMb: target.memoryMb,
          timeoutMs: target.timeoutMs,
          events: [target.event],
          env: target.env,
        });
        const failure = outcome.loadError?.message ?? (outcome.invocations[0]?.ok ? undefined : outcome.invocations[0]?.error?.message);
        if (failure) throw new Error(`${target.name}: ${failure}\n${outcome.stderr.slice(-1000)}`);
        target.walls.push(outcome.wallMs);
        target.inits.push(outcome.importMs);
        target.events.push(outcome.invocations[0]?.ms ?? Number.NaN);
        target.cpus.push(outcome.importCpuMs);
      }
    }

    const referenceMs = median(reference.walls);
    const referenceCpuMs = median(reference.cpus);
    const row = (target: Target): ColdStartRow => {
      const files = readdirSync(target.dir).filter((f) => f.endsWith('.mjs'));
      const code = Buffer.concat(files.map((f) => readFileSync(join(target.dir, f))));
      const coldMs = median(target.walls);
      const cpuMs = median(target.cpus);
      const bundleKb = code.length / 1024;
      const ratio = coldMs / referenceMs;
      const cpuRatio = cpuMs / referenceCpuMs;
      const chat = (CHAT_PATH as readonly string[]).includes(target.name);
      const limit = chat ? CHAT_MAX_RATIO : MAX_RATIO;
      const over = (value: number, what: string) => (value > limit ? [`${what} > ${limit}×${chat ? ' (chat path)' : ''}`] : []);
      const flags = [...over(ratio, 'wall'), ...over(cpuRatio, 'cpu'), ...(bundleKb > MAX_BUNDLE_KB ? [`> ${MAX_BUNDLE_KB} KB`] : [])];
      return {
        name: target.name,
        files: files.length,
        bundleKb,
        gzipKb: gzipSync(code).length / 1024,
        coldMs,
        initMs: median(target.inits),
        eventMs: median(target.events),
        cpuMs,
        ratio,
        cpuRatio,
        flags,
      };
    };
    const result: ColdStartResult = { runs, reference: row(reference), functions: targets.map(row), flagged: [] };
    result.flagged = result.functions.filter((r) => r.flags.length > 0);
    for (const line of formatTable(result)) log(line);
    return result;
  } finally {
    await Promise.all([dynamo.stop(), sink.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
}

/** The printed table: one row per bundle, reference first. */
export function formatTable(result: ColdStartResult): string[] {
  const header = ['function', 'files', 'code KB', 'gzip KB', 'cold ms', 'init ms', 'event ms', 'ratio', 'cpu ms', 'cpu ratio', 'flags'];
  const rows = [result.reference, ...result.functions].map((r) => [
    r.name,
    String(r.files),
    r.bundleKb.toFixed(1),
    r.gzipKb.toFixed(1),
    r.coldMs.toFixed(0),
    r.initMs.toFixed(0),
    r.eventMs.toFixed(0),
    `${r.ratio.toFixed(2)}×`,
    r.cpuMs.toFixed(0),
    `${r.cpuRatio.toFixed(2)}×`,
    r.flags.join(', '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    `Cold start (median of ${result.runs}; cold = wall time of a fresh Node ${process.versions.node.split('.')[0]} process: import + one event; init = import only; event = the handler's answer; cpu = the process's CPU time up to the end of the import; ratios against the reference)`,
    format(header),
    format(widths.map((w) => '-'.repeat(w))),
    ...rows.map(format),
    result.flagged.length
      ? `flagged (> ${MAX_RATIO}× the reference, > ${CHAT_MAX_RATIO}× on the chat path, or > ${MAX_BUNDLE_KB} KB): ${result.flagged.map((r) => r.name).join(', ')}`
      : `no bundle over ${MAX_RATIO}× the reference (${CHAT_MAX_RATIO}× on the chat path) or ${MAX_BUNDLE_KB} KB`,
  ];
}

if (import.meta.main) {
  await runColdStartBench();
}
