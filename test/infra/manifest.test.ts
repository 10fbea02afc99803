import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/aws/kefu-function.ts';
import { functions, queues, routeKey, STAFF_ROLES } from '#infra/manifest.ts';

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Lambda names are at most 64 characters: `kefu-{stage ≤ 16}-{name}`. */
const MAX_NAME = 64 - 'kefu-'.length - 16 - 1;

/** Every value that occurs more than once, with how often. */
function duplicates(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 1));
}

describe('infra/manifest.ts', () => {
  it.each(functions.map((fn) => [fn.name, fn.entry] as const))('%s: entry %s exists under functions/', (_name, entry) => {
    expect(entry).toMatch(/^functions\/.+\.ts$/);
    expect(existsSync(join(REPO_ROOT, entry)), `${entry} is missing`).toBe(true);
  });

  it('function names are unique, kebab-case and fit in a Lambda name', () => {
    expect(duplicates(functions.map((fn) => fn.name))).toEqual({});
    for (const fn of functions) {
      expect(fn.name, fn.name).toMatch(KEBAB);
      expect(fn.name.length, `${fn.name} is too long for kefu-{stage}-{name}`).toBeLessThanOrEqual(MAX_NAME);
    }
  });

  it('no two functions claim one entry file', () => {
    expect(duplicates(functions.map((fn) => fn.entry))).toEqual({});
  });

  it('every HTTP route key is claimed once and is well-formed', () => {
    const keys = functions.flatMap((fn) => (fn.http ?? []).map(routeKey));
    expect(duplicates(keys)).toEqual({});
    for (const fn of functions) {
      for (const route of fn.http ?? []) {
        expect(route.path, `${fn.name}: ${routeKey(route)}`).toMatch(/^(\/([A-Za-z0-9._~-]+|\{[a-zA-Z]+\+?\}))+$/);
        if (route.auth.kind === 'staff') {
          expect(route.auth.roles.length, `${routeKey(route)} names no role`).toBeGreaterThan(0);
          for (const role of route.auth.roles) expect(STAFF_ROLES).toContain(role);
        }
      }
    }
  });

  it('every WebSocket route is claimed once and $connect/$disconnect/$default exist', () => {
    const keys = functions.flatMap((fn) => fn.ws ?? []);
    expect(duplicates(keys)).toEqual({});
    for (const key of keys) expect(key).toMatch(/^(\$connect|\$disconnect|\$default|[a-zA-Z][\w-]*)$/);
    if (keys.length > 0) expect(keys).toEqual(expect.arrayContaining(['$connect', '$disconnect', '$default']));
  });

  it.each(queues.map((q) => [q.name, q] as const))('queue %s has exactly one consumer and a DLQ after ≥ 5 receives', (name, queue) => {
    const consumers = functions.filter((fn) => fn.queue?.name === name).map((fn) => fn.name);
    expect(consumers).toHaveLength(1);
    expect(queue.maxReceiveCount).toBeGreaterThanOrEqual(5);
  });

  it('queue names are unique and every queue a function uses is declared', () => {
    const names = queues.map((q) => q.name);
    expect(duplicates(names)).toEqual({});
    for (const fn of functions) {
      if (fn.queue) expect(names, fn.name).toContain(fn.queue.name);
      for (const target of fn.access.send ?? []) expect(names, fn.name).toContain(target);
    }
  });

  it('every function has a trigger, and queue batches and schedules are valid', () => {
    for (const fn of functions) {
      const triggers = (fn.http?.length ?? 0) + (fn.ws?.length ?? 0) + (fn.queue ? 1 : 0) + (fn.schedule ? 1 : 0);
      expect(triggers, `${fn.name} has no trigger`).toBeGreaterThan(0);
      if (fn.queue) {
        expect(fn.queue.batchSize, fn.name).toBeGreaterThanOrEqual(1);
        // SQS event sources allow at most 10 records per batch without a batching window.
        expect(fn.queue.batchSize <= 10 || (fn.queue.maxBatchingWindowSeconds ?? 0) > 0, fn.name).toBe(true);
      }
      if (fn.schedule) expect(fn.schedule, fn.name).toMatch(/^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(\S+( \S+){5}\))$/);
    }
  });
});
