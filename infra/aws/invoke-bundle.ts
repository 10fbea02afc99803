import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_ATTACHMENTS_BUCKET } from '#infra/local/lambda.ts';
import { queues, queueUrlEnv, SETTINGS_SECRET_ENV, table } from '#infra/manifest.ts';
import type { RunResult } from './bundle-runner.ts';
import { REPO_ROOT } from './kefu-function.ts';

const RUNNER = fileURLToPath(new URL('./bundle-runner.ts', import.meta.url));

export interface InvokeBundleOptions {
  /** Folder holding index.mjs and its chunks (a synthesized Lambda asset); the runner imports index.mjs from it, as Lambda does. */
  bundleDir: string;
  functionName: string;
  memoryMb: number;
  timeoutMs: number;
  events: unknown[];
  /** The function's environment (besides the Lambda runtime's own variables set here). */
  env: Record<string, string>;
  /** Kill the process after this long (default: timeoutMs × events + 10 s). */
  killAfterMs?: number;
}

export interface InvokeBundleOutcome extends RunResult {
  /** Wall time from spawn to exit of the fresh process: the cold-start proxy. */
  wallMs: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface LocalEndpoints {
  /** AWS_ENDPOINT_URL_DYNAMODB, e.g. from infra/local/dynamo.ts startDynamo(). */
  dynamo: string;
  /** Where anything else goes (queues, @connections, the staff issuer), e.g. a startSink() URL. */
  fallback?: string;
  /** AWS_ENDPOINT_URL_SECRETS_MANAGER (the settings secret); the fallback when unset. */
  secrets?: string;
}

/** The settings secret's ARN in bundle runs (any Secrets Manager stand-in answers for it). */
export const LOCAL_SETTINGS_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:kefu-local-settings-AbCdEf';

/**
 * Turns a synthesized Lambda environment into one that runs locally: plain strings are kept as
 * synthesized, deploy-time values (table name, queue URLs, endpoints) point at local stand-ins.
 * A variable nobody mapped here is an error, so new bindings cannot slip past the bundle tests.
 */
export function localEnvironment(variables: Record<string, unknown>, endpoints: LocalEndpoints): Record<string, string> {
  const fallback = endpoints.fallback ?? 'http://127.0.0.1:9';
  const local: Record<string, string> = {
    TABLE_NAME: table.name,
    STAFF_ISSUER: `${fallback}/local-issuer`,
    STAFF_AUDIENCE: 'kefu-console',
    WS_PUBLIC_URL: `${fallback.replace(/^http/, 'ws')}/ws`,
    WS_MANAGEMENT_ENDPOINT: fallback,
    ATTACHMENTS_BUCKET: LOCAL_ATTACHMENTS_BUCKET,
    [SETTINGS_SECRET_ENV]: LOCAL_SETTINGS_SECRET_ARN,
  };
  for (const { name } of queues) local[queueUrlEnv(name)] = `${fallback}/000000000000/${name}`;
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamo,
    AWS_ENDPOINT_URL_SQS: fallback,
    AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: fallback,
    AWS_ENDPOINT_URL_S3: fallback,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secrets ?? fallback,
  };
  for (const [name, value] of Object.entries(variables)) {
    if (typeof value === 'string') env[name] = value;
    else if (name in local) env[name] = local[name]!;
    else throw new Error(`no local value for the deploy-time variable ${name}: add it to localEnvironment()`);
  }
  return env;
}

export interface Sink {
  /** http://127.0.0.1:{port} */
  url: string;
  /** Requests received, as `METHOD /path`. */
  requests: string[];
  stop(): Promise<void>;
}

/**
 * A local endpoint that accepts any request with 200 `{}`: a stand-in for SQS, the @connections
 * API and the like, so probes measure the function instead of SDK retries against a closed port.
 */
export async function startSink(): Promise<Sink> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A Node 24 binary: this one when it is 24+, else the project's pinned node_modules/.bin/node. */
export function node24(): string {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 24 ? process.execPath : join(REPO_ROOT, 'node_modules', '.bin', 'node');
}

/**
 * Runs a Lambda bundle the way the Lambda runtime would on a cold start: a fresh Node 24 process,
 * a clean Lambda-like environment (nothing inherited but PATH), one import, then the events in turn.
 */
export async function invokeBundle(opts: InvokeBundleOptions): Promise<InvokeBundleOutcome> {
  const work = mkdtempSync(join(tmpdir(), 'kefu-invoke-'));
  try {
    const requestFile = join(work, 'request.json');
    const resultFile = join(work, 'result.json');
    writeFileSync(requestFile, JSON.stringify({ functionName: opts.functionName, memoryMb: opts.memoryMb, timeoutMs: opts.timeoutMs, events: opts.events }));
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      TZ: 'UTC',
      LANG: 'en_US.UTF-8',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_LAMBDA_FUNCTION_NAME: opts.functionName,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(opts.memoryMb),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      LAMBDA_TASK_ROOT: opts.bundleDir,
      ...opts.env,
    };
    const started = performance.now();
    const child = spawn(node24(), [RUNNER, opts.bundleDir, requestFile, resultFile], {
      cwd: opts.bundleDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const killAfter = opts.killAfterMs ?? opts.timeoutMs * Math.max(1, opts.events.length) + 10_000;
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfter);
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve(code));
    });
    clearTimeout(timer);
    const wallMs = performance.now() - started;
    let result: RunResult;
    try {
      result = JSON.parse(readFileSync(resultFile, 'utf8')) as RunResult;
    } catch {
      result = {
        importMs: Number.NaN,
        importCpuMs: Number.NaN,
        invocations: [],
        loadError: { name: 'RunnerFailed', message: `runner exited with ${exitCode} without a result; stderr: ${stderr.slice(-2000)}` },
      };
    }
    return { ...result, wallMs, exitCode, stdout, stderr };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
