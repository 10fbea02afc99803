/**
 * The three WeCom API calls WeChat customer service needs, as the platform documents them:
 * `GET /cgi-bin/gettoken?corpid&corpsecret` (an access token, cached until shortly before it
 * expires), `POST /cgi-bin/kf/sync_msg` (pull messages after a callback: cursor, the callback's
 * token, open_kfid) and `POST /cgi-bin/kf/send_msg` (reply to a customer). The origin is
 * configurable (KEFU_WECOM_API_BASE) so tests run them against a local simulator.
 */
import { type Config, config } from '#shared/config.ts';

export const WECOM_API = 'https://qyapi.weixin.qq.com';
/** Per-call limit: the callback has to be answered within five seconds. */
const CALL_TIMEOUT_MS = 4000;

/** An API answer with errcode ≠ 0, or no answer. `retry` when trying again later may succeed. */
export class WecomApiError extends Error {
  override readonly name = 'WecomApiError';
  readonly errcode: number;
  readonly retry: boolean;
  constructor(message: string, errcode: number, retry: boolean) {
    super(message);
    this.errcode = errcode;
    this.retry = retry;
  }
}

/** One message of `sync_msg` (text kept; other kinds are named by `msgtype`). */
export interface KfMessage {
  msgid: string;
  open_kfid: string;
  external_userid?: string;
  send_time: number;
  /** 3 = from the WeChat customer, 4 = system event, 5 = a servicer in the WeCom app. */
  origin: number;
  msgtype: string;
  text?: { content: string };
}

export interface SyncPage {
  next_cursor: string;
  has_more: boolean;
  msg_list: KfMessage[];
}

export interface WecomApi {
  syncMsg(req: { cursor?: string; token?: string; open_kfid: string; limit?: number }): Promise<SyncPage>;
  sendText(req: { touser: string; open_kfid: string; msgid: string; content: string }): Promise<{ msgid?: string }>;
}

/** errcodes worth another try: system busy, access token expired/invalid (a fresh one is fetched), rate limits. */
const RETRYABLE = new Set([-1, 40014, 42001, 45009, 45033]);
const TOKEN_ERRORS = new Set([40014, 42001]);

interface Cached {
  token: string;
  until: number;
}

/** The API client of this configuration, or undefined without corp id and Secret. */
export function wecomApi(cfg: Config = config(), fetchImpl: typeof fetch = fetch): WecomApi | undefined {
  if (!cfg.KEFU_WECOM_CORP_ID || !cfg.KEFU_WECOM_SECRET) return undefined;
  const base = cfg.KEFU_WECOM_API_BASE ?? WECOM_API;
  const corpId = cfg.KEFU_WECOM_CORP_ID;
  const secret = cfg.KEFU_WECOM_SECRET;
  let cached: Cached | undefined;

  const call = async (path: string, init?: { body: unknown }): Promise<Record<string, unknown>> => {
    let res: Response;
    try {
      res = await fetchImpl(`${base}${path}`, {
        method: init ? 'POST' : 'GET',
        ...(init ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) } : {}),
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
    } catch (error) {
      throw new WecomApiError(`wecom ${path.split('?')[0]}: ${(error as Error).name}`, -1, true);
    }
    if (!res.ok) throw new WecomApiError(`wecom ${path.split('?')[0]}: HTTP ${res.status}`, -1, res.status >= 500 || res.status === 429);
    const json = (await res.json().catch(() => ({ errcode: -1, errmsg: 'not JSON' }))) as Record<string, unknown>;
    const errcode = Number(json.errcode ?? 0);
    if (errcode !== 0)
      throw new WecomApiError(`wecom ${path.split('?')[0]}: ${errcode} ${String(json.errmsg ?? '')}`.slice(0, 300), errcode, RETRYABLE.has(errcode));
    return json;
  };

  const accessToken = async (): Promise<string> => {
    if (cached && cached.until > Date.now()) return cached.token;
    const json = await call(`/cgi-bin/gettoken?corpid=${encodeURIComponent(corpId)}&corpsecret=${encodeURIComponent(secret)}`);
    const token = String(json.access_token ?? '');
    if (!token) throw new WecomApiError('wecom gettoken: no access_token', -1, true);
    cached = { token, until: Date.now() + Math.max(60, Number(json.expires_in ?? 7200) - 300) * 1000 };
    return token;
  };

  /** A call with the access token; an expired token is replaced once. */
  const authed = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    try {
      return await call(`${path}?access_token=${encodeURIComponent(await accessToken())}`, { body });
    } catch (error) {
      if (!(error instanceof WecomApiError) || !TOKEN_ERRORS.has(error.errcode)) throw error;
      cached = undefined;
      return call(`${path}?access_token=${encodeURIComponent(await accessToken())}`, { body });
    }
  };

  return {
    async syncMsg(req) {
      const json = await authed('/cgi-bin/kf/sync_msg', {
        ...(req.cursor ? { cursor: req.cursor } : {}),
        ...(req.token ? { token: req.token } : {}),
        limit: req.limit ?? 1000,
        open_kfid: req.open_kfid,
      });
      return {
        next_cursor: String(json.next_cursor ?? ''),
        has_more: json.has_more === 1 || json.has_more === true,
        msg_list: Array.isArray(json.msg_list) ? (json.msg_list as KfMessage[]) : [],
      };
    },
    async sendText(req) {
      const json = await authed('/cgi-bin/kf/send_msg', {
        touser: req.touser,
        open_kfid: req.open_kfid,
        msgid: req.msgid,
        msgtype: 'text',
        text: { content: req.content },
      });
      return typeof json.msgid === 'string' ? { msgid: json.msgid } : {};
    },
  };
}

let current: { cfg: Config; api: WecomApi | undefined } | undefined;

/** This container's client (its access token cached across invocations); rebuilt when the configuration is. */
export function currentWecomApi(cfg: Config = config()): WecomApi | undefined {
  if (current?.cfg !== cfg) current = { cfg, api: wecomApi(cfg) };
  return current.api;
}

/** The callback keys of this configuration (Token, EncodingAESKey, corp id), or undefined when any is missing. */
export function wecomKeys(cfg: Config = config()): { token: string; encodingAesKey: string; receiveId: string } | undefined {
  if (!cfg.KEFU_WECOM_TOKEN || !cfg.KEFU_WECOM_AES_KEY || !cfg.KEFU_WECOM_CORP_ID) return undefined;
  return { token: cfg.KEFU_WECOM_TOKEN, encodingAesKey: cfg.KEFU_WECOM_AES_KEY, receiveId: cfg.KEFU_WECOM_CORP_ID };
}
