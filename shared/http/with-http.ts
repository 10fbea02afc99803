import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { en, zhCN } from 'zod/locales';
import * as z from 'zod/mini';
import { type AuthKindOf, cors, functions, type HttpFunctionName, type HttpRoute, MAX_BODY_BYTES, routeKey } from '#infra/manifest.ts';
import { type Caller, hasRole, staffFromClaims } from '#shared/auth/caller.ts';
import { checkShopSignature } from '#shared/auth/hmac.ts';
import { verifyVisitorToken } from '#shared/auth/visitor-token.ts';
import { badRequest, forbidden, HttpError, payloadTooLarge, unauthorized, unsupportedMediaType } from '#shared/http/errors.ts';
import { logger } from '#shared/log.ts';
import { getShop } from '#shared/store/shops.ts';
import { zhOf, zhTypeNames } from './messages.ts';

z.config(en());

type Schema<T> = z.ZodMiniType<T>;

/** What a route accepts; also the source of its OpenAPI description. */
export interface HttpSpec<B, Q, P> {
  body?: Schema<B>;
  query?: Schema<Q>;
  params?: Schema<P>;
  /** Describes the success response for the OpenAPI document. */
  response?: z.ZodMiniType;
  /** Also accept `application/x-www-form-urlencoded` bodies (browser forms, RFC 8058 one-click). */
  form?: boolean;
  /** A browser page route: errors are rendered as this HTML instead of JSON. */
  errorPage?: (status: number, event: APIGatewayProxyEventV2) => string;
  /**
   * A non-JSON body the handler reads itself (`rawBody`, e.g. a platform's XML callback): only
   * these content types are accepted, and no JSON is parsed. Leave `body` unset.
   */
  rawBody?: RegExp;
}

export interface HttpRequest<B, Q, P, C extends Caller> {
  body: B;
  query: Q;
  params: P;
  caller: C;
  event: APIGatewayProxyEventV2;
  /** The body as UTF-8 text (what a `rawBody` route reads). */
  rawBody: string;
  requestId: string;
  sourceIp: string;
  now: Date;
}

export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A non-JSON body (an HTML page, a CSV file) sent as is; `headers` carries its content-type. */
  text?: string;
}

/** 200 with a JSON body. */
export const ok = (body: unknown, headers?: Record<string, string>): HttpResult => ({ status: 200, body, headers });
/** 201 with the created resource. */
export const created = (body: unknown): HttpResult => ({ status: 201, body });
/** 202: accepted for asynchronous processing. */
export const accepted = (body: unknown): HttpResult => ({ status: 202, body });
/** 204: done, nothing to say. */
export const noContent = (): HttpResult => ({ status: 204 });
/** 200 with a text body of the given content type (HTML pages, CSV downloads). */
export const textBody = (text: string, contentType: string, headers: Record<string, string> = {}): HttpResult => ({
  status: 200,
  text,
  headers: { 'content-type': contentType, ...headers },
});

const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

/** An HTML page for a browser (signed survey and unsubscribe links): never cached, framed or sniffed. */
export function htmlPage(status: number, html: string, csp = PAGE_CSP): HttpResult {
  return {
    status,
    text: html,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': csp,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
    },
  };
}

type CallerFor<A extends HttpRoute['auth']['kind']> = Extract<Caller, { kind: A }>;

export type KefuHttpHandler = ((event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>) & {
  /** The manifest function whose routes (and so whose caller kind) this handler serves. */
  functionName: HttpFunctionName;
  spec: HttpSpec<unknown, unknown, unknown>;
};

/** Field-level messages a developer can act on: `items.0.qty: Too small: expected number to be >0`. */
export function describeIssues(error: z.core.$ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}

/** The language a caller reads validation messages in (`Accept-Language`: zh… → zh-CN, else en). */
type MessageLang = 'zh-CN' | 'en';
const WHERE_ZH: Record<string, string> = { body: '请求内容', query: '查询参数', path: '路径参数' };
let zhErrors: ReturnType<typeof zhCN>['localeError'] | undefined;

function validate<T>(schema: Schema<T> | undefined, value: unknown, where: string, lang: MessageLang): T {
  if (!schema) return value as T;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = describeIssues(parsed.error);
  const enText = `invalid ${where}: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`;
  if (lang === 'zh-CN') {
    // The same issues in Chinese (zod's zh-CN locale, parsed again only on failure); `en` keeps the English.
    zhErrors ??= zhCN().localeError;
    const zh = schema.safeParse(value, { error: zhErrors });
    const zhFields = zh.success ? fields : describeIssues(zh.error);
    const localized = fields.map((f, i) => {
      const zhText = zhFields[i]?.message ?? f.message;
      return { path: f.path, message: zhOf(f.message) ?? zhOf(zhText) ?? zhTypeNames(zhText), en: f.message };
    });
    throw badRequest(
      { en: enText, zh: `${WHERE_ZH[where] ?? where}有误：${localized.map((f) => `${f.path}：${f.message}`).join('；')}` },
      { fields: localized },
    );
  }
  throw badRequest(enText, { fields });
}

function messageLang(event: APIGatewayProxyEventV2): MessageLang {
  return /^\s*zh/i.test(event.headers?.['accept-language'] ?? '') ? 'zh-CN' : 'en';
}

const NOT_UTF8 = 'the request body is not valid UTF-8: send text encoded as UTF-8';
const NOT_UTF8_ZH = '请求内容不是有效的 UTF-8，请以 UTF-8 编码发送文本';
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The body as text, refusing what is not UTF-8: bytes (base64 events) are decoded strictly, and a
 * text body with U+FFFD replacement characters is what invalid bytes became on the way in.
 */
function rawBodyOf(event: APIGatewayProxyEventV2): string {
  if (!event.body) return '';
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.byteLength > MAX_BODY_BYTES) throw payloadTooLarge(MAX_BODY_BYTES);
  if (!event.isBase64Encoded) {
    if (event.body.includes('\uFFFD') || !event.body.isWellFormed())
      throw badRequest({ en: `${NOT_UTF8} (invalid bytes arrive as U+FFFD replacement characters)`, zh: `${NOT_UTF8_ZH}（无效字节会变成 U+FFFD 替换字符）` });
    return event.body;
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw badRequest({ en: NOT_UTF8, zh: NOT_UTF8_ZH });
  }
}

/**
 * The first object key that appears twice in one object of a (valid) JSON text: JSON.parse keeps
 * the last silently, so a body could say one thing to a reviewer or a proxy and another to us.
 */
export function duplicateJsonKey(json: string): string | undefined {
  const objects: (Set<string> | undefined)[] = [];
  let expectKey = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22) {
      let end = i + 1;
      while (json.charCodeAt(end) !== 0x22) end += json.charCodeAt(end) === 0x5c ? 2 : 1;
      const keys = objects.at(-1);
      if (expectKey && keys) {
        const token = json.slice(i, end + 1);
        const key = token.includes('\\') ? (JSON.parse(token) as string) : token.slice(1, -1);
        if (keys.has(key)) return key;
        keys.add(key);
        expectKey = false;
      }
      i = end;
    } else if (c === 0x7b) {
      objects.push(new Set());
      expectKey = true;
    } else if (c === 0x5b) {
      objects.push(undefined);
      expectKey = false;
    } else if (c === 0x7d || c === 0x5d) {
      objects.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      expectKey = objects.at(-1) !== undefined;
    }
  }
  return undefined;
}

function parseBody(raw: string, contentType: string | undefined, form: boolean): unknown {
  if (raw.trim() === '') return undefined;
  if (form && contentType && /^application\/x-www-form-urlencoded\b/i.test(contentType)) {
    const fields = new URLSearchParams(raw);
    const names = [...fields.keys()];
    const repeated = names.find((name, i) => names.indexOf(name) !== i);
    if (repeated !== undefined)
      throw badRequest({
        en: `duplicate field "${repeated}" in the form body: send each field once`,
        zh: `表单内容中的字段 "${repeated}" 重复，每个字段只能发送一次`,
      });
    if ([...fields.values()].some((v) => v.includes('\uFFFD')))
      throw badRequest({ en: `${NOT_UTF8} (a percent-encoded value is not UTF-8)`, zh: `${NOT_UTF8_ZH}（有一个百分号编码的值不是 UTF-8）` });
    return Object.fromEntries(fields);
  }
  if (contentType && !/^application\/([\w.+-]*\+)?json\b/i.test(contentType)) throw unsupportedMediaType();
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw badRequest({ en: `malformed JSON body: ${(error as Error).message}`, zh: '请求内容不是格式正确的 JSON，无法解析' });
  }
  const repeated = duplicateJsonKey(raw);
  if (repeated !== undefined)
    throw badRequest({
      en: `duplicate key "${repeated}" in the JSON body: send each key once`,
      zh: `JSON 请求内容中的键 "${repeated}" 重复，每个键只能发送一次`,
    });
  return parsed;
}

/** Role names as the console shows them in Chinese. */
const ROLE_ZH: Record<string, string> = { agent: '客服', supervisor: '主管', marketing: '营销', admin: '管理员' };

function bearer(event: APIGatewayProxyEventV2): string | undefined {
  const header = event.headers?.authorization ?? event.headers?.Authorization;
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

async function authenticate(route: HttpRoute, event: APIGatewayProxyEventV2, rawBody: string, now: Date): Promise<Caller> {
  const auth = route.auth;
  switch (auth.kind) {
    case 'public':
      return { kind: 'public' };
    case 'staff': {
      const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer?.jwt?.claims;
      if (!claims?.sub) throw unauthorized();
      const staff = staffFromClaims(claims);
      if (!hasRole(staff, auth.roles))
        throw forbidden({
          en: `this action needs one of the roles: ${auth.roles.join(', ')}`,
          zh: `此操作需要以下角色之一：${auth.roles.map((r) => ROLE_ZH[r] ?? r).join('、')}`,
        });
      return staff;
    }
    case 'visitor': {
      const visitor = await verifyVisitorToken(bearer(event));
      if (!visitor)
        throw unauthorized({
          en: 'missing, expired or invalid widget session token; call POST /widget/session',
          zh: '客服窗口的会话令牌缺失、已过期或无效，请调用 POST /widget/session 重新获取',
        });
      return visitor;
    }
    case 'shop': {
      const shopId = event.headers?.['x-kefu-shop'];
      const shop = shopId ? await getShop(shopId) : undefined;
      const verdict = shop
        ? checkShopSignature(shop.webhookSecret, event.headers?.['x-kefu-timestamp'], event.headers?.['x-kefu-signature'], rawBody, now)
        : 'missing';
      if (verdict === 'missing')
        throw unauthorized({
          en: 'send x-kefu-shop, x-kefu-timestamp and x-kefu-signature headers',
          zh: '请发送 x-kefu-shop、x-kefu-timestamp 和 x-kefu-signature 请求头',
        });
      if (verdict === 'stale')
        throw unauthorized({
          en: 'x-kefu-timestamp is outside the 5-minute window; sign with the current time',
          zh: 'x-kefu-timestamp 超出 5 分钟的有效期，请用当前时间签名',
        });
      if (verdict === 'mismatch')
        throw unauthorized({
          en: 'signature mismatch: HMAC-SHA256(secret, `${timestamp}.${body}`) as hex',
          zh: '签名不匹配：签名应为 HMAC-SHA256(secret, `${timestamp}.${body}`) 的十六进制值',
        });
      return { kind: 'shop', shopId: shopId as string };
    }
  }
}

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return body === undefined
    ? { statusCode: status, headers }
    : { statusCode: status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

function toResponse(result: HttpResult, requestId: string): APIGatewayProxyStructuredResultV2 {
  if (result.text !== undefined) return { statusCode: result.status, headers: { ...result.headers, 'x-request-id': requestId }, body: result.text };
  return jsonResponse(result.status, result.body, { ...result.headers, 'x-request-id': requestId });
}

/** Maps domain errors (and anything unexpected) to responses in one place: JSON, or the route's error page. */
function errorMapper(
  errorPage: HttpSpec<unknown, unknown, unknown>['errorPage'],
): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: async (request) => {
      const error = request.error;
      const requestId = request.event.requestContext?.requestId ?? '';
      if (errorPage) {
        const status = error instanceof HttpError ? error.status : 500;
        if (status >= 500) logger.error('unhandled error', { routeKey: request.event.routeKey, requestId, errorName: error?.name, error: error ?? undefined });
        request.response = toResponse(htmlPage(status, errorPage(status, request.event)), requestId);
        return;
      }
      // A zh-CN caller reads the reason in Chinese when it has one; the English stays in `en`.
      const zh = messageLang(request.event) === 'zh-CN';
      const text = (en: string, zhText: string | undefined) => (zh && zhText ? { message: zhText, en } : { message: en });
      if (error instanceof HttpError) {
        request.response = jsonResponse(
          error.status,
          { error: error.code, ...text(error.message, error.zh), ...(error.details ? { details: error.details } : {}), requestId },
          { ...error.headers, 'x-request-id': requestId },
        );
        return;
      }
      logger.error('unhandled error', { routeKey: request.event.routeKey, requestId, errorName: error?.name, error: error ?? undefined });
      request.response = jsonResponse(
        500,
        { error: 'internal', ...text('internal error; quote the request id when reporting it', '服务器内部错误，报告问题时请提供请求编号'), requestId },
        { 'x-request-id': requestId },
      );
    },
  };
}

/**
 * The one HTTP wrapper every HTTP function uses: looks its route up in the manifest, enforces
 * the route's auth (staff roles, visitor session, shop signature), limits and parses the JSON
 * body, validates body/query/path with strict zod schemas, and maps errors to status codes.
 */
export function withHttp<N extends HttpFunctionName, B = undefined, Q = Record<string, never>, P = Record<string, never>>(
  name: N,
  spec: HttpSpec<B, Q, P>,
  fn: (request: HttpRequest<B, Q, P, CallerFor<AuthKindOf<N>>>) => Promise<HttpResult>,
): KefuHttpHandler {
  const own = functions.find((f) => f.name === name)?.http ?? [];
  if (own.length === 0) throw new Error(`withHttp: ${name} has no HTTP routes in infra/manifest.ts`);
  const base = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const requestId = event.requestContext?.requestId ?? '';
    const route = own.find((r) => routeKey(r) === event.routeKey);
    if (!route) throw new Error(`route ${event.routeKey} is not a route of ${name} in infra/manifest.ts`);
    const now = new Date();
    const rawBody = rawBodyOf(event);
    const caller = await authenticate(route, event, rawBody, now);
    if (spec.rawBody && rawBody !== '' && !spec.rawBody.test(event.headers?.['content-type'] ?? '')) {
      throw new HttpError(415, 'unsupported_media_type', {
        en: `send the body with a content type matching ${spec.rawBody.source}`,
        zh: `请以匹配 ${spec.rawBody.source} 的内容类型发送请求内容`,
      });
    }
    const json = spec.rawBody ? undefined : parseBody(rawBody, event.headers?.['content-type'], spec.form === true);
    if (!spec.body && json !== undefined) throw badRequest({ en: `${event.routeKey} takes no request body`, zh: `${event.routeKey} 不接受请求内容` });
    if (spec.body && json === undefined && !spec.body.safeParse(undefined).success)
      throw badRequest({ en: 'a JSON request body is required', zh: '需要 JSON 格式的请求内容' });
    const lang = messageLang(event);
    const body = validate(spec.body, json, 'body', lang);
    const query = validate(spec.query, event.queryStringParameters ?? {}, 'query', lang);
    const params = validate(spec.params, event.pathParameters ?? {}, 'path', lang);
    const result = await fn({
      body,
      query,
      params,
      caller: caller as CallerFor<AuthKindOf<N>>,
      event,
      rawBody,
      requestId,
      sourceIp: event.requestContext?.http?.sourceIp ?? '',
      now,
    });
    return toResponse(result, requestId);
  };
  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(
      httpCors({
        origin: cors.allowOrigins.join(','),
        methods: cors.allowMethods.join(','),
        headers: cors.allowHeaders.join(','),
        exposeHeaders: cors.exposeHeaders.join(','),
        maxAge: cors.maxAgeSeconds,
      }),
    )
    .use(errorMapper(spec.errorPage as HttpSpec<unknown, unknown, unknown>['errorPage']))
    .handler(base);
  return Object.assign(handler as unknown as KefuHttpHandler, { functionName: name, spec: spec as HttpSpec<unknown, unknown, unknown> });
}
