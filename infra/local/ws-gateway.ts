import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { type FunctionDef, functions as manifestFunctions } from '#infra/manifest.ts';
import { apiGatewayTime, apiRequestId, type SideHandler, sendJson } from './http-gateway.ts';
import type { Invoker } from './lambda.ts';

/** API Gateway WebSocket limits: 128 KB per message (client → server and PostToConnection). */
export const WS_MAX_MESSAGE_BYTES = 128 * 1024;
export const WS_PATH = '/ws';
export const LOCAL_WS_API_ID = 'kefuws0001';
const STAGE = 'local';

interface Connection {
  id: string;
  socket: WebSocket;
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
  userAgent: string;
  domainName: string;
}

export interface WsGatewayOptions {
  invoker: Invoker;
  functions?: readonly FunctionDef[];
  quiet?: boolean;
}

export interface WsGateway {
  /** Handles an HTTP upgrade on the shared gateway port (path /ws). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** The @connections management API (POST, GET, DELETE), with or without a stage prefix. */
  management: SideHandler;
  connectionIds(): string[];
  /** PostToConnection calls so far: delivered to a socket, or answered 410 Gone (benches and fan-out tests count these). */
  pushes(): { delivered: number; gone: number };
  /** Closes every socket (each fires $disconnect) and waits for the handlers. */
  close(): Promise<void>;
}

/** A connection id shaped like API Gateway's (12 base64 characters, e.g. `L0SM9cOFvHcCIhw=`). */
export function newConnectionId(): string {
  return randomBytes(8).toString('base64').replace(/\+/g, 'A').replace(/\//g, 'B');
}

function routeFunctions(fns: readonly FunctionDef[]): Map<string, FunctionDef> {
  const routes = new Map<string, FunctionDef>();
  for (const fn of fns) for (const key of fn.ws ?? []) routes.set(key, fn);
  return routes;
}

/** API Gateway's route selection on `$request.body.action`: the action's route if one exists, else $default. */
export function selectRoute(body: string, routes: ReadonlySet<string> | Map<string, unknown>): string {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const action = (parsed as { action?: unknown }).action;
      if (typeof action === 'string' && !action.startsWith('$') && routes.has(action)) return action;
    }
  } catch {
    return '$default';
  }
  return '$default';
}

/** The @connections path: `/@connections/{id}` or `/{stage}/@connections/{id}`. */
const MANAGEMENT_PATH = /^(?:\/[^/@]+)?\/@connections\/([^/]+)$/;

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};

function rejectUpgrade(socket: Duplex, status: number, body = ''): void {
  if (!socket.writable) return void socket.destroy();
  socket.write(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.destroy();
}

function isUtf8(data: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}

/** Emulates an API Gateway WebSocket API (Lambda proxy routes) and its @connections management API. */
export function createWsGateway(opts: WsGatewayOptions): WsGateway {
  const routes = routeFunctions(opts.functions ?? manifestFunctions);
  const connections = new Map<string, Connection>();
  const pending = new Set<Promise<unknown>>();
  const pushCount = { delivered: 0, gone: 0 };
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: WS_MAX_MESSAGE_BYTES,
    handleProtocols: (_protocols, req) => (req as IncomingMessage & { kefuProtocol?: string }).kefuProtocol ?? false,
  });
  const log = (line: string) => {
    if (!opts.quiet) console.log(`[kefu local] ${line}`);
  };

  function track<T>(promise: Promise<T>): Promise<T> {
    pending.add(promise);
    void promise.finally(() => pending.delete(promise));
    return promise;
  }

  function baseContext(conn: Pick<Connection, 'id' | 'connectedAt' | 'sourceIp' | 'userAgent' | 'domainName'>, routeKey: string) {
    const now = new Date();
    return {
      routeKey,
      extendedRequestId: apiRequestId(),
      requestTime: apiGatewayTime(now),
      messageDirection: 'IN' as const,
      stage: STAGE,
      connectedAt: conn.connectedAt,
      requestTimeEpoch: now.getTime(),
      identity: { sourceIp: conn.sourceIp, userAgent: conn.userAgent },
      requestId: apiRequestId(),
      domainName: conn.domainName,
      connectionId: conn.id,
      apiId: LOCAL_WS_API_ID,
    };
  }

  async function connect(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const info = {
      id: newConnectionId(),
      connectedAt: Date.now(),
      sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      userAgent: req.headers['user-agent'] ?? '',
      domainName: req.headers.host ?? '127.0.0.1',
    };
    const headers: Record<string, string> = {};
    const multiValueHeaders: Record<string, string[]> = {};
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i] ?? '';
      const value = req.rawHeaders[i + 1] ?? '';
      headers[name] = name in headers ? `${headers[name]},${value}` : value;
      (multiValueHeaders[name] ??= []).push(value);
    }
    const query: Record<string, string> = {};
    const multiQuery: Record<string, string[]> = {};
    for (const [name, value] of url.searchParams) {
      query[name] = value;
      (multiQuery[name] ??= []).push(value);
    }
    const hasQuery = url.searchParams.size > 0;
    const fn = routes.get('$connect');
    if (fn) {
      const event = {
        headers,
        multiValueHeaders,
        ...(hasQuery ? { queryStringParameters: query, multiValueQueryStringParameters: multiQuery } : {}),
        requestContext: { ...baseContext(info, '$connect'), eventType: 'CONNECT' as const },
        isBase64Encoded: false,
      };
      const outcome = await opts.invoker.invoke(fn, event);
      if (!outcome.ok) return rejectUpgrade(socket, outcome.kind === 'load' ? 502 : 500, JSON.stringify({ message: 'Internal server error' }));
      const result = outcome.value as { statusCode?: unknown; headers?: Record<string, unknown> } | null | undefined;
      const status = result && typeof result === 'object' && 'statusCode' in result ? Number(result.statusCode) : 200;
      if (!(status >= 200 && status < 300)) {
        log(`ws $connect rejected with ${status}`);
        return rejectUpgrade(socket, status);
      }
      const protocol = Object.entries(result?.headers ?? {}).find(([k]) => k.toLowerCase() === 'sec-websocket-protocol')?.[1];
      if (typeof protocol === 'string') (req as IncomingMessage & { kefuProtocol?: string }).kefuProtocol = protocol;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: Connection = { ...info, socket: ws, lastActiveAt: Date.now() };
      connections.set(conn.id, conn);
      log(`ws connected ${conn.id}`);
      ws.on('message', (data: RawData, isBinary: boolean) => {
        conn.lastActiveAt = Date.now();
        void track(message(conn, Buffer.isBuffer(data) ? data : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]), isBinary));
      });
      ws.on('close', (code: number, reason: Buffer) => {
        connections.delete(conn.id);
        void track(disconnect(conn, code, reason.toString('utf8')));
      });
      ws.on('error', (err) => log(`ws ${conn.id} error: ${err.message}`));
    });
  }

  async function message(conn: Connection, data: Buffer, isBinary: boolean): Promise<void> {
    const body = isBinary ? data.toString('base64') : data.toString('utf8');
    const key = isBinary ? '$default' : selectRoute(body, routes);
    const fn = routes.get(key);
    const requestContext = { ...baseContext(conn, key), messageId: apiRequestId(), eventType: 'MESSAGE' as const };
    if (!fn) {
      conn.socket.send(JSON.stringify({ message: 'Forbidden', connectionId: conn.id, requestId: requestContext.requestId }));
      return;
    }
    const outcome = await opts.invoker.invoke(fn, { requestContext, body, isBase64Encoded: isBinary });
    if (!outcome.ok && conn.socket.readyState === WebSocket.OPEN) {
      conn.socket.send(JSON.stringify({ message: 'Internal server error', connectionId: conn.id, requestId: requestContext.requestId }));
    }
  }

  async function disconnect(conn: Connection, code: number, reason: string): Promise<void> {
    log(`ws disconnected ${conn.id} (${code})`);
    const fn = routes.get('$disconnect');
    if (!fn) return;
    const headers = { Host: conn.domainName, 'x-api-key': '', 'X-Forwarded-For': '', 'x-restapi': '' };
    await opts.invoker.invoke(fn, {
      headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      requestContext: {
        ...baseContext(conn, '$disconnect'),
        eventType: 'DISCONNECT' as const,
        disconnectStatusCode: code,
        disconnectReason: reason || (code === 1005 ? 'Client-side close frame status not set' : ''),
      },
      isBase64Encoded: false,
    });
  }

  const management: SideHandler = async (req, res: ServerResponse, body) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const match = MANAGEMENT_PATH.exec(path);
    if (!match?.[1]) return false;
    const id = decodeURIComponent(match[1]);
    const conn = connections.get(id);
    const gone = () => sendJson(res, 410, { message: null }, { 'x-amzn-errortype': 'GoneException', 'x-amzn-requestid': randomUUID() });
    if (!conn || conn.socket.readyState !== WebSocket.OPEN) {
      if (req.method === 'POST') pushCount.gone++;
      gone();
      return true;
    }
    switch (req.method) {
      case 'POST':
        if (body.length > WS_MAX_MESSAGE_BYTES) {
          sendJson(res, 413, { message: 'Message too long' }, { 'x-amzn-errortype': 'PayloadTooLargeException' });
          return true;
        }
        conn.socket.send(body, { binary: !isUtf8(body) });
        pushCount.delivered++;
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 0 });
        res.end();
        return true;
      case 'GET':
        sendJson(res, 200, {
          connectedAt: new Date(conn.connectedAt).toISOString(),
          identity: { sourceIp: conn.sourceIp, userAgent: conn.userAgent },
          lastActiveAt: new Date(conn.lastActiveAt).toISOString(),
        });
        return true;
      case 'DELETE':
        conn.socket.close(1000, 'Going away');
        res.writeHead(204);
        res.end();
        return true;
      default:
        sendJson(res, 405, { message: 'Method Not Allowed' });
        return true;
    }
  };

  return {
    handleUpgrade(req, socket, head) {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== WS_PATH) return rejectUpgrade(socket, 404, JSON.stringify({ message: 'Not Found' }));
      track(connect(req, socket, head)).catch((err: unknown) => {
        console.error(`[kefu local] ws upgrade failed: ${(err as Error).stack ?? String(err)}`);
        rejectUpgrade(socket, 500);
      });
    },
    management,
    connectionIds: () => [...connections.keys()],
    pushes: () => ({ ...pushCount }),
    async close() {
      for (const conn of connections.values()) conn.socket.close(1001, 'Going away');
      const deadline = Date.now() + 2000;
      while (connections.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      for (const conn of connections.values()) conn.socket.terminate();
      while (pending.size > 0) await Promise.allSettled([...pending]);
      wss.close();
    },
  };
}
