/**
 * The meters of the cost bench besides DynamoDB: SQS requests and @connections calls (through
 * counting proxies), Lambda invocations and their duration (from the local runtime's invoker), and
 * log bytes (what the functions write to stdout/stderr, as Lambda ships it to CloudWatch Logs).
 */

import type { Invoker } from '#infra/local/lambda.ts';
import { DEFAULT_MEMORY_MB, type FunctionDef } from '#infra/manifest.ts';
import type { ProxyHandler } from './counting-proxy.ts';

export interface ServiceTally {
  /** SQS calls by action (SendMessage, SendMessageBatch, …). */
  sqs: Record<string, number>;
  /** @connections calls by method and outcome (`POST 200`, `POST 410`, `DELETE 204`, …). */
  management: Record<string, number>;
  /** Lambda invocations by function, with their summed wall time (ms) and GB-seconds. */
  invocations: Record<string, { count: number; ms: number; gbSeconds: number; trigger: string }>;
  logBytes: number;
  logLines: number;
}

export function emptyServiceTally(): ServiceTally {
  return { sqs: {}, management: {}, invocations: {}, logBytes: 0, logLines: 0 };
}

export function diffServiceTally(after: ServiceTally, before: ServiceTally): ServiceTally {
  const sub = (a: Record<string, number>, b: Record<string, number>) =>
    Object.fromEntries(Object.entries(a).flatMap(([k, v]) => (v - (b[k] ?? 0) ? [[k, v - (b[k] ?? 0)]] : [])));
  const invocations: ServiceTally['invocations'] = {};
  for (const [name, v] of Object.entries(after.invocations)) {
    const b = before.invocations[name];
    const count = v.count - (b?.count ?? 0);
    if (count) invocations[name] = { count, ms: v.ms - (b?.ms ?? 0), gbSeconds: v.gbSeconds - (b?.gbSeconds ?? 0), trigger: v.trigger };
  }
  return {
    sqs: sub(after.sqs, before.sqs),
    management: sub(after.management, before.management),
    invocations,
    logBytes: after.logBytes - before.logBytes,
    logLines: after.logLines - before.logLines,
  };
}

/** Counts SQS calls by action (JSON protocol `x-amz-target: AmazonSQS.SendMessage`, or the query protocol's `Action=`). */
export function sqsCounter(tally: ServiceTally): ProxyHandler {
  return (req, forward) => {
    const action = req.headers['x-amz-target']?.split('.').pop() ?? new URLSearchParams(req.body).get('Action') ?? 'unknown';
    tally.sqs[action] = (tally.sqs[action] ?? 0) + 1;
    return forward();
  };
}

/** Counts @connections calls by method and status (PostToConnection = POST). */
export function managementCounter(tally: ServiceTally): ProxyHandler {
  return async (req, forward) => {
    const res = await forward();
    if (req.path.includes('/@connections/')) {
      const key = `${req.method} ${res.status}`;
      tally.management[key] = (tally.management[key] ?? 0) + 1;
    }
    return res;
  };
}

const triggerOf = (fn: FunctionDef) => (fn.http ? 'http' : fn.ws ? 'ws' : fn.queue ? 'sqs' : fn.schedule ? 'schedule' : 'other');

/**
 * Counts every invocation the local runtime makes (HTTP and WebSocket routes, queue pollers,
 * schedules): its wall time × the function's memory from the manifest = GB-seconds, billed per ms.
 */
export function meterInvocations(invoker: Invoker, tally: ServiceTally): void {
  const original = invoker.invoke.bind(invoker);
  invoker.invoke = async (fn, event) => {
    const started = performance.now();
    try {
      return await original(fn, event);
    } finally {
      const ms = Math.ceil(performance.now() - started);
      const entry = (tally.invocations[fn.name] ??= { count: 0, ms: 0, gbSeconds: 0, trigger: triggerOf(fn) });
      entry.count++;
      entry.ms += ms;
      entry.gbSeconds += (ms / 1000) * ((fn.memoryMb ?? DEFAULT_MEMORY_MB) / 1024);
    }
  };
}

/**
 * Takes over stdout and stderr: what the functions log is counted (bytes, lines) and dropped, so the
 * bench's own output stays readable. Lines of the local runtime itself (`[kefu local] …`) are not
 * function logs: they are counted apart and shown on stderr. Returns the function that gives the
 * streams back.
 */
export function meterLogs(tally: ServiceTally, runtimeLines: string[]): () => void {
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((s) => s.write.bind(s));
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (text.includes('[kefu local]')) runtimeLines.push(text.trim());
      else {
        tally.logBytes += Buffer.byteLength(text);
        tally.logLines += text.split('\n').filter(Boolean).length;
      }
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
  }
  return () => {
    streams.forEach((s, i) => {
      s.write = originals[i] as typeof s.write;
    });
  };
}
