import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/aws/kefu-function.ts';
import { functions, queues } from '#infra/manifest.ts';

/** Every .ts/.tsx file under a folder of the repository (generated output aside). */
function sources(folder: string): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'dist' || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
    }
  };
  visit(join(REPO_ROOT, folder));
  return out;
}

const serverCode = [...sources('shared'), ...sources('functions')].map((path) => ({ path: relative(REPO_ROOT, path), text: readFileSync(path, 'utf8') }));

describe('invariants between the manifest and the code', () => {
  it.each(queues.filter((q) => !q.source).map((q) => [q.name] as const))(
    'queue %s has a consumer, a function allowed to send to it, and code that does',
    (name) => {
      expect(
        functions.filter((fn) => fn.queue?.name === name).map((fn) => fn.name),
        'consumers',
      ).toHaveLength(1);
      expect(
        functions.filter((fn) => fn.access.send?.includes(name)).map((fn) => fn.name),
        'functions with access.send',
      ).not.toEqual([]);
      const producers = serverCode.filter((f) => f.text.includes(`'${name}'`)).map((f) => f.path);
      expect(producers, `no code under shared/ or functions/ names the queue '${name}'`).not.toEqual([]);
    },
  );

  it.each(queues.filter((q) => q.source).map((q) => [q.name, q.source] as const))(
    'queue %s, fed from outside the code (%s), has a consumer, no function that sends to it, and infrastructure that wires the source',
    (name, source) => {
      expect(functions.filter((fn) => fn.queue?.name === name).map((fn) => fn.name)).toHaveLength(1);
      expect(functions.filter((fn) => fn.access.send?.includes(name)).map((fn) => fn.name)).toEqual([]);
      const wiring = sources('infra/aws').filter((path) => readFileSync(path, 'utf8').includes(`'${source}'`));
      expect(wiring, `no file under infra/aws wires the source '${source}'`).not.toEqual([]);
    },
  );

  it.each(functions.filter((fn) => fn.http?.length).map((fn) => [fn.name, fn.entry] as const))(
    'HTTP function %s serves its own routes: withHttp names it, so its caller type is its routes’ auth',
    async (name, entry) => {
      const mod = (await import(join(REPO_ROOT, entry))) as { handler?: { functionName?: string } };
      expect(mod.handler?.functionName).toBe(name);
    },
  );

  it('every API path the web apps call is a route in the manifest', () => {
    const routes = functions.flatMap((fn) => (fn.http ?? []).map((r) => r.path));
    // A route, or the base of routes at a segment boundary (`/widget/conversations/${id}` + `/uploads`).
    const patterns = routes.map((path) => new RegExp(`^${path.replace(/\{\w+\+\}/g, '.+').replace(/\{\w+\}/g, '[^/]+')}$`));
    const bases = routes.map((path) => path.split('/').map((seg) => (/^\{/.test(seg) ? '[^/]+' : seg)));
    const isBase = (concrete: string) =>
      bases.some((segs) => {
        const parts = concrete.split('/');
        return parts.length < segs.length && parts.every((part, i) => new RegExp(`^${segs[i]}$`).test(part));
      });
    const prefixes = new Set(routes.map((path) => path.split('/')[1]));
    const called = new Map<string, string>();
    for (const path of [...sources('web/console'), ...sources('web/widget'), ...sources('web/lib'), ...sources('web/demo')]) {
      const text = readFileSync(path, 'utf8');
      // String and template literals that start like an API path: '/tickets', `/conversations/${id}/messages?x=1`.
      for (const match of text.matchAll(/['`](\/[a-z][^'`\s]*)['`]/g)) {
        const literal = match[1]!;
        if (!prefixes.has(literal.split(/[/?]/)[1]!)) continue;
        const concrete = literal.replace(/\$\{[^}]*\}/g, 'x').replace(/\?.*$/, '');
        called.set(concrete, `${relative(REPO_ROOT, path)}: ${literal}`);
      }
    }
    expect(called.size).toBeGreaterThan(20);
    const unknown = [...called].filter(([concrete]) => !patterns.some((p) => p.test(concrete)) && !isBase(concrete)).map(([, where]) => where);
    expect(unknown, 'web calls with no manifest route').toEqual([]);
  });
});
