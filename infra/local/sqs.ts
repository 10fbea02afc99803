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
  getAttributes(names?: string[]): Record<string, unknown>;
}

/**
 * Remembers when each delayed message becomes visible. local-aws-sqs keeps delays in private
 * timers and GetQueueAttributes only counts them, so every queue's `newRecord` (the one place a
 * message enters a queue) is wrapped; entries leave the list once their delay is over.
 */
function trackDelays(queue: ServiceQueue): () => number[] {
  const pending: { entry: { delayed?: boolean }; visibleAt: number }[] = [];
  const original = queue.newRecord;
  queue.newRecord = (record, delaySeconds) => {
    const entry = original(record, delaySeconds);
    const seconds = delaySeconds === undefined || Number.isNaN(delaySeconds) ? queue.DelaySeconds : delaySeconds;
    if (seconds > 0) pending.push({ entry, visibleAt: Date.now() + seconds * 1000 });
    return entry;
  };
  return () => {
    for (let i = pending.length - 1; i >= 0; i--) if (pending[i]!.entry.delayed === false) pending.splice(i, 1);
    return pending.map((p) => p.visibleAt).sort((a, b) => a - b);
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
  const byName = new Map((service.Queues as unknown as ServiceQueue[]).map((q) => [q.QueueName, q]));
  for (const { name } of queues) {
    const queue = byName.get(name);
    if (!queue) throw new Error(`local SQS has no queue ${name}`);
    delays.set(name, trackDelays(queue));
  }
  const activity = () =>
    Object.fromEntries(
      queues.map(({ name }) => {
        // local-aws-sqs counts every message past its delay as ApproximateNumberOfMessages, received or not.
        const attrs = byName.get(name)!.getAttributes(['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']);
        const notDelayed = Number(attrs.ApproximateNumberOfMessages ?? 0);
        const inFlight = Number(attrs.ApproximateNumberOfMessagesNotVisible ?? 0);
        return [
          name,
          {
            visible: Math.max(0, notDelayed - inFlight),
            inFlight,
            delayedUntil: delays.get(name)!(),
          },
        ];
      }),
    ) as Record<QueueName, QueueActivity>;
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
  /** Pause between receives of an empty queue. */
  idleDelayMs?: number;
}

/**
 * One poller per queue consumer, doing what the Lambda event-source mapping does: receive a batch,
 * invoke with an SQSEvent, delete what succeeded (all, none on an error, all but batchItemFailures).
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
  const idle = opts.idleDelayMs ?? 50;
  while (!signal.aborted) {
    let messages: Message[];
    try {
      messages = await receiveBatch(opts.sqs.client, queueUrl, source.batchSize, source.maxBatchingWindowSeconds ?? 0, signal);
    } catch (err) {
      if (signal.aborted) return;
      console.error(`[kefu local] poller ${source.name}: ${(err as Error).message}`);
      await sleep(500, signal);
      continue;
    }
    if (messages.length === 0) {
      await sleep(idle, signal);
      continue;
    }
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

async function receiveBatch(client: SQSClient, queueUrl: string, batchSize: number, windowSeconds: number, signal: AbortSignal): Promise<Message[]> {
  const byId = new Map<string, Message>();
  while (byId.size < batchSize) {
    const wanted = Math.min(10, batchSize - byId.size);
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: wanted,
        WaitTimeSeconds: byId.size === 0 ? Math.min(20, windowSeconds) : 0,
        MessageSystemAttributeNames: ['All'],
        AttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: signal },
    );
    for (const m of Messages) if (m.MessageId) byId.set(m.MessageId, m);
    if (Messages.length < wanted) break;
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
