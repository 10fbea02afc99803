import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type FunctionDef, functions as manifestFunctions, table } from '#infra/manifest.ts';
import { MAILBOX_PATH, mailboxPages, relayInbound } from '#shared/channels/local-mailbox.ts';
import { fromAddress } from '#shared/channels/mail-config.ts';
import { bareAddress } from '#shared/channels/mail-message.ts';
import { type SmtpSink, startSmtpSink } from '#shared/channels/smtp-sink.ts';
import { resetConfig } from '#shared/config.ts';
import { DEFAULT_SHOP_ID } from '#shared/store/shops.ts';
import { createBackupService, type ScheduledBackups, scheduleFromEnv } from './backup.ts';
import { demoShopIdentity } from './demo-shop.ts';
import { createTable, type LocalDynamo, localDynamoClient, startDynamo } from './dynamo.ts';
import { createHttpGateway, sendJson } from './http-gateway.ts';
import { createIssuer, type LocalIssuer } from './issuer.ts';
import { applyLocalEnvironment, createInvoker, type Invoker, REPO_ROOT, STAFF_AUDIENCE } from './lambda.ts';
import { closeServer, listen, preferredPort, rememberPort } from './listen.ts';
import { localS3 } from './s3.ts';
import { cancelAllScheduled, type Scheduler, startScheduler } from './scheduler.ts';
import { seedDemoData } from './seed.ts';
import { type LocalSqs, type Pollers, startPollers, startSqs } from './sqs.ts';
import { startWechatSim, type WechatSim } from './wechat-sim.ts';
import { WECHAT_SIM_PATH, wechatSimPages } from './wechat-sim-page.ts';
import { createWsGateway, WS_PATH, type WsGateway } from './ws-gateway.ts';

export interface LocalStackOptions {
  /** Gateway port (HTTP API, WebSocket API, management API, web apps); 0 = any free port. Default 0. */
  port?: number;
  /** Where LevelDB and the issuer key live; without it (or with `memory`) everything is in memory. */
  dataDir?: string;
  memory?: boolean;
  /** Seed the demo accounts and shop (once per data dir). Default true. */
  seed?: boolean;
  /** Test mode for queues: failed messages are retried after this many seconds, not the visibility timeout. */
  failedRetryDelaySeconds?: number;
  quiet?: boolean;
  /** The functions to run; defaults to the manifest (tests pass fixtures). */
  functions?: readonly FunctionDef[];
  /** Root that function `entry` paths are relative to; defaults to the repository. */
  rootDir?: string;
  /** Built web apps; defaults to web/dist. */
  webRoot?: string;
  /** Import every handler at start so broken modules are reported at once. Default true. */
  preload?: boolean;
  /** Test knob: every-minute schedules run every this many seconds instead (see startScheduler). */
  tickSeconds?: number;
  /** Multiplies function timeouts (see InvokerOptions); default KEFU_LOCAL_TIMEOUT_SCALE or 1. */
  timeoutScale?: number;
  /** Scheduled backups with retention (see backup.ts); default from KEFU_BACKUP_DIR, KEFU_BACKUP_KEEP, KEFU_BACKUP_EVERY_HOURS. */
  backup?: ScheduledBackups;
  /**
   * Run the local SMTP server (docs/channels.md): the email sender delivers to it, its mailbox is
   * at `urls.mail`, mail to the support address feeds `/email/inbound`. Default true, unless
   * KEFU_SMTP_HOST is already set (then that server is used).
   */
  smtp?: boolean;
  /**
   * Run the local WeChat customer-service platform (infra/local/wechat-sim.ts): Kefu's WeCom
   * settings point at it, its phone page is at `urls.wechat`. Default true, unless
   * KEFU_WECOM_CORP_ID is already set (then that account is used).
   */
  wechat?: boolean;
  /**
   * Benchmarks: the functions reach DynamoDB, SQS and the @connections management API through the
   * URL this returns for each service's local endpoint (a counting proxy, bench/support/); the stack's
   * own clients (`db`, pollers) stay direct. Default: the endpoints themselves.
   */
  routeThrough?: (service: 'dynamodb' | 'sqs' | 'management', endpoint: string) => string;
}

export interface LocalStack {
  urls: { api: string; ws: string; demo: string; console: string; docs: string; mail?: string; wechat?: string };
  port: number;
  dataDir: string | undefined;
  dynamoEndpoint: string;
  /** A document client on the local table (tests and tools). */
  db: DynamoDBDocumentClient;
  sqs: LocalSqs;
  issuer: LocalIssuer;
  ws: WsGateway;
  scheduler: Scheduler;
  invoker: Invoker;
  /** The local SMTP server and what it captured (undefined when another SMTP server is configured). */
  mail: SmtpSink | undefined;
  /** The local WeChat platform (undefined when a WeCom account is configured or it is turned off). */
  wechat: WechatSim | undefined;
  /** Functions whose handler module failed to import at start. */
  failedToLoad: string[];
  /**
   * Resolves when the stack has settled: no invocation running, no message waiting or held by a
   * consumer on any queue (DLQs aside), and no delayed message (an SQS timer hop, a delayed survey)
   * due at or before `until` (default: now). Tests wait on this instead of sleeping "long enough".
   */
  quiesce(opts?: QuiesceOptions): Promise<void>;
  stop(): Promise<void>;
}

export interface QuiesceOptions {
  /** Also wait for delayed messages that become visible up to this instant (epoch ms or Date). */
  until?: number | Date;
  /** Guard against a stack that never settles (a hang is a failure, not a wait). Default 60 s. */
  timeoutMs?: number;
}

let active: Promise<unknown> | undefined;

/**
 * Starts the one-machine runtime from the manifest: dynalite, local SQS with pollers, the HTTP and
 * WebSocket gateways on one port, the local issuer and the schedules. One stack per process at a
 * time: handlers run in-process and share one environment.
 */
export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  if (active) throw new Error('a local stack is already running in this process: stop it first');
  const starting = start(opts);
  active = starting;
  try {
    return await starting;
  } catch (err) {
    active = undefined;
    throw err;
  }
}

async function start(opts: LocalStackOptions): Promise<LocalStack> {
  const quiet = opts.quiet ?? false;
  const log = (line: string) => {
    if (!quiet) console.log(`[kefu local] ${line}`);
  };
  const dataDir = opts.memory || !opts.dataDir ? undefined : resolve(opts.dataDir);
  const fns = opts.functions ?? manifestFunctions;

  let ready: ((listener: (req: IncomingMessage, res: ServerResponse) => void) => void) | undefined;
  const listenerReady = new Promise<(req: IncomingMessage, res: ServerResponse) => void>((r) => (ready = r));
  const server = createServer((req, res) => {
    void listenerReady.then((listener) => listener(req, res));
  });
  const port = await listen(server, opts.port ?? preferredPort('gateway'));
  rememberPort('gateway', port);
  const base = `http://127.0.0.1:${port}`;

  let dynamo: LocalDynamo | undefined;
  let sqs: LocalSqs | undefined;
  try {
    dynamo = await startDynamo({
      port: preferredPort('dynamo'),
      anyPortIfTaken: true,
      ...(dataDir ? { dataDir: join(dataDir, 'dynamo') } : {}),
    });
    rememberPort('dynamo', Number(new URL(dynamo.endpoint).port));
    await createTable(dynamo.endpoint);
    sqs = await startSqs({
      port: preferredPort('sqs'),
      anyPortIfTaken: true,
      ...(opts.failedRetryDelaySeconds !== undefined ? { failedRetryDelaySeconds: opts.failedRetryDelaySeconds } : {}),
    });
    rememberPort('sqs', Number(new URL(sqs.endpoint).port));
  } catch (err) {
    await sqs?.stop();
    await dynamo?.stop();
    await closeServer(server);
    throw err;
  }

  const via = opts.routeThrough ?? ((_service: string, endpoint: string) => endpoint);
  const sqsVia = via('sqs', sqs.endpoint);
  const queueUrls = Object.fromEntries(Object.entries(sqs.queueUrls).map(([name, url]) => [name, url.replace(sqs.endpoint, sqsVia)])) as typeof sqs.queueUrls;
  applyLocalEnvironment({ dynamoEndpoint: via('dynamodb', dynamo.endpoint), sqsEndpoint: sqsVia, queueUrls, gatewayUrl: base });
  if (opts.routeThrough) process.env.WS_MANAGEMENT_ENDPOINT = via('management', base);
  const db = DynamoDBDocumentClient.from(localDynamoClient(dynamo.endpoint), { marshallOptions: { removeUndefinedValues: true } });
  const issuer = await createIssuer({
    url: `${base}/local-issuer`,
    audience: STAFF_AUDIENCE,
    ...(dataDir ? { keyFile: join(dataDir, 'issuer-key.json') } : {}),
    db: () => db,
  });
  if (opts.seed ?? true) await seedDemoData(db, log);
  const mail = await startLocalMail(opts, db, base);
  if (mail) log(`mailbox ${base}${MAILBOX_PATH}/ (SMTP 127.0.0.1:${mail.sink.port})`);
  const wechat = await startLocalWechat(opts, base);
  if (wechat) log(`WeChat phone ${base}${WECHAT_SIM_PATH}/ (WeCom API ${wechat.sim.apiBase})`);

  const timeoutScale = opts.timeoutScale ?? (Number(process.env.KEFU_LOCAL_TIMEOUT_SCALE) || 1);
  // Invocations pass the backup gate: `kefu backup` holds new ones while it copies the table.
  const backups = createBackupService({
    invoker: createInvoker({ rootDir: opts.rootDir ?? REPO_ROOT, quiet, timeoutScale }),
    dynamoEndpoint: dynamo.endpoint,
    db,
    dataDir,
    schedule: opts.backup ?? scheduleFromEnv(),
    log,
  });
  const invoker = backups.invoker;
  const failedToLoad: string[] = [];
  if (opts.preload ?? true) {
    await Promise.all(fns.map((fn) => invoker.load(fn).catch(() => failedToLoad.push(fn.name))));
  }
  const ws = createWsGateway({ invoker, functions: fns, quiet });
  const gateway = createHttpGateway({
    invoker,
    issuer,
    baseUrl: () => base,
    functions: fns,
    webRoot: opts.webRoot ?? join(REPO_ROOT, 'web/dist'),
    sideHandlers: [
      ws.management,
      demoShopIdentity(db),
      localS3({ dataDir, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
      backups.sideHandler,
      ...(mail ? [mailboxPages(mail.sink)] : []),
      ...(wechat ? [wechatSimPages(wechat.sim)] : []),
    ],
    quiet,
  });
  let stopping = false;
  server.on('upgrade', (req, socket, head) => ws.handleUpgrade(req, socket, head));
  ready?.((req, res) => {
    if (stopping && !res.headersSent) return sendJson(res, 503, { message: 'Service Unavailable' });
    gateway(req, res);
  });
  const pollers: Pollers = startPollers({
    sqs,
    invoker,
    functions: fns,
    ...(opts.failedRetryDelaySeconds !== undefined ? { failedRetryDelaySeconds: opts.failedRetryDelaySeconds } : {}),
  });
  const scheduler = startScheduler({ invoker, functions: fns, ...(opts.tickSeconds !== undefined ? { tickMs: opts.tickSeconds * 1000 } : {}) });
  backups.start(base);

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      stopping = true;
      backups.stop();
      scheduler.stop();
      cancelAllScheduled();
      await ws.close();
      await pollers.stop();
      await closeServer(server);
      await invoker.drain();
      await mail?.stop();
      await wechat?.stop();
      db.destroy();
      await sqs.stop();
      await dynamo.stop();
      active = undefined;
      log('stopped');
    })();
    return stopped;
  };

  /** What is still busy, or undefined when nothing is (see LocalStack.quiesce). */
  const busy = (until: number): string | undefined => {
    if (invoker.inFlight() > 0) return `${invoker.inFlight()} invocation(s) running`;
    for (const [name, q] of Object.entries(sqs.activity())) {
      if (q.visible > 0 || q.inFlight > 0) return `queue ${name}: ${q.visible} waiting, ${q.inFlight} in flight`;
      const due = q.delayedUntil.filter((t) => t <= until).length;
      if (due > 0) return `queue ${name}: ${due} delayed message(s) due by ${new Date(until).toISOString()}`;
    }
    return undefined;
  };
  const quiesce = async ({ until, timeoutMs = 60_000 }: QuiesceOptions = {}) => {
    const limit = until === undefined ? undefined : typeof until === 'number' ? until : until.getTime();
    const deadline = Date.now() + timeoutMs;
    let idleChecks = 0;
    // Two idle looks a macrotask apart: a poller hands a received batch to the invoker, and a handler
    // sends its follow-up message, within one turn of the event loop.
    while (idleChecks < 2) {
      const reason = busy(limit ?? Date.now());
      idleChecks = reason ? 0 : idleChecks + 1;
      if (reason && Date.now() > deadline) throw new Error(`local stack did not quiesce within ${timeoutMs} ms: ${reason}`);
      await new Promise((r) => setTimeout(r, reason ? 10 : 0));
    }
  };

  return {
    urls: {
      api: base,
      ws: `${base.replace(/^http/, 'ws')}${WS_PATH}`,
      demo: `${base}/demo/`,
      console: `${base}/console/`,
      docs: `${base}/docs`,
      ...(mail ? { mail: `${base}${MAILBOX_PATH}/` } : {}),
      ...(wechat ? { wechat: `${base}${WECHAT_SIM_PATH}/` } : {}),
    },
    port,
    dataDir,
    dynamoEndpoint: dynamo.endpoint,
    db,
    sqs,
    issuer,
    ws,
    scheduler,
    invoker,
    mail: mail?.sink,
    wechat: wechat?.sim,
    failedToLoad,
    quiesce,
    stop,
  };
}

/**
 * The local SMTP server, unless turned off or another server is configured: the email sender is
 * pointed at it (KEFU_SMTP_HOST/PORT, removed again on stop), and mail to the support address
 * (the From of Kefu's mail) is relayed to `POST /email/inbound` of this gateway.
 */
async function startLocalMail(
  opts: LocalStackOptions,
  db: DynamoDBDocumentClient,
  base: string,
): Promise<{ sink: SmtpSink; stop: () => Promise<void> } | undefined> {
  if (opts.smtp === false || process.env.KEFU_SMTP_HOST) return undefined;
  const support = bareAddress(fromAddress()).toLowerCase();
  const sink = await startSmtpSink({
    isInbound: (address) => address.toLowerCase() === support,
    onInbound: relayInbound({ gatewayUrl: () => base, db, tableName: table.name, shopId: DEFAULT_SHOP_ID }),
  });
  Object.assign(process.env, { KEFU_SMTP_HOST: '127.0.0.1', KEFU_SMTP_PORT: String(sink.port), KEFU_SMTP_SECURE: 'false' });
  resetConfig();
  return {
    sink,
    stop: async () => {
      for (const name of ['KEFU_SMTP_HOST', 'KEFU_SMTP_PORT', 'KEFU_SMTP_SECURE']) delete process.env[name];
      resetConfig();
      await sink.stop();
    },
  };
}

const WECOM_SETTINGS = ['KEFU_WECOM_CORP_ID', 'KEFU_WECOM_TOKEN', 'KEFU_WECOM_AES_KEY', 'KEFU_WECOM_SECRET', 'KEFU_WECOM_API_BASE'] as const;

/**
 * The local WeChat platform, unless turned off or a WeCom account is configured: Kefu's WeCom
 * settings (corp id, Token, EncodingAESKey, Secret, API origin) are the simulator's (removed again
 * on stop), and it calls back `POST /wecom/callback` of this gateway.
 */
async function startLocalWechat(opts: LocalStackOptions, base: string): Promise<{ sim: WechatSim; stop: () => Promise<void> } | undefined> {
  if (opts.wechat === false || process.env.KEFU_WECOM_CORP_ID) return undefined;
  const sim = await startWechatSim({ callbackUrl: () => `${base}/wecom/callback` });
  const { corpId, token, encodingAesKey, secret } = sim.settings;
  Object.assign(process.env, {
    KEFU_WECOM_CORP_ID: corpId,
    KEFU_WECOM_TOKEN: token,
    KEFU_WECOM_AES_KEY: encodingAesKey,
    KEFU_WECOM_SECRET: secret,
    KEFU_WECOM_API_BASE: sim.apiBase,
  });
  resetConfig();
  return {
    sim,
    stop: async () => {
      for (const name of WECOM_SETTINGS) delete process.env[name];
      resetConfig();
      await sim.stop();
    },
  };
}
