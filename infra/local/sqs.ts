import { createServer, type Server } from 'node:http';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { createRequestHandler, type ISqsServerOptions } from 'local-aws-sqs';
import { type FunctionDef, functions as manifestFunctions, type QueueName, queues, visibilityTimeout } from '#infra/manifest.ts';
import type { Invoker } from './lambda.ts';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './lambda.ts';
import { closeServer, listen, PortInUseError } from './listen.ts';

type InitialQueue = NonNullable<ISqsServerOptions['queues']>[number];

export interface LocalSqs {
  endpoint: string;
  /** URL of every manifest queue (their DLQs are `${name}-dlq`, see dlqUrl). */
  queueUrls: Record<QueueName, string>;
  dlqUrl(queue: QueueName): string;
  client: SQSClient;
  /** What each manifest queue holds right now (DLQs excluded): what `LocalStack.quiesce` waits on. */
  activity(): Record<QueueName, QueueActivity>;
  /** How many messages of a manifest queue a receive would return now (visible, past any delay). */
  receivable(queue: QueueName): number;
  /**
   * Resolves with `receivable(queue)` once it is above zero, or with 0 when `signal` aborts. It waits
   * in-process without requests or timers of its own: the queue wakes it when a message is sent, a
   * delay ends or a visibility timeout runs out (see `watchQueue`).
   */
  whenReceivable(queue: QueueName, signal: AbortSignal): Promise<number>;
  stop(): Promise<void>;
}

export interface QueueActivity {
  /** Messages a consumer could receive now. */
  visible: number;
  /** Received and not yet deleted (a consumer holds them, or their visibility timeout runs). */
  inFlight: number;
  /** When each delayed message becomes visible (epoch ms), earliest first. */
  delayedUntil: number[];
}

/** The parts of a local-aws-sqs queue object this module reads (public members of its `Queue` class). */
interface ServiceQueue {
  QueueName: string;
  newRecord: (record: Record<string, unknown>, delaySeconds?: number) => { delayed?: boolean };
  DelaySeconds: number;
  VisibilityTimeout: number;
  getAttributes(names?: string[]): Record<string, unknown>;
  receive(opts: { VisibilityTimeout?: unknown; WaitTimeSeconds?: unknown; MaxNumberOfMessages?: unknown }): Promise<unknown[]>;
  changeVisibility(receiptHandle: string, seconds: unknown): boolean;
}

/**
 * Watches one queue for the moments a receive may start returning messages, and remembers when each
 * delayed message becomes visible. local-aws-sqs keeps delays and visibility timeouts in private
 * timers and GetQueueAttributes only counts them, so three public methods of its queue are wrapped:
 * `newRecord` (the one place a message enters a queue; even a message without delay is "delayed"
 * until a zero-length timer has run), `receive` (starts a visibility timeout) and `changeVisibility`.
 * After each, `wake` runs once the library's own timer has run (a timer of the same length created
 * after it fires after it): that is the in-process notification the pollers wait on.
 *
 * Why not long polling (WaitTimeSeconds) over the wire: local-aws-sqs serves it with a 10 ms
 * setInterval scan of the queue for the whole wait, and answers only when the batch is full or the
 * wait is over, so an idle long poll spins 100 times a second per queue and a lone message waits out
 * the full WaitTimeSeconds. Receives themselves still go through the AWS SDK over HTTP.
 */
function watchQueue(queue: ServiceQueue, wake: () => void): () => number[] {
  const pending = new Set<{ entry: { delayed?: boolean }; visibleAt: number }>();
  const wakeIn = (ms: number) => setTimeout(wake, Math.max(0, ms)).unref();
  // Visibility timeouts mostly end in a delete: one wake per second is enough for them (not a timer per batch).
  const lateWakes = new Set<number>();
  const wakeAfter = (ms: number) => {
    const second = Math.ceil((Date.now() + ms + 1) / 1000);
    if (lateWakes.has(second)) return;
    lateWakes.add(second);
    setTimeout(
      () => {
        lateWakes.delete(second);
        wake();
      },
      second * 1000 - Date.now(),
    ).unref();
  };
  const newRecord = queue.newRecord;
  queue.newRecord = (record, delaySeconds) => {
    const entry = newRecord(record, delaySeconds);
    const seconds = delaySeconds === undefined || Number.isNaN(delaySeconds) ? queue.DelaySeconds : delaySeconds;
    // zero-delay messages are listed too, so quiesce never misses one before its first timer tick
    const item = { entry, visibleAt: Date.now() + seconds * 1000 };
    pending.add(item);
    setTimeout(() => {
      pending.delete(item);
      wake();
    }, seconds * 1000).unref();
    return entry;
  };
  const receive = queue.receive.bind(queue);
  queue.receive = async (opts) => {
    const received = await receive(opts);
    const seconds = Number(opts.VisibilityTimeout);
    if (received.length > 0) wakeAfter((Number.isNaN(seconds) ? queue.VisibilityTimeout : seconds) * 1000);
    return received;
  };
  const changeVisibility = queue.changeVisibility.bind(queue);
  queue.changeVisibility = (receiptHandle, seconds) => {
    const changed = changeVisibility(receiptHandle, seconds);
    if (changed) wakeIn(Number(seconds) * 1000);
    return changed;
  };
  return () => {
    for (const item of pending) if (item.entry.delayed === false) pending.delete(item);
    return [...pending].map((p) => p.visibleAt).sort((a, b) => a - b);
  };
}

export interface SqsOptions {
  port?: number;
  /** Take any free port when `port` is taken instead of failing. */
  anyPortIfTaken?: boolean;
  /**
   * Test mode: failed messages become visible again after this many seconds (ChangeMessageVisibility)
   * instead of after the queue's visibility timeout, so a poison message reaches its DLQ quickly.
   */
  failedRetryDelaySeconds?: number;
}

/** The ARN of a local queue (what the Lambda event names as eventSourceARN). */
export function queueArn(name: string): string {
  return `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${name}`;
}

/**
 * local-aws-sqs counts a ChangeMessageVisibility call as one more receive. In test mode every failed
 * delivery is followed by exactly one such call, so the DLQ threshold is doubled to keep the number of
 * deliveries equal to the manifest's maxReceiveCount, and the poller reports the corrected count.
 */
function redriveThreshold(maxReceiveCount: number, opts: SqsOptions): number {
  return opts.failedRetryDelaySeconds === undefined ? maxReceiveCount : maxReceiveCount * 2;
}

/** Starts local-aws-sqs with every manifest queue and its DLQ (in memory: messages do not survive a restart). */
export async function startSqs(opts: SqsOptions = {}): Promise<LocalSqs> {
  const initial: InitialQueue[] = queues.flatMap((q): InitialQueue[] => [
    { QueueName: `${q.name}-dlq`, Attributes: { MessageRetentionPeriod: 1209600 } },
    {
      QueueName: q.name,
      Attributes: {
        VisibilityTimeout: visibilityTimeout(q.name),
        RedrivePolicy: JSON.stringify({
          maxReceiveCount: redriveThreshold(q.maxReceiveCount, opts),
          deadLetterTargetArn: queueArn(`${q.name}-dlq`),
        }),
      },
    },
  ]);
  const { service, requestHandler } = createRequestHandler({
    port: opts.port ?? 0,
    hostname: '127.0.0.1',
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    emulateQueueCreationLifecycle: false,
    queues: initial,
  });
  const server: Server = createServer((req, res) => void requestHandler(req, res));
  let port: number;
  try {
    port = await listen(server, opts.port ?? 0);
  } catch (err) {
    if (!(err instanceof PortInUseError) || !opts.anyPortIfTaken) throw err;
    port = await listen(server, 0);
  }
  service.PORT = port;
  const delays = new Map<QueueName, () => number[]>();
  const waiters = new Map<QueueName, Set<() => void>>();
  const byName = new Map((service.Queues as unknown as ServiceQueue[]).map((q) => [q.QueueName, q]));
  for (const { name } of queues) {
    const queue = byName.get(name);
    if (!queue) throw new Error(`local SQS has no queue ${name}`);
    const waiting = new Set<() => void>();
    waiters.set(name, waiting);
    delays.set(
      name,
      watchQueue(queue, () => {
        for (const wake of [...waiting]) wake();
      }),
    );
  }
  const counts = (name: QueueName) => {
    // local-aws-sqs counts every message past its delay as ApproximateNumberOfMessages, received or not.
    const attrs = byName.get(name)!.getAttributes(['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']);
    const notDelayed = Number(attrs.ApproximateNumberOfMessages ?? 0);
    const inFlight = Number(attrs.ApproximateNumberOfMessagesNotVisible ?? 0);
    return { visible: Math.max(0, notDelayed - inFlight), inFlight };
  };
  const receivable = (name: QueueName) => counts(name).visible;
  const activity = () =>
    Object.fromEntries(queues.map(({ name }) => [name, { ...counts(name), delayedUntil: delays.get(name)!() }])) as Record<QueueName, QueueActivity>;
  const whenReceivable = async (name: QueueName, signal: AbortSignal): Promise<number> => {
    const waiting = waiters.get(name);
    if (!waiting) throw new Error(`local SQS has no queue ${name}`);
    for (;;) {
      const ready = receivable(name);
      if (ready > 0 || signal.aborted) return signal.aborted ? 0 : ready;
      await new Promise<void>((resolve) => {
        const done = () => {
          waiting.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        waiting.add(done);
        signal.addEventListener('abort', done, { once: true });
      });
    }
  };
  const endpoint = `http://127.0.0.1:${port}`;
  const url = (name: string) => `${endpoint}/${LOCAL_ACCOUNT_ID}/${name}`;
  const queueUrls = Object.fromEntries(queues.map((q) => [q.name, url(q.name)])) as Record<QueueName, string>;
  const client = new SQSClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    endpoint,
    queueUrls,
    dlqUrl: (queue) => url(`${queue}-dlq`),
    client,
    activity,
    receivable,
    whenReceivable,
    stop: async () => {
      client.destroy();
      await closeServer(server);
    },
  };
}

export interface Pollers {
  stop(): Promise<void>;
}

export interface PollerOptions {
  sqs: LocalSqs;
  invoker: Invoker;
  functions?: readonly FunctionDef[];
  failedRetryDelaySeconds?: number;
}

/**
 * One poller per queue consumer, doing what the Lambda event-source mapping does: receive a batch,
 * invoke with an SQSEvent, delete what succeeded (all, none on an error, all but batchItemFailures).
 * An idle poller sends no requests: it waits on `LocalSqs.whenReceivable` (see `watchQueue`).
 */
export function startPollers(opts: PollerOptions): Pollers {
  const fns = (opts.functions ?? manifestFunctions).filter((f) => f.queue);
  const controller = new AbortController();
  const loops = fns.map((fn) => pollLoop(fn, opts, controller.signal));
  return {
    stop: async () => {
      controller.abort();
      await Promise.allSettled(loops);
    },
  };
}

async function pollLoop(fn: FunctionDef, opts: PollerOptions, signal: AbortSignal): Promise<void> {
  const source = fn.queue;
  if (!source) return;
  const queueUrl = opts.sqs.queueUrls[source.name];
  const bumps = new Map<string, number>();
  while (!signal.aborted) {
    const ready = await opts.sqs.whenReceivable(source.name, signal);
    if (signal.aborted) return;
    let messages: Message[];
    try {
      messages = await receiveBatch(opts.sqs, source.name, source.batchSize, source.maxBatchingWindowSeconds ?? 0, ready, signal);
    } catch (err) {
      if (signal.aborted) return;
      console.error(`[kefu local] poller ${source.name}: ${(err as Error).message}`);
      await sleep(500, signal);
      continue;
    }
    if (messages.length === 0) continue;
    const event: SQSEvent = { Records: messages.map((m) => toRecord(m, source.name, bumps.get(m.MessageId ?? '') ?? 0)) };
    const outcome = await opts.invoker.invoke(fn, event);
    const failed = failedIds(outcome, messages);
    const succeeded = messages.filter((m) => !failed.has(m.MessageId ?? ''));
    const retried = messages.filter((m) => failed.has(m.MessageId ?? ''));
    try {
      await deleteAll(opts.sqs.client, queueUrl, succeeded);
      for (const m of succeeded) bumps.delete(m.MessageId ?? '');
      if (opts.failedRetryDelaySeconds !== undefined && retried.length > 0) {
        await changeVisibility(opts.sqs.client, queueUrl, retried, opts.failedRetryDelaySeconds);
        for (const m of retried) bumps.set(m.MessageId ?? '', (bumps.get(m.MessageId ?? '') ?? 0) + 1);
      }
    } catch (err) {
      if (!signal.aborted) console.error(`[kefu local] poller ${source.name}: ${(err as Error).message}`);
    }
  }
}

/** Message ids the event-source mapping would leave on the queue after this outcome. */
function failedIds(outcome: Awaited<ReturnType<Invoker['invoke']>>, messages: Message[]): Set<string> {
  const all = new Set(messages.map((m) => m.MessageId ?? ''));
  if (!outcome.ok) return all;
  const value = outcome.value as { batchItemFailures?: unknown } | null | undefined;
  const failures = value && typeof value === 'object' ? value.batchItemFailures : undefined;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return all;
  const failed = new Set<string>();
  for (const item of failures as { itemIdentifier?: unknown }[]) {
    const id = item?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !all.has(id)) {
      console.error('[kefu local] batchItemFailures names an unknown or empty itemIdentifier: the whole batch fails (as in AWS)');
      return all;
    }
    failed.add(id);
  }
  return failed;
}

/**
 * Receives up to `batchSize` messages. local-aws-sqs answers a receive only when it has
 * MaxNumberOfMessages or its wait is over (40 ms past WaitTimeSeconds), so each request asks for no
 * more than the queue holds now and returns at once; a batching window (maxBatchingWindowSeconds)
 * is a WaitTimeSeconds for the full batch, as the event-source mapping would wait.
 */
async function receiveBatch(sqs: LocalSqs, queue: QueueName, batchSize: number, windowSeconds: number, ready: number, signal: AbortSignal): Promise<Message[]> {
  const byId = new Map<string, Message>();
  let available = ready;
  while (byId.size < batchSize && available > 0) {
    const room = Math.min(10, batchSize - byId.size);
    const waitSeconds = byId.size === 0 ? Math.min(20, windowSeconds) : 0;
    const wanted = waitSeconds > 0 ? room : Math.min(room, available);
    const { Messages = [] } = await sqs.client.send(
      new ReceiveMessageCommand({
        QueueUrl: sqs.queueUrls[queue],
        MaxNumberOfMessages: wanted,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        AttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: signal },
    );
    for (const m of Messages) if (m.MessageId) byId.set(m.MessageId, m);
    if (Messages.length < wanted) break;
    available = sqs.receivable(queue);
  }
  return [...byId.values()];
}

async function deleteAll(client: SQSClient, queueUrl: string, messages: Message[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 10) {
    const chunk = messages.slice(i, i + 10);
    await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
}

async function changeVisibility(client: SQSClient, queueUrl: string, messages: Message[], seconds: number): Promise<void> {
  for (let i = 0; i < messages.length; i += 10) {
    const chunk = messages.slice(i, i + 10);
    await client.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: seconds })),
      }),
    );
  }
}

/** An SQS message as the Lambda event-source mapping hands it to the function. */
function toRecord(m: Message, queue: QueueName, bumps: number): SQSRecord {
  const attrs = m.Attributes ?? {};
  const receiveCount = Math.max(1, Number(attrs.ApproximateReceiveCount ?? '1') - bumps);
  return {
    messageId: m.MessageId ?? '',
    receiptHandle: m.ReceiptHandle ?? '',
    body: m.Body ?? '',
    attributes: {
      ...(attrs.AWSTraceHeader ? { AWSTraceHeader: attrs.AWSTraceHeader } : {}),
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: attrs.SentTimestamp ?? String(Date.now()),
      SenderId: attrs.SenderId ?? 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: attrs.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: toMessageAttributes(m.MessageAttributes ?? {}),
    md5OfBody: m.MD5OfBody ?? '',
    ...(m.MD5OfMessageAttributes ? { md5OfMessageAttributes: m.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn(queue),
    awsRegion: LOCAL_REGION,
  };
}

function toMessageAttributes(attrs: Record<string, MessageAttributeValue>): SQSMessageAttributes {
  const out: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attrs)) {
    out[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
      stringListValues: [],
      binaryListValues: [],
      dataType: value.DataType ?? 'String',
    };
  }
  return out;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
