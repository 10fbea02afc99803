import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS, type FunctionDef, type QueueName, queues, queueUrlEnv } from '#infra/manifest.ts';
import { resetConfig } from '#shared/config.ts';

/** Cosmetic account id used in local ARNs and queue URLs. */
export const LOCAL_ACCOUNT_ID = '123456789012';
export const LOCAL_REGION = 'us-east-1';
export const STAFF_AUDIENCE = 'kefu-console';
/** Path of the local S3 emulation on the gateway, and the attachments bucket in it. */
export const LOCAL_S3_PREFIX = '/local-s3';
export const LOCAL_ATTACHMENTS_BUCKET = 'kefu-attachments';

/** Absolute path of the repository root (entries in the manifest are relative to it). */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

export interface LocalEnvironment {
  dynamoEndpoint: string;
  sqsEndpoint: string;
  queueUrls: Record<QueueName, string>;
  /** http://127.0.0.1:{port} of the gateway (HTTP API, WebSocket API and its management API). */
  gatewayUrl: string;
}

/**
 * Sets the environment the functions read (the same variables CDK binds in AWS) and drops the
 * cached configuration. In-process handlers share one environment, so every function sees every
 * binding here: least privilege is an AWS-only guarantee.
 */
export function applyLocalEnvironment(env: LocalEnvironment): void {
  const wsUrl = env.gatewayUrl.replace(/^http/, 'ws');
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: env.dynamoEndpoint,
    AWS_ENDPOINT_URL_SQS: env.sqsEndpoint,
    AWS_ENDPOINT_URL_S3: `${env.gatewayUrl}${LOCAL_S3_PREFIX}`,
    ATTACHMENTS_BUCKET: LOCAL_ATTACHMENTS_BUCKET,
    TABLE_NAME: 'Kefu',
    WS_MANAGEMENT_ENDPOINT: env.gatewayUrl,
    WS_PUBLIC_URL: `${wsUrl}/ws`,
    STAFF_ISSUER: `${env.gatewayUrl}/local-issuer`,
    STAFF_AUDIENCE,
    KEFU_STAGE: 'local',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  for (const { name } of queues) process.env[queueUrlEnv(name)] = env.queueUrls[name];
  resetConfig();
}

export type LambdaHandler = (event: unknown, context: Context) => unknown;

export type InvokeOutcome =
  | { ok: true; value: unknown; durationMs: number }
  | { ok: false; kind: 'load' | 'error' | 'timeout'; error: Error; durationMs: number };

export interface Invoker {
  /** Imports the handler module of a function (cached; retried after a failure). */
  load(fn: FunctionDef): Promise<LambdaHandler>;
  /** Invokes a function like the Lambda service: a fresh context, its timeout enforced. */
  invoke(fn: FunctionDef, event: unknown): Promise<InvokeOutcome>;
  /** Resolves once every invocation in flight has settled. */
  drain(): Promise<void>;
  /** How many invocations are running now. */
  inFlight(): number;
  log(message: string): void;
}

export interface InvokerOptions {
  rootDir?: string;
  quiet?: boolean;
  /**
   * Multiplies every function's timeout (default 1: the deployed timeouts). The test suite raises
   * it (vitest.config.ts) so a CPU-starved machine does not time out handlers that are merely slow;
   * timeouts still catch a hang.
   */
  timeoutScale?: number;
}

/** How long stop() waits for executions that outlived their timeout. */
const LINGER_MS = 30_000;

/** The in-process stand-in for the Lambda service, shared by every trigger of the local runtime. */
export function createInvoker(opts: InvokerOptions = {}): Invoker {
  const rootDir = opts.rootDir ?? REPO_ROOT;
  const loaded = new Map<string, LambdaHandler>();
  const reported = new Set<string>();
  const inFlight = new Set<Promise<unknown>>();
  /** Executions that outlived their timeout: Lambda would freeze them; here they run on, and stop() waits for them. */
  const lingering = new Set<Promise<unknown>>();
  const timeoutScale = opts.timeoutScale ?? 1;
  const log = (message: string) => {
    if (!opts.quiet) console.log(`[kefu local] ${message}`);
  };

  async function load(fn: FunctionDef): Promise<LambdaHandler> {
    const cached = loaded.get(fn.name);
    if (cached) return cached;
    const url = pathToFileURL(resolve(rootDir, fn.entry)).href;
    try {
      const mod = (await import(url)) as { handler?: unknown };
      if (typeof mod.handler !== 'function') throw new Error(`${fn.entry} does not export a handler function`);
      const handler = mod.handler as LambdaHandler;
      loaded.set(fn.name, handler);
      if (reported.delete(fn.name)) log(`function ${fn.name} loaded`);
      return handler;
    } catch (err) {
      if (!reported.has(fn.name)) {
        reported.add(fn.name);
        console.error(`[kefu local] function ${fn.name}: cannot load ${fn.entry}: ${(err as Error).message}`);
      }
      throw err;
    }
  }

  async function run(fn: FunctionDef, event: unknown): Promise<InvokeOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let handler: LambdaHandler;
    try {
      handler = await load(fn);
    } catch (err) {
      return { ok: false, kind: 'load', error: err as Error, durationMs: elapsed() };
    }
    const timeoutMs = (fn.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000 * timeoutScale;
    const context = lambdaContext(fn, Date.now() + timeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<InvokeOutcome>((done) => {
      timer = setTimeout(
        () =>
          done({
            ok: false,
            kind: 'timeout',
            error: new Error(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`),
            durationMs: elapsed(),
          }),
        timeoutMs,
      );
    });
    const execution = (async (): Promise<InvokeOutcome> => {
      try {
        const value = await handler(event, context);
        return { ok: true, value, durationMs: elapsed() };
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        return { ok: false, kind: 'error', error, durationMs: elapsed() };
      }
    })();
    const outcome = await Promise.race([execution, timeout]);
    clearTimeout(timer);
    if (!outcome.ok && outcome.kind === 'timeout') {
      lingering.add(execution);
      void execution.finally(() => lingering.delete(execution));
    }
    if (!outcome.ok) {
      console.error(`[kefu local] function ${fn.name} ${outcome.kind}: ${outcome.error.stack ?? outcome.error.message}`);
    }
    return outcome;
  }

  return {
    load,
    log,
    invoke(fn, event) {
      const promise = run(fn, event);
      inFlight.add(promise);
      void promise.finally(() => inFlight.delete(promise));
      return promise;
    },
    async drain() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      // a timed-out execution still touching the table would fail on a closed store: let it end (bounded)
      if (lingering.size > 0) await Promise.race([Promise.allSettled([...lingering]), new Promise((done) => setTimeout(done, LINGER_MS).unref())]);
    },
    inFlight: () => inFlight.size,
  };
}

/** A Lambda context object shaped like the Node.js runtime's. */
export function lambdaContext(fn: FunctionDef, deadline: number): Context {
  const functionName = `kefu-local-${fn.name}`;
  const unsupported = () => {
    throw new Error('context.done/fail/succeed are not supported by the nodejs24.x runtime');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: String(fn.memoryMb ?? DEFAULT_MEMORY_MB),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${randomUUID().replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
