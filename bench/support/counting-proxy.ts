/**
 * A loopback HTTP proxy for benchmarks: every request is read whole, handed to `handle` with a
 * `forward` function that sends it (possibly rewritten) to the target, and the answer is returned
 * as it came. The stack points its functions at the proxy (LocalStackOptions.routeThrough), so the
 * functions' real SDK calls over the real protocol pass through it and can be counted.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  /** Path and query. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface ProxiedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type Forward = (body?: string) => Promise<ProxiedResponse>;
export type ProxyHandler = (req: ProxiedRequest, forward: Forward) => Promise<ProxiedResponse>;

export interface CountingProxy {
  url: string;
  /** Sets where requests go (known only once the stack has started its services). */
  forwardTo(target: string): void;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding']);

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && !HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}

/** Starts a proxy on 127.0.0.1 (any free port); `handle` defaults to forwarding as is. */
export async function startCountingProxy(handle: ProxyHandler = (_req, forward) => forward()): Promise<CountingProxy> {
  let target = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const request: ProxiedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: headersOf(req),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const forward: Forward = async (body = request.body) => {
        if (!target) throw new Error('counting proxy: no target yet');
        const upstream = await fetch(`${target}${request.path}`, {
          method: request.method,
          headers: request.headers,
          ...(request.method === 'GET' || request.method === 'HEAD' ? {} : { body }),
        });
        const headers: Record<string, string> = {};
        upstream.headers.forEach((value, name) => {
          if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') headers[name] = value;
        });
        return { status: upstream.status, headers, body: await upstream.text() };
      };
      try {
        const out = await handle(request, forward);
        res.writeHead(out.status, out.headers);
        res.end(out.body);
      } catch (err) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`counting proxy: ${(err as Error).message}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwardTo: (t) => {
      target = t.replace(/\/$/, '');
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
