import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayEventRequestContextJWTAuthorizer, APIGatewayProxyEventV2 } from 'aws-lambda';
import { type FunctionDef, type HttpRoute, cors as manifestCors, functions as manifestFunctions, routeKey } from '#infra/manifest.ts';
import { loadOpenApi, renderDocs } from './docs.ts';
import type { LocalIssuer } from './issuer.ts';
import { type Invoker, LOCAL_ACCOUNT_ID } from './lambda.ts';
import { serveStatic } from './static.ts';

/** API Gateway's hard limit on a request payload. */
export const API_GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;
export const LOCAL_API_ID = 'kefulocal1';

export type CorsConfig = typeof manifestCors;

/** Extra request handlers sharing the gateway port (the WebSocket management API); true when handled. */
export type SideHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<boolean>;

export interface HttpGatewayOptions {
  invoker: Invoker;
  issuer: LocalIssuer;
  /** Base URL the gateway is reachable at (set once the port is known). */
  baseUrl: () => string;
  functions?: readonly FunctionDef[];
  cors?: CorsConfig;
  /** Folder with the built web apps (web/dist). */
  webRoot: string;
  sideHandlers?: readonly SideHandler[];
  quiet?: boolean;
}

type Segment = { kind: 'static'; value: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

interface CompiledRoute {
  fn: FunctionDef;
  route: HttpRoute;
  segments: Segment[];
}

export interface RouteMatch {
  fn: FunctionDef;
  route: HttpRoute;
  pathParameters: Record<string, string>;
}

function compile(fn: FunctionDef, route: HttpRoute): CompiledRoute {
  const segments = route.path
    .split('/')
    .filter(Boolean)
    .map((part): Segment => {
      const greedy = /^\{(.+)\+\}$/.exec(part);
      if (greedy?.[1]) return { kind: 'greedy', name: greedy[1] };
      const param = /^\{(.+)\}$/.exec(part);
      if (param?.[1]) return { kind: 'param', name: param[1] };
      return { kind: 'static', value: part };
    });
  return { fn, route, segments };
}

const RANK = { static: 0, param: 1, greedy: 2 } as const;

/**
 * API Gateway v2 route selection: the most specific route wins, segment by segment
 * (a literal beats `{param}`, which beats a greedy `{proxy+}`).
 */
export function createRouter(fns: readonly FunctionDef[]): (method: string, path: string) => RouteMatch | undefined {
  const compiled = fns.flatMap((fn) => (fn.http ?? []).map((route) => compile(fn, route)));
  return (method, path) => {
    const parts = path.split('/').filter(Boolean);
    const candidates: { route: CompiledRoute; params: Record<string, string>; rank: number[] }[] = [];
    for (const route of compiled) {
      if (route.route.method !== method) continue;
      const params = matchSegments(route.segments, parts);
      if (params) candidates.push({ route, params, rank: route.segments.map((s) => RANK[s.kind]) });
    }
    candidates.sort((a, b) => compareRank(a.rank, b.rank));
    const best = candidates[0];
    return best && { fn: best.route.fn, route: best.route.route, pathParameters: best.params };
  };
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? -1) - (b[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const part = parts[i];
    if (!segment) return undefined;
    if (segment.kind === 'greedy') {
      if (i >= parts.length) return undefined;
      params[segment.name] = parts.slice(i).map(safeDecode).join('/');
      return params;
    }
    if (part === undefined) return undefined;
    if (segment.kind === 'static' && segment.value !== part) return undefined;
    if (segment.kind === 'param') params[segment.name] = safeDecode(part);
  }
  return segments.length === parts.length ? params : undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * API Gateway passes text bodies as they are and base64-encodes everything else
 * (HTTP APIs also base64-encode form posts and bodies without a content type).
 */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/javascript' ||
    type === 'application/graphql'
  );
}

/**
 * How the HTTP API JWT authorizer hands claims to the integration (payload 2.0): every value is
 * a string; an array becomes `[a b c]` (so `cognito:groups` arrives as "[agent supervisor]").
 */
export function authorizerClaims(payload: Record<string, unknown>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) claims[name] = `[${value.map(String).join(' ')}]`;
    else if (typeof value === 'object') claims[name] = JSON.stringify(value);
    else claims[name] = String(value);
  }
  return claims;
}

/** API Gateway's `requestContext.time` format: 12/Mar/2020:19:03:58 +0000. */
export function apiGatewayTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )}:${pad(date.getUTCSeconds())} +0000`;
}

/** An API Gateway-style request id (base64-ish, like `JKJaXmPLvHcESHA=`). */
export function apiRequestId(): string {
  return randomBytes(10).toString('base64').replace(/[+/]/g, 'A');
}

/** Reads a request body, refusing it (413) once it passes API Gateway's 10 MB limit. */
export function readBody(req: IncomingMessage, limit = API_GATEWAY_MAX_BODY_BYTES): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      return resolve('too-large');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Writes a JSON response. */
export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sourceIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
}

/** Lower-cased request headers, repeated ones joined with commas, as an HTTP API delivers them. */
function eventHeaders(req: IncomingMessage, requestId: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (name === 'cookie' || !values) continue;
    headers[name] = values.join(',');
  }
  headers['x-forwarded-for'] ??= sourceIp(req);
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= String(req.socket.localPort ?? '');
  headers['x-amzn-trace-id'] ??= `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${requestId
    .replace(/[^a-z0-9]/gi, '')
    .padEnd(24, '0')
    .slice(0, 24)
    .toLowerCase()}`;
  return headers;
}

function queryParameters(rawQuery: string): Record<string, string> | undefined {
  if (!rawQuery) return undefined;
  const params: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQuery)) {
    params[name] = name in params ? `${params[name]},${value}` : value;
  }
  return params;
}

function cookies(req: IncomingMessage): string[] | undefined {
  const raw = req.headersDistinct.cookie;
  if (!raw?.length) return undefined;
  return raw
    .flatMap((line) => line.split(';'))
    .map((c) => c.trim())
    .filter(Boolean);
}

export interface BuildEventInput {
  req: IncomingMessage;
  body: Buffer;
  match: RouteMatch;
  requestId: string;
  authorizer?: APIGatewayEventRequestContextJWTAuthorizer;
}

/** The APIGatewayProxyEventV2 (payload format 2.0) an HTTP API sends for this request. */
export function buildHttpEvent({ req, body, match, requestId, authorizer }: BuildEventInput): APIGatewayProxyEventV2 {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const rawQueryString = q === -1 ? '' : url.slice(q + 1);
  const now = new Date();
  const host = req.headers.host ?? '127.0.0.1';
  const key = routeKey(match.route);
  const headers = eventHeaders(req, requestId);
  const text = isTextContentType(req.headers['content-type']);
  const queryStringParameters = queryParameters(rawQueryString);
  const cookieList = cookies(req);
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: key,
    rawPath,
    rawQueryString,
    ...(cookieList ? { cookies: cookieList } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: LOCAL_API_ID,
      ...(authorizer ? { authorizer } : {}),
      domainName: host,
      domainPrefix: host.split('.')[0]?.split(':')[0] ?? host,
      http: {
        method: req.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: sourceIp(req),
        userAgent: req.headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: key,
      stage: '$default',
      time: apiGatewayTime(now),
      timeEpoch: now.getTime(),
    },
    ...(Object.keys(match.pathParameters).length ? { pathParameters: match.pathParameters } : {}),
    ...(body.length ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !text,
  };
  return event;
}

interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

/**
 * Maps a handler's return value as the HTTP API does (payload 2.0): an object with `statusCode`
 * is a structured response; anything else is a 200 JSON body. Values pass through JSON like
 * the Lambda runtime serialises them.
 */
export function mapResult(value: unknown): HttpResult {
  const serialised = JSON.stringify(value);
  const result: unknown = serialised === undefined ? null : JSON.parse(serialised);
  if (result && typeof result === 'object' && !Array.isArray(result) && 'statusCode' in result) {
    const r = result as { statusCode: unknown; headers?: unknown; body?: unknown; isBase64Encoded?: unknown; cookies?: unknown };
    const statusCode = Number(r.statusCode);
    if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) throw new Error(`invalid statusCode ${String(r.statusCode)}`);
    const headers: Record<string, string> = {};
    if (r.headers && typeof r.headers === 'object') {
      for (const [name, v] of Object.entries(r.headers)) headers[name.toLowerCase()] = String(v);
    }
    const raw = typeof r.body === 'string' ? r.body : r.body === undefined || r.body === null ? '' : JSON.stringify(r.body);
    const body = r.isBase64Encoded === true ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
    const cookieList = Array.isArray(r.cookies) ? r.cookies.map(String) : [];
    return { statusCode, headers, cookies: cookieList, body };
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    cookies: [],
    body: Buffer.from(typeof result === 'string' ? result : JSON.stringify(result), 'utf8'),
  };
}

/** CORS response headers API Gateway adds to an actual (non-preflight) request with an Origin. */
function corsHeaders(cors: CorsConfig, origin: string | undefined): Record<string, string> {
  if (!origin) return {};
  const allowed = cors.allowOrigins.includes('*') ? '*' : cors.allowOrigins.includes(origin) ? origin : undefined;
  if (!allowed) return {};
  return {
    'access-control-allow-origin': allowed,
    ...(cors.exposeHeaders.length ? { 'access-control-expose-headers': cors.exposeHeaders.join(',') } : {}),
    ...(allowed !== '*' ? { vary: 'Origin' } : {}),
  };
}

/** API Gateway's answer to a CORS preflight when the API has a CORS configuration. */
function preflight(cors: CorsConfig, req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  const method = String(req.headers['access-control-request-method'] ?? '').toUpperCase();
  const requested = String(req.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const allowedHeaders = cors.allowHeaders.map((h) => h.toLowerCase());
  const originOk = origin !== undefined && (cors.allowOrigins.includes('*') || cors.allowOrigins.includes(origin));
  const methodOk = (cors.allowMethods as readonly string[]).includes(method) || (cors.allowMethods as readonly string[]).includes('*');
  const headersOk = allowedHeaders.includes('*') || requested.every((h) => allowedHeaders.includes(h));
  const headers: Record<string, string> = {};
  if (originOk && methodOk && headersOk) {
    Object.assign(headers, {
      'access-control-allow-origin': cors.allowOrigins.includes('*') ? '*' : (origin ?? ''),
      'access-control-allow-methods': cors.allowMethods.join(','),
      'access-control-allow-headers': cors.allowHeaders.join(','),
      'access-control-max-age': String(cors.maxAgeSeconds),
    });
  }
  res.writeHead(204, headers);
  res.end();
}

type AuthResult = { ok: true; authorizer: APIGatewayEventRequestContextJWTAuthorizer } | { ok: false; description: string };

/**
 * What the HTTP API JWT authorizer does: Bearer token, signature, iss, exp (required, not past),
 * iat (required, not in the future beyond a small skew), and aud or client_id.
 */
async function authorize(issuer: LocalIssuer, req: IncomingMessage): Promise<AuthResult> {
  const header = req.headers.authorization;
  if (!header) return { ok: false, description: 'no token' };
  const token = header.replace(/^Bearer\s+/i, '').trim();
  let payload: Record<string, unknown>;
  try {
    payload = await issuer.verify(token);
  } catch (err) {
    const { code, claim, reason } = err as { code?: string; claim?: string; reason?: string };
    if (code === 'ERR_JWT_EXPIRED') return { ok: false, description: 'the token has expired' };
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim) {
      return { ok: false, description: reason === 'missing' ? `the token has no ${claim} claim` : `the token's ${claim} claim is not valid now` };
    }
    return { ok: false, description: 'invalid token' };
  }
  const aud = payload.aud;
  const audiences = Array.isArray(aud) ? aud : aud === undefined ? [] : [aud];
  if (!audiences.includes(issuer.audience) && payload.client_id !== issuer.audience) {
    return { ok: false, description: 'invalid audience' };
  }
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : null;
  return { ok: true, authorizer: { jwt: { claims: authorizerClaims(payload), scopes } } };
}

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** The API Gateway HTTP API emulation plus the local-only routes (issuer, web apps, config, docs). */
export function createHttpGateway(opts: HttpGatewayOptions): RequestListener {
  const fns = opts.functions ?? manifestFunctions;
  const cors = opts.cors ?? manifestCors;
  const route = createRouter(fns);
  const log = (line: string) => {
    if (!opts.quiet) console.log(`[kefu local] ${line}`);
  };

  async function invokeRoute(req: IncomingMessage, res: ServerResponse, body: Buffer, match: RouteMatch): Promise<void> {
    const requestId = apiRequestId();
    const base = { ...corsHeaders(cors, req.headers.origin), 'apigw-requestid': requestId };
    let authorizer: APIGatewayEventRequestContextJWTAuthorizer | undefined;
    if (match.route.auth.kind === 'staff') {
      const auth = await authorize(opts.issuer, req);
      if (!auth.ok) {
        return sendJson(
          res,
          401,
          { message: 'Unauthorized' },
          {
            ...base,
            'www-authenticate': `Bearer scope="" error="invalid_token" error_description="${auth.description}"`,
          },
        );
      }
      authorizer = auth.authorizer;
    }
    const event = buildHttpEvent({ req, body, match, requestId, ...(authorizer ? { authorizer } : {}) });
    const outcome = await opts.invoker.invoke(match.fn, event);
    if (!outcome.ok) {
      if (outcome.kind === 'load') {
        return sendJson(res, 502, { message: 'Bad Gateway', local: `function ${match.fn.name} failed to load: ${outcome.error.message}` }, base);
      }
      return sendJson(res, 500, { message: 'Internal Server Error' }, base);
    }
    let result: HttpResult;
    try {
      result = mapResult(outcome.value);
    } catch (err) {
      console.error(`[kefu local] function ${match.fn.name} returned an invalid response: ${(err as Error).message}`);
      return sendJson(res, 500, { message: 'Internal Server Error' }, base);
    }
    const headers: Record<string, string | string[]> = { ...result.headers, ...base, 'content-length': String(result.body.length) };
    if (result.cookies.length) headers['set-cookie'] = result.cookies;
    res.writeHead(result.statusCode, headers);
    res.end(result.body);
  }

  async function localRoutes(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const base = opts.baseUrl();
    if (path === '/') {
      res.writeHead(302, { location: '/demo/' });
      res.end();
      return true;
    }
    if (path === '/config.json') {
      sendJson(
        res,
        200,
        {
          apiUrl: base,
          wsUrl: `${base.replace(/^http/, 'ws')}/ws`,
          auth: { kind: 'local', loginUrl: `${base}/auth/login` },
          demoIdentityUrl: `${base}/demo-shop/identity`,
        },
        { 'cache-control': 'no-store' },
      );
      return true;
    }
    if (path === '/openapi.json') {
      const doc = await loadOpenApi(base);
      if (!doc) sendJson(res, 404, { message: 'Not Found', local: 'shared/http/openapi.ts does not exist yet' });
      else sendJson(res, 200, doc);
      return true;
    }
    if (path === '/docs' || path === '/docs/') {
      const html = renderDocs(await loadOpenApi(base), fns);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
      res.end(req.method === 'HEAD' ? undefined : html);
      return true;
    }
    return serveStatic(opts.webRoot, path, req, res, base);
  }

  return (req, res) => {
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const handle = async () => {
      const body = await readBody(req);
      if (body === 'too-large') {
        res.setHeader('connection', 'close');
        return sendJson(res, 413, { message: 'Request Entity Too Large' });
      }
      for (const side of opts.sideHandlers ?? []) if (await side(req, res, body)) return;
      if (req.method === 'OPTIONS') return preflight(cors, req, res);
      const match = route(req.method ?? 'GET', path);
      if (match) {
        await invokeRoute(req, res, body, match);
        log(`${req.method} ${path} → ${res.statusCode} ${Math.round(performance.now() - started)} ms (${match.fn.name})`);
        return;
      }
      for (const [name, value] of Object.entries(corsHeaders(cors, req.headers.origin))) res.setHeader(name, value);
      if (await opts.issuer.handle(req, res, body)) return;
      if (await localRoutes(req, res, path)) return;
      sendJson(res, 404, { message: 'Not Found' });
    };
    handle().catch((err: unknown) => {
      console.error(`[kefu local] ${req.method} ${path}: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal Server Error' });
      else res.destroy();
    });
  };
}
