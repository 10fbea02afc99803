/**
 * A local WeChat customer-service (微信客服 / WeCom Kf) platform for `npm start` and the tests. It
 * speaks the platform's protocol to Kefu, both ways: a shopper's message is kept in the account's
 * message stream and announced to Kefu's callback URL with an encrypted, signed
 * `kf_msg_or_event` callback (shared/channels/wecom-crypto.ts, with the account's Token and
 * EncodingAESKey); Kefu then calls this server's `GET /cgi-bin/gettoken`, `POST
 * /cgi-bin/kf/sync_msg` (opaque cursor, `has_more`, the callback's token) and `POST
 * /cgi-bin/kf/send_msg` (the 48-hour window and the five-messages rule enforced), as it would
 * call qyapi.weixin.qq.com. The shopper's phone is the page at `/local-wechat/`
 * (wechat-sim-page.ts). Written from the platform's documentation; docs/channels.md says what is
 * checked against published values and what only against this simulator. Local only.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { KfMessage } from '#shared/channels/wecom-api.ts';
import { encrypt, wecomSignature } from '#shared/channels/wecom-crypto.ts';
import { closeServer, listenSticky } from './listen.ts';

/** The platform's reply window after a customer's message, and how many messages it lets through in it. */
const WINDOW_MS = 48 * 3600 * 1000;
const SENDS_PER_MESSAGE = 5;
/** A callback's msg token is good for ten minutes (sync_msg `token`). */
const MSG_TOKEN_MS = 10 * 60 * 1000;
const ACCESS_TOKEN_SECONDS = 7200;

/**
 * errcodes: -1, 40001, 40008, 40013, 40014, 42001, 44004, 45002 and 40058 as in the platform's
 * global code list; the 95xxx codes below are this simulator's own (not checked against the platform).
 */
const ERR = {
  busy: [-1, 'system busy'],
  secret: [40001, 'invalid secret'],
  msgtype: [40008, 'invalid message type'],
  corpid: [40013, 'invalid corpid'],
  accessToken: [40014, 'invalid access_token'],
  expired: [42001, 'access_token expired'],
  empty: [44004, 'empty content'],
  tooLong: [45002, 'content size out of limit'],
  param: [40058, 'invalid parameter'],
  openKfId: [95000, 'invalid open_kfid (simulator)'],
  msgToken: [95007, 'invalid msg token (simulator)'],
  touser: [95001, 'unknown external_userid for this account (simulator)'],
  window: [95018, 'out of the 48-hour reply window (simulator)'],
  limit: [95019, 'more than 5 messages since the customer last wrote (simulator)'],
  duplicate: [95020, 'duplicate msgid (simulator)'],
} as const satisfies Record<string, readonly [number, string]>;

export interface WechatSimSettings {
  corpId: string;
  token: string;
  encodingAesKey: string;
  secret: string;
  openKfId: string;
  /** The account's name, shown on the phone. */
  accountName: string;
}

export interface WechatSimOptions extends Partial<WechatSimSettings> {
  /** Kefu's callback URL (`POST …/wecom/callback`). */
  callbackUrl: () => string;
  /** Pauses before the platform calls again after a failed callback. Default 1 s, 3 s, 9 s. */
  retryDelaysMs?: readonly number[];
}

/** One line of a customer's chat as their phone shows it. */
export interface SimMessage {
  msgid: string;
  from: 'customer' | 'kf';
  externalUserId: string;
  text: string;
  at: string;
}

/** What the platform did, newest last (shown on the phone page's log). */
export interface SimLogEntry {
  at: string;
  what: string;
  ok: boolean;
}

export interface WechatSim {
  settings: WechatSimSettings;
  /** Origin of the platform API (Kefu's KEFU_WECOM_API_BASE). */
  apiBase: string;
  /** A shopper's text: into the account's stream, then the callback. Resolves with its msgid and Kefu's answer status (0: no answer). */
  customerSays(externalUserId: string, text: string): Promise<{ msgid: string; callback: number }>;
  /** The same message (same msgid) once more in the stream, announced again: as the platform does after a lost answer. */
  redeliver(msgid: string): Promise<number>;
  /** One customer's chat, oldest first. */
  thread(externalUserId: string): SimMessage[];
  /** Every `send_msg` the platform accepted, oldest first. */
  sent(): readonly (SimMessage & { from: 'kf' })[];
  log(): readonly SimLogEntry[];
  /** Test knob: the next call of this API answers -1 (system busy), as the platform sometimes does. */
  failNext(api: 'sync_msg' | 'send_msg'): void;
  stop(): Promise<void>;
}

const alnum = (n: number) =>
  randomBytes(n * 2)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, n);

/** Fresh settings for a local account (a new Token and EncodingAESKey per run). */
export function localWechatSettings(): WechatSimSettings {
  return {
    corpId: 'wwkefulocal0000001',
    token: alnum(24),
    encodingAesKey: alnum(43),
    secret: `local-${alnum(24)}`,
    openKfId: 'wkKefuLocalShop0001',
    accountName: '演示店铺客服',
  };
}

const xmlField = (name: string, value: string) => `<${name}><![CDATA[${value}]]></${name}>`;

/** Starts the platform's API server and returns the platform. */
export async function startWechatSim(opts: WechatSimOptions): Promise<WechatSim> {
  const settings: WechatSimSettings = { ...localWechatSettings(), ...Object.fromEntries(Object.entries(opts).filter(([, v]) => typeof v === 'string')) };
  const retryDelays = opts.retryDelaysMs ?? [1000, 3000, 9000];
  const stream: KfMessage[] = [];
  const chats = new Map<string, SimMessage[]>();
  const windows = new Map<string, { lastAt: number; sends: number }>();
  const accessTokens = new Map<string, number>();
  const msgTokens = new Map<string, number>();
  const sentIds = new Set<string>();
  const sent: (SimMessage & { from: 'kf' })[] = [];
  const entries: SimLogEntry[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const failing = new Set<string>();
  let stopped = false;

  const note = (what: string, ok: boolean) => {
    entries.push({ at: new Date().toISOString(), what, ok });
    if (entries.length > 200) entries.shift();
  };
  const chatOf = (user: string) => chats.get(user) ?? (chats.set(user, []).get(user) as SimMessage[]);

  /** The encrypted `kf_msg_or_event` callback, posted to Kefu. */
  const callback = async (attempt = 0): Promise<number> => {
    const msgToken = `ENC${alnum(28)}`;
    msgTokens.set(msgToken, Date.now() + MSG_TOKEN_MS);
    const now = Math.floor(Date.now() / 1000);
    const inner =
      `<xml>${xmlField('ToUserName', settings.corpId)}<CreateTime>${now}</CreateTime>${xmlField('MsgType', 'event')}` +
      `${xmlField('Event', 'kf_msg_or_event')}${xmlField('Token', msgToken)}${xmlField('OpenKfId', settings.openKfId)}</xml>`;
    const enc = encrypt({ encodingAesKey: settings.encodingAesKey, receiveId: settings.corpId }, inner);
    const [timestamp, nonce] = [String(now), alnum(10)];
    const query = `msg_signature=${wecomSignature(settings.token, timestamp, nonce, enc)}&timestamp=${timestamp}&nonce=${nonce}`;
    let status = 0;
    try {
      const res = await fetch(`${opts.callbackUrl()}?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: `<xml>${xmlField('ToUserName', settings.corpId)}${xmlField('Encrypt', enc)}${xmlField('AgentID', '')}</xml>`,
        signal: AbortSignal.timeout(20_000),
      });
      status = res.status;
      const text = await res.text();
      if (res.ok && text.trim() !== 'success') status = 0;
    } catch {
      status = 0;
    }
    note(`回调 callback → ${status || '无应答 / no answer'}`, status === 200);
    const delay = retryDelays[attempt];
    if (status !== 200 && delay !== undefined && !stopped) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        void callback(attempt + 1);
      }, delay);
      timer.unref();
      timers.add(timer);
    }
    return status;
  };

  const customerSays = async (externalUserId: string, text: string) => {
    const now = Date.now();
    if (!chats.has(externalUserId)) {
      stream.push({
        msgid: alnum(32),
        open_kfid: settings.openKfId,
        external_userid: externalUserId,
        send_time: Math.floor(now / 1000),
        origin: 4,
        msgtype: 'event',
        event: { event_type: 'enter_session', open_kfid: settings.openKfId, external_userid: externalUserId, scene: 'kefu_local' },
      } as KfMessage);
    }
    const msgid = alnum(32);
    const message: KfMessage = {
      msgid,
      open_kfid: settings.openKfId,
      external_userid: externalUserId,
      send_time: Math.floor(now / 1000),
      origin: 3,
      msgtype: 'text',
      text: { content: text },
    };
    stream.push(message);
    chatOf(externalUserId).push({ msgid, from: 'customer', externalUserId, text, at: new Date(now).toISOString() });
    windows.set(externalUserId, { lastAt: now, sends: 0 });
    return { msgid, callback: await callback() };
  };

  const redeliver = async (msgid: string) => {
    const message = stream.find((m) => m.msgid === msgid);
    if (!message) throw new Error(`no message ${msgid}`);
    stream.push({ ...message });
    return callback();
  };

  /** An API call: the access token checked, the JSON body read, the answer JSON. */
  const api = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const url = new URL(req.url ?? '/', 'http://wechat-sim');
    const reply = (body: Record<string, unknown>) => res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    const fail = ([errcode, errmsg]: readonly [number, string], what: string) => {
      note(`${what} → ${errcode} ${errmsg}`, false);
      reply({ errcode, errmsg });
    };
    if (req.method === 'GET' && url.pathname === '/cgi-bin/gettoken') {
      if (url.searchParams.get('corpid') !== settings.corpId) return fail(ERR.corpid, 'gettoken');
      if (url.searchParams.get('corpsecret') !== settings.secret) return fail(ERR.secret, 'gettoken');
      const token = alnum(64);
      accessTokens.set(token, Date.now() + ACCESS_TOKEN_SECONDS * 1000);
      note('gettoken → ok', true);
      return reply({ errcode: 0, errmsg: 'ok', access_token: token, expires_in: ACCESS_TOKEN_SECONDS });
    }
    const path = url.pathname;
    if (req.method !== 'POST' || (path !== '/cgi-bin/kf/sync_msg' && path !== '/cgi-bin/kf/send_msg')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const what = path.slice('/cgi-bin/kf/'.length);
    if (failing.delete(what)) return fail(ERR.busy, what);
    const until = accessTokens.get(url.searchParams.get('access_token') ?? '');
    if (until === undefined) return fail(ERR.accessToken, what);
    if (until <= Date.now()) return fail(ERR.expired, what);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw || '{}') as Record<string, unknown>;
    } catch {
      return fail(ERR.param, what);
    }
    if (body.open_kfid !== settings.openKfId) return fail(ERR.openKfId, what);
    return what === 'sync_msg' ? syncMsg(body, reply, fail) : sendMsg(body, reply, fail);
  };

  type Reply = (body: Record<string, unknown>) => void;
  type Fail = (err: readonly [number, string], what: string) => void;

  const syncMsg = (body: Record<string, unknown>, reply: Reply, fail: Fail) => {
    if (body.token !== undefined) {
      const until = msgTokens.get(String(body.token));
      if (until === undefined || until <= Date.now()) return fail(ERR.msgToken, 'sync_msg');
    }
    const cursor = typeof body.cursor === 'string' && body.cursor ? body.cursor : undefined;
    const from = cursor ? Number(Buffer.from(cursor, 'base64url').toString('utf8').replace(/^kf:/, '')) : 0;
    if (!Number.isInteger(from) || from < 0 || from > stream.length) return fail(ERR.param, 'sync_msg');
    const limit = Math.min(1000, Math.max(1, Number(body.limit ?? 1000) || 1000));
    const page = stream.slice(from, from + limit);
    const next = from + page.length;
    note(`sync_msg → ${page.length} 条 / messages`, true);
    reply({
      errcode: 0,
      errmsg: 'ok',
      next_cursor: Buffer.from(`kf:${next}`).toString('base64url'),
      has_more: next < stream.length ? 1 : 0,
      msg_list: page,
    });
  };

  const sendMsg = (body: Record<string, unknown>, reply: Reply, fail: Fail) => {
    const touser = String(body.touser ?? '');
    const window = windows.get(touser);
    if (!window) return fail(ERR.touser, 'send_msg');
    if (body.msgtype !== 'text') return fail(ERR.msgtype, 'send_msg');
    const content = String((body.text as { content?: unknown } | undefined)?.content ?? '');
    if (!content.trim()) return fail(ERR.empty, 'send_msg');
    if (Buffer.byteLength(content, 'utf8') > 2048) return fail(ERR.tooLong, 'send_msg');
    const given = body.msgid === undefined ? undefined : String(body.msgid);
    if (given !== undefined && !/^[0-9A-Za-z_-]{1,32}$/.test(given)) return fail(ERR.param, 'send_msg');
    if (given && sentIds.has(given)) return fail(ERR.duplicate, 'send_msg');
    if (Date.now() - window.lastAt > WINDOW_MS) return fail(ERR.window, 'send_msg');
    if (window.sends >= SENDS_PER_MESSAGE) return fail(ERR.limit, 'send_msg');
    const msgid = given ?? alnum(32);
    sentIds.add(msgid);
    window.sends++;
    const line = { msgid, from: 'kf' as const, externalUserId: touser, text: content, at: new Date().toISOString() };
    chatOf(touser).push(line);
    sent.push(line);
    note('send_msg → ok', true);
    reply({ errcode: 0, errmsg: 'ok', msgid });
  };

  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      raw += chunk;
      if (raw.length > 1_000_000) req.destroy();
    });
    req.on('end', () => api(req, res, raw));
  });
  const port = await listenSticky(server, 'wechat-sim');

  return {
    settings,
    apiBase: `http://127.0.0.1:${port}`,
    customerSays,
    redeliver,
    thread: (externalUserId) => [...(chats.get(externalUserId) ?? [])],
    sent: () => sent,
    log: () => entries,
    failNext: (name) => void failing.add(name),
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await closeServer(server);
    },
  };
}
