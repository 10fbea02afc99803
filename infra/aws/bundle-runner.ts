/**
 * Child process that stands in for the Lambda Node.js runtime: imports one bundle's index.mjs,
 * invokes `handler` with each event in turn and writes timings and results to a JSON file (stdout
 * belongs to the function's logs). Only node: builtins here, so the measured start-up is the bundle's.
 *
 *   node infra/aws/bundle-runner.ts <bundleDir> <requestFile> <resultFile>
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface RunRequest {
  functionName: string;
  memoryMb: number;
  timeoutMs: number;
  events: unknown[];
}

export interface RunInvocation {
  ok: boolean;
  ms: number;
  value?: unknown;
  error?: { name: string; message: string; stack?: string };
}

export interface RunResult {
  importMs: number;
  /** CPU time (user + system) of this process from its start to the end of the import: Node's own start-up plus the bundle's load. */
  importCpuMs: number;
  invocations: RunInvocation[];
  loadError?: { name: string; message: string; stack?: string };
}

type Handler = (event: unknown, context: unknown) => unknown;

const [bundleDir, requestFile, resultFile] = process.argv.slice(2);
if (!bundleDir || !requestFile || !resultFile) {
  process.stderr.write('usage: bundle-runner.ts <bundleDir> <requestFile> <resultFile>\n');
  process.exit(2);
}

const request = JSON.parse(readFileSync(requestFile, 'utf8')) as RunRequest;
const result: RunResult = { importMs: 0, importCpuMs: 0, invocations: [] };
const started = performance.now();
let handler: Handler | undefined;
try {
  const mod = (await import(pathToFileURL(join(bundleDir, 'index.mjs')).href)) as { handler?: Handler };
  if (typeof mod.handler !== 'function') throw new TypeError('index.mjs does not export a function named handler');
  handler = mod.handler;
} catch (error) {
  result.loadError = serialize(error);
}
result.importMs = performance.now() - started;
const cpu = process.cpuUsage();
result.importCpuMs = (cpu.user + cpu.system) / 1000;

for (const event of handler ? request.events : []) {
  const t0 = performance.now();
  const deadline = Date.now() + request.timeoutMs;
  const context = {
    functionName: request.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${request.functionName}`,
    memoryLimitInMB: String(request.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${request.functionName}`,
    logStreamName: 'bundle-runner',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  try {
    const value = await Promise.race([
      Promise.resolve(handler?.(event, context)),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${request.timeoutMs} ms`)), request.timeoutMs).unref()),
    ]);
    result.invocations.push({ ok: true, ms: performance.now() - t0, value: value === undefined ? null : JSON.parse(JSON.stringify(value)) });
  } catch (error) {
    result.invocations.push({ ok: false, ms: performance.now() - t0, error: serialize(error) });
  }
}

writeFileSync(resultFile, JSON.stringify(result));
process.exit(0);

function serialize(error: unknown): { name: string; message: string; stack?: string } {
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
}
