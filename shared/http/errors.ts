/**
 * Domain errors carry the HTTP status they map to; the HTTP wrapper is the one place that turns
 * them into responses, so handlers never build 4xx bodies themselves.
 *
 * Their text is bilingual: pass `{ en, zh }` (or an English text registered with `msg(en, zh)`)
 * and with-http answers a zh-CN caller in Chinese, with the English kept as `en` — so a Chinese
 * screen that shows the server's reason never shows English.
 */
import { zhOf } from './messages.ts';

/** An error text in both languages, or English alone (then its Chinese comes from `msg`, if registered). */
export type ErrorText = string | { en: string; zh: string };

export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly headers: Record<string, string>;
  /** The Chinese text, when known. */
  readonly zh: string | undefined;

  constructor(status: number, code: string, message: ErrorText, details?: unknown, headers: Record<string, string> = {}) {
    super(typeof message === 'string' ? message : message.en);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
    this.zh = typeof message === 'string' ? zhOf(message) : message.zh;
  }
}

/** What a 404 names, in Chinese (`notFound('ticket')` → 工单不存在). */
const NOUN_ZH: Record<string, string> = {
  article: '帮助文章',
  campaign: '营销活动',
  contact: '联系人',
  'contact to merge': '要合并的联系人',
  conversation: '会话',
  customer: '顾客',
  delivery: '推送记录',
  digest: '日报',
  export: '导出任务',
  'follow-up': '跟进',
  inspection: '质检记录',
  macro: '快捷回复',
  member: '会员',
  'practice session': '练习',
  'privacy task': '隐私任务',
  resource: '资源',
  response: '问卷回答',
  scenario: '情景',
  segment: '人群',
  shop: '店铺',
  suppression: '该地址的退信或投诉记录',
  survey: '问卷',
  'target contact': '目标联系人',
  ticket: '工单',
  tier: '会员等级',
};

/** 400: the request is malformed or fails validation. */
export const badRequest = (message: ErrorText, details?: unknown) => new HttpError(400, 'bad_request', message, details);
/** 401: no or invalid credentials. */
export const unauthorized = (message: ErrorText = { en: 'missing or invalid credentials', zh: '未登录或登录已失效，请重新登录' }) =>
  new HttpError(401, 'unauthorized', message);
/** 403: authenticated, but the role does not allow this. */
export const forbidden = (message: ErrorText = { en: 'your role does not allow this action', zh: '您的角色无权执行此操作' }) =>
  new HttpError(403, 'forbidden', message);
/** 404: absent, or not visible to this caller (never reveal which). */
export const notFound = (what = 'resource') =>
  new HttpError(404, 'not_found', NOUN_ZH[what] ? { en: `${what} not found`, zh: `${NOUN_ZH[what]}不存在` } : `${what} not found`);
/** 409: a concurrent change won, or a uniqueness rule was hit. */
export const conflict = (message: ErrorText, details?: unknown) => new HttpError(409, 'conflict', message, details);
/** 413: body over the size limit. */
export const payloadTooLarge = (limit: number) =>
  new HttpError(413, 'payload_too_large', { en: `request body exceeds ${limit} bytes`, zh: `请求内容超过 ${limit} 字节的上限` });
/** 415: body is not JSON. */
export const unsupportedMediaType = () =>
  new HttpError(415, 'unsupported_media_type', { en: 'send the body as application/json', zh: '请以 application/json 格式发送请求内容' });
/** 429: rate limit hit; the caller should retry after the given seconds. */
export const tooManyRequests = (retryAfterSeconds: number) =>
  new HttpError(
    429,
    'rate_limited',
    { en: `too many requests; retry after ${retryAfterSeconds} s`, zh: `请求过于频繁，请 ${retryAfterSeconds} 秒后再试` },
    undefined,
    {
      'retry-after': String(retryAfterSeconds),
    },
  );
