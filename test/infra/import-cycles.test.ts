/**
 * Import cycles between domain folders of `shared/` (issue 12): a ratchet. The cycles that exist
 * today are listed below and may only shrink; a new cycle, or a folder joining one, fails here with
 * the imports that close it. Type-only imports are left out (they do not run). Remove a folder from
 * KNOWN when its cycle is broken — the test then holds that gain.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SHARED = join(ROOT, 'shared');

/** The strongly connected groups of domain folders today (each sorted). */
const KNOWN: readonly (readonly string[])[] = [
  ['api', 'attachments', 'auth', 'campaigns', 'churn', 'http', 'members', 'privacy', 'queue', 'realtime', 'store'],
  ['chat', 'feedback', 'quality', 'tickets'],
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** `shared/chat/service.ts` → `chat`; `shared/realtime.ts` → `realtime`. */
function domainOf(file: string): string {
  const [first = '', ...rest] = relative(SHARED, file).split('/');
  return rest.length ? first : first.replace(/\.tsx?$/, '');
}

/** Folder → folder → the imports (file → file) that make the edge. */
function importGraph(): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const file of sources(SHARED)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^;]*?from\s+['"]([^'"]+)['"]/gms)) {
      if (m[1]) continue;
      const spec = m[2] ?? '';
      const target = spec.startsWith('#shared/')
        ? join(SHARED, spec.slice('#shared/'.length))
        : spec.startsWith('.')
          ? resolve(dirname(file), spec)
          : undefined;
      if (!target?.startsWith(`${SHARED}/`)) continue;
      const [from, to] = [domainOf(file), domainOf(target)];
      if (from === to) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      graph.set(from, edges);
      edges.set(to, [...(edges.get(to) ?? []), `${relative(ROOT, file)} → ${relative(ROOT, target)}`]);
    }
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one folder. */
function cycles(graph: Map<string, Map<string, string[]>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const v of new Set([...graph.keys(), ...[...graph.values()].flatMap((e) => [...e.keys()])])) if (!index.has(v)) visit(v);
  return found;
}

describe('import cycles between the domain folders of shared/', () => {
  test('no new cycle, and no folder joins an existing one', () => {
    const graph = importGraph();
    const problems = cycles(graph).flatMap((group) => {
      const known = KNOWN.find((k) => group.every((d) => k.includes(d)));
      if (known) return [];
      const edges = group.flatMap((a) => [...(graph.get(a) ?? [])].filter(([b]) => group.includes(b)).map(([b, why]) => `  ${a} → ${b}: ${why[0]}`));
      return [`a cycle through ${group.join(', ')}:\n${edges.join('\n')}`];
    });
    expect(problems).toEqual([]);
  });

  test('the detector finds a cycle (so the test above can fail)', () => {
    const graph = new Map([
      ['a', new Map([['b', ['a.ts → b.ts']]])],
      ['b', new Map([['a', ['b.ts → a.ts']]])],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b']]);
  });
});
