import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { REPO_ROOT } from '#infra/aws/kefu-function.ts';
import { readSynthIndex, type SynthIndex, synthesizeKefu } from '#infra/aws/synth.ts';
import { until } from '../support/until.ts';

/** A CloudFormation template as JSON (for aws-cdk-lib/assertions' Template.fromJSON). */
export type TemplateJson = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> } & Record<string, unknown>;

export interface Synthesized extends SynthIndex {
  template: TemplateJson;
}

const ROOT = join(tmpdir(), 'kefu-synth');
const STALE_MS = 6 * 60 * 60 * 1000;
/** A watch-mode run's earlier assemblies (older inputs) go once no worker can still be reading them. */
const SAME_RUN_STALE_MS = 10 * 60 * 1000;
const SYNTH_INPUTS = ['infra', 'functions', 'shared', 'web/dist', 'cdk.json', 'package.json', 'package-lock.json', 'tsconfig.json'];

let cached: Promise<Synthesized> | undefined;

/**
 * The Kefu app synthesized with bundled Lambda code, once per test run: the first test file to ask
 * synthesizes into a temp folder keyed by the vitest process, the others (other workers) wait for
 * it and read the same cloud assembly, so bundles are built once however many files need them.
 */
export function synthesized(): Promise<Synthesized> {
  cached ??= load();
  return cached;
}

async function load(): Promise<Synthesized> {
  const runKey = isMainThread ? process.ppid : process.pid;
  const dir = join(ROOT, `run-${runKey}-${fingerprint()}`);
  const outdir = join(dir, 'out');
  const done = join(dir, 'done');
  const failed = join(dir, 'failed');
  mkdirSync(ROOT, { recursive: true });
  if (claim(dir)) {
    removeStale(dir);
    try {
      synthesizeKefu({ outdir, stage: 'test', bundle: true });
      writeFileSync(done, String(Date.now()));
    } catch (error) {
      writeFileSync(failed, error instanceof Error ? (error.stack ?? error.message) : String(error));
      throw error;
    }
  } else {
    const outcome = await until(() => (existsSync(failed) ? 'failed' : existsSync(done) && 'done'), {
      timeoutMs: 1_200_000,
      everyMs: 100,
      what: `the synthesis in ${dir}`,
    });
    if (outcome === 'failed') throw new Error(`synthesis failed in another test worker:\n${readFileSync(failed, 'utf8')}`);
  }
  const index = readSynthIndex(outdir);
  const template = JSON.parse(readFileSync(index.templateFile, 'utf8')) as TemplateJson;
  return { ...index, template };
}

/** Changes whenever an input of the synthesis changes, so a watch-mode rerun does not reuse a stale assembly. */
function fingerprint(): string {
  const hash = createHash('sha1');
  const visit = (path: string): void => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) if (name !== 'node_modules') visit(join(path, name));
    } else hash.update(`${relative(REPO_ROOT, path)}:${stat.size}:${stat.mtimeMs}\n`);
  };
  for (const input of SYNTH_INPUTS) visit(join(REPO_ROOT, input));
  return hash.digest('hex').slice(0, 12);
}

/** Atomically takes the synthesis job for this run (mkdir fails when another worker already has it). */
function claim(dir: string): boolean {
  try {
    mkdirSync(dir);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Removes assemblies of finished runs (vitest process gone), very old ones, and superseded ones of this run. */
function removeStale(current: string): void {
  for (const name of readdirSync(ROOT)) {
    const dir = join(ROOT, name);
    if (dir === current) continue;
    const pid = Number(/^run-(\d+)-/.exec(name)?.[1]);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      alive = false;
    }
    const age = Date.now() - statSync(dir).mtimeMs;
    const sameRun = name.startsWith(`${basename(current).replace(/-[^-]+$/, '')}-`);
    if (!alive || age > STALE_MS || (sameRun && age > SAME_RUN_STALE_MS)) rmSync(dir, { recursive: true, force: true });
  }
}
