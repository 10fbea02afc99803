import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE } from '#infra/aws/bundle.ts';
import { type InvokeBundleOutcome, invokeBundle, localEnvironment, type Sink, startSink } from '#infra/aws/invoke-bundle.ts';
import { REPO_ROOT } from '#infra/aws/kefu-function.ts';
import { createTable, type LocalDynamo, startDynamo } from '#infra/local/dynamo.ts';
import { type FunctionDef, functions } from '#infra/manifest.ts';
import { synthesized } from '../infra/synthesized.ts';
import { type SampleInvocation, sampleInvocations } from '../support/events.ts';

/** Two cores on these machines: run two Lambda processes at a time. */
const PARALLEL = 2;

interface Probe {
  samples: SampleInvocation[];
  outcome: InvokeBundleOutcome;
}

const probes = new Map<string, Probe>();
let dynamo: LocalDynamo | undefined;
let sink: Sink | undefined;

beforeAll(async () => {
  const [synth, db, stub] = await Promise.all([synthesized(), startDynamo(), startSink()]);
  dynamo = db;
  sink = stub;
  await createTable(db.endpoint);
  const queue = [...functions];
  const worker = async (): Promise<void> => {
    for (let fn = queue.shift(); fn; fn = queue.shift()) {
      const artifact = synth.functions[fn.name];
      if (!artifact?.assetDir) throw new Error(`${fn.name}: no bundled asset in ${synth.outdir}`);
      const samples = sampleInvocations(fn);
      const outcome = await invokeBundle({
        bundleDir: artifact.assetDir,
        functionName: `${synth.stackName}-${fn.name}`,
        memoryMb: artifact.memoryMb,
        timeoutMs: artifact.timeoutSeconds * 1000,
        events: samples.map((s) => s.event),
        env: localEnvironment(artifact.environment, { dynamo: db.endpoint, fallback: stub.url }),
      });
      probes.set(fn.name, { samples, outcome });
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}, 1_200_000);

afterAll(async () => {
  await Promise.all([dynamo?.stop(), sink?.stop()]);
});

function describeFailure(fn: FunctionDef, probe: Probe): string {
  const { outcome } = probe;
  return [
    `${fn.name} (${fn.entry})`,
    outcome.loadError ? `load: ${outcome.loadError.stack ?? outcome.loadError.message}` : '',
    ...outcome.invocations.map((inv, i) => `${probe.samples[i]?.label}: ${JSON.stringify(inv.ok ? inv.value : inv.error)}`),
    `stdout: ${outcome.stdout.slice(-1500)}`,
    `stderr: ${outcome.stderr.slice(-1500)}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** What API Gateway accepts from a proxy integration: a status code, string headers, a string body. */
function expectProxyResponse(value: unknown, label: string): number {
  expect(value, label).toBeTypeOf('object');
  const response = value as { statusCode?: unknown; headers?: unknown; body?: unknown };
  expect(Number.isInteger(response.statusCode), `${label}: integer statusCode`).toBe(true);
  const status = response.statusCode as number;
  expect(status, label).toBeGreaterThanOrEqual(100);
  expect(status, `${label}: must not fail with ${status}`).toBeLessThan(500);
  if (response.headers !== undefined) {
    for (const [name, header] of Object.entries(response.headers as Record<string, unknown>)) {
      expect(['string', 'number', 'boolean'], `${label}: header ${name}`).toContain(typeof header);
    }
  }
  if (response.body !== undefined) expect(response.body, `${label}: body`).toBeTypeOf('string');
  return status;
}

/** Module specifiers in esbuild's output: `import …from"x"`, `import"x"`, `import("x")` (not `Buffer.from("x")`). */
const SPECIFIER = /(?<![\w$.])(?:from\s*|import\s*\(?\s*)["']([^"']+)["']/g;

/**
 * The code files of a deployed folder that index.mjs reaches through its relative imports, static
 * or `import()`, with every relative specifier that does not name a chunk file in the folder. Lambda
 * gets only the folder, so a bundle split into chunks (esbuild `splitting`) must hold them all.
 */
function reachedFiles(dir: string): { reached: Set<string>; unresolved: string[] } {
  const reached = new Set<string>([BUNDLE.outFile]);
  const unresolved: string[] = [];
  const stack: string[] = [BUNDLE.outFile];
  for (let file = stack.pop(); file !== undefined; file = stack.pop()) {
    for (const [, specifier] of readFileSync(join(dir, file), 'utf8').matchAll(SPECIFIER)) {
      if (!specifier!.startsWith('.') && !specifier!.startsWith('/')) continue;
      const target = /^\.\/(chunk-[A-Z0-9]+\.mjs)$/.exec(specifier!)?.[1];
      if (!target || !existsSync(join(dir, target))) unresolved.push(`${file}: ${specifier}`);
      else if (!reached.has(target)) {
        reached.add(target);
        stack.push(target);
      }
    }
  }
  return { reached, unresolved };
}

describe('synthesized Lambda bundles in a fresh Node 24 process', () => {
  it.each(functions.map((fn) => [fn.name] as const))(
    '%s: its folder is self-contained: every code file is reached from index.mjs, imports nothing outside it, has the require shim and its source map',
    async (name) => {
      const { assetDir } = (await synthesized()).functions[name]!;
      const code = readdirSync(assetDir!).filter((f) => f.endsWith('.mjs'));
      const { reached, unresolved } = reachedFiles(assetDir!);
      expect(unresolved, `imports that do not resolve inside ${assetDir}`).toEqual([]);
      expect(code.sort(), 'code files index.mjs never imports').toEqual([...reached].sort());
      for (const file of code) {
        const text = readFileSync(join(assetDir!, file), 'utf8');
        expect(text.startsWith(BUNDLE.banner), `${file} starts with the require shim`).toBe(true);
        expect(text.trimEnd().endsWith(`//# sourceMappingURL=${file}.map`), `${file} names its own source map`).toBe(true);
        expect(existsSync(join(assetDir!, `${file}.map`)), `${file}.map`).toBe(true);
      }
    },
  );

  it.each(functions.filter((fn) => fn.assets?.length).map((fn) => [fn.name, fn] as const))(
    '%s: its data files sit next to index.mjs, identical to the source',
    async (name, fn) => {
      const { assetDir } = (await synthesized()).functions[name]!;
      for (const asset of fn.assets ?? []) {
        const copied = join(assetDir!, asset.to);
        expect(existsSync(copied), `${asset.to} in ${assetDir}`).toBe(true);
        expect(readFileSync(copied).equals(readFileSync(join(REPO_ROOT, asset.from))), asset.to).toBe(true);
      }
    },
  );

  it.each(functions.map((fn) => [fn.name, fn] as const))('%s loads and answers a credential-less sample event', (name, fn) => {
    const probe = probes.get(name);
    expect(probe, `${name} was not invoked`).toBeDefined();
    const { samples, outcome } = probe!;
    const why = describeFailure(fn, probe!);
    expect(outcome.loadError, why).toBeUndefined();
    expect(outcome.exitCode, why).toBe(0);
    expect(outcome.invocations, why).toHaveLength(samples.length);
    samples.forEach((sample, i) => {
      const invocation = outcome.invocations[i]!;
      expect(invocation.ok, `${sample.label} threw\n${why}`).toBe(true);
      switch (sample.trigger) {
        case 'http': {
          const status = expectProxyResponse(invocation.value, `${sample.label}\n${why}`);
          if (sample.auth === 'staff' || sample.auth === 'visitor' || sample.auth === 'shop') {
            expect(status, `${sample.label} (${sample.auth}) without credentials\n${why}`).toBe(401);
          }
          break;
        }
        case 'ws': {
          const status = expectProxyResponse(invocation.value, `${sample.label}\n${why}`);
          if (sample.label === 'ws $connect') expect(status, `$connect without a token\n${why}`).toBe(401);
          break;
        }
        case 'queue':
          expect(invocation.value, `${sample.label}\n${why}`).toEqual({ batchItemFailures: [] });
          break;
        case 'schedule':
          break;
      }
    });
  });
});
