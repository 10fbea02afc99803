import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type FunctionDef, type HttpMethod, type RouteAuth, routeKey } from '#infra/manifest.ts';
import { REPO_ROOT } from './lambda.ts';

type Json = Record<string, unknown>;

const OPENAPI_MODULE = '#shared/http/openapi.ts';
const OPENAPI_FILE = resolve(REPO_ROOT, 'shared/http/openapi.ts');

/**
 * The OpenAPI document from `buildOpenApi()` in shared/http/openapi.ts, with the local server URL;
 * undefined while that module does not exist.
 */
export async function loadOpenApi(baseUrl: string): Promise<Json | undefined> {
  if (!existsSync(OPENAPI_FILE)) return undefined;
  const mod = (await import(OPENAPI_MODULE)) as { buildOpenApi?: () => unknown };
  if (typeof mod.buildOpenApi !== 'function') return undefined;
  const doc = (await mod.buildOpenApi()) as Json;
  return { ...doc, servers: [{ url: baseUrl, description: 'local runtime' }] };
}

function escape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function authLabel(auth: RouteAuth | undefined): string {
  if (!auth) return 'unknown';
  return auth.kind === 'staff' ? `staff (${auth.roles.join(', ')})` : auth.kind;
}

/** Inlines `#/components/...` references so a schema reads on its own (cycles are left as refs). */
function inline(doc: Json, value: unknown, seen: readonly string[] = []): unknown {
  if (Array.isArray(value)) return value.map((v) => inline(doc, v, seen));
  if (!value || typeof value !== 'object') return value;
  const ref = (value as Json).$ref;
  if (typeof ref === 'string' && ref.startsWith('#/') && !seen.includes(ref)) {
    let target: unknown = doc;
    for (const part of ref.slice(2).split('/')) target = (target as Json | undefined)?.[part];
    return target === undefined ? value : inline(doc, target, [...seen, ref]);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inline(doc, v, seen)]));
}

interface DocRoute {
  method: string;
  path: string;
  summary: string;
  auth: string;
  requestSchema?: unknown;
}

function routesFromOpenApi(doc: Json, authOf: Map<string, RouteAuth>): DocRoute[] {
  const routes: DocRoute[] = [];
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Json>>;
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(operations)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const upper = method.toUpperCase() as HttpMethod;
      const content = ((op.requestBody as Json | undefined)?.content ?? {}) as Record<string, Json>;
      const schema = Object.values(content)[0]?.schema;
      routes.push({
        method: upper,
        path,
        summary: String(op.summary ?? op.description ?? ''),
        auth: authLabel(authOf.get(routeKey({ method: upper, path }))),
        ...(schema ? { requestSchema: inline(doc, schema) } : {}),
      });
    }
  }
  return routes;
}

/** A self-contained HTML page (no scripts, no network) listing the API's routes from the OpenAPI document. */
export function renderDocs(doc: Json | undefined, fns: readonly FunctionDef[]): string {
  const authOf = new Map<string, RouteAuth>();
  const manifestRoutes: DocRoute[] = [];
  for (const fn of fns) {
    for (const route of fn.http ?? []) {
      authOf.set(routeKey(route), route.auth);
      manifestRoutes.push({ method: route.method, path: route.path, summary: route.summary, auth: authLabel(route.auth) });
    }
  }
  const routes = doc ? routesFromOpenApi(doc, authOf) : manifestRoutes;
  const info = (doc?.info ?? {}) as Json;
  const title = escape(String(info.title ?? 'Kefu API'));
  const rows = routes
    .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))
    .map(
      (r) => `<section>
  <h2><span class="m m-${escape(r.method.toLowerCase())}">${escape(r.method)}</span> <code>${escape(r.path)}</code></h2>
  <p>${escape(r.summary)}</p>
  <p class="auth">Auth: <strong>${escape(r.auth)}</strong></p>
  ${r.requestSchema ? `<details><summary>Request body schema</summary><pre>${escape(JSON.stringify(r.requestSchema, null, 2))}</pre></details>` : ''}
</section>`,
    )
    .join('\n');
  const note = doc
    ? `<p>Version ${escape(String(info.version ?? ''))}. Machine-readable: <a href="/openapi.json">/openapi.json</a>.</p>`
    : '<p>shared/http/openapi.ts does not exist yet: routes below come from infra/manifest.ts, without schemas.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — local docs</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1b1f24}
section{border-top:1px solid #d0d7de;padding:.5rem 0}
h2{font-size:1.05rem;margin:.4rem 0}
.m{display:inline-block;min-width:4.5rem;text-align:center;border-radius:4px;padding:0 .4rem;color:#fff;background:#57606a;font-size:.85rem}
.m-get{background:#0969da}.m-post{background:#1a7f37}.m-put,.m-patch{background:#9a6700}.m-delete{background:#cf222e}
pre{background:#f6f8fa;padding:.75rem;overflow:auto;font-size:.85rem}
.auth{color:#57606a;margin:0}
</style></head>
<body><h1>${title}</h1>
${note}
${rows || '<p>No HTTP routes.</p>'}
</body></html>`;
}
