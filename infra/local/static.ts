import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { webSecurityHeaders } from '#infra/web-headers.ts';

/** URL prefixes served from web/dist (each an app folder of the same name). */
export const STATIC_APPS = ['widget', 'console', 'demo'] as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

async function fileSize(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

/** The security headers of the local web apps, whose API, WebSocket and attachment storage all live at `base` (the gateway). */
export function localWebHeaders(base: string): Record<string, string> {
  return webSecurityHeaders({ connect: [base, base.replace(/^http/, 'ws')], img: [base] });
}

/**
 * Serves the built web apps (`/widget/*`, `/console/*`, `/demo/*`) from `webRoot` with the same
 * security headers CloudFront sends (infra/web-headers.ts); a path without an extension falls back
 * to the app's index.html so client-side routes survive a reload.
 */
export async function serveStatic(webRoot: string, path: string, req: IncomingMessage, res: ServerResponse, base?: string): Promise<boolean> {
  const app = STATIC_APPS.find((name) => path === `/${name}` || path.startsWith(`/${name}/`));
  if (!app) return false;
  if (path === `/${app}`) {
    res.writeHead(301, { location: `/${app}/` });
    res.end();
    return true;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return false;
  }
  const appRoot = join(webRoot, app);
  const target = normalize(join(webRoot, decoded));
  if (target !== appRoot && !target.startsWith(appRoot + sep)) return false;
  const candidates = decoded.endsWith('/') ? [join(target, 'index.html')] : [target, join(target, 'index.html')];
  if (!extname(decoded)) candidates.push(join(appRoot, 'index.html'));
  for (const file of candidates) {
    const size = await fileSize(file);
    if (size === undefined) continue;
    res.writeHead(200, {
      ...localWebHeaders(base ?? `http://${req.headers.host ?? '127.0.0.1'}`),
      'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': size,
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
    return true;
  }
  const message = `Not found: ${decoded} (built web apps live in web/dist: run "npm run build:web")`;
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(message) });
  res.end(message);
  return true;
}
