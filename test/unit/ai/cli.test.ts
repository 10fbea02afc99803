import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../../bin/kefu.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kefu-cli-'));

function kefu(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  const json = r.stdout.startsWith('{');
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    lines: json
      ? r.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
      : [],
  };
}

describe('kefu CLI contract', () => {
  it('kb search prints one line per query with ranked article ids', () => {
    const kb = join(dir, 'kb.jsonl');
    const q = join(dir, 'q.jsonl');
    writeFileSync(
      kb,
      [
        { id: 'a1', title: 'Reset your password', body: 'Use the forgot password link.' },
        { id: 'a2', title: '退货政策', body: '七天无理由退货' },
        { id: 'a3', title: 'Delivery times', body: 'Three to five days.' },
      ]
        .map((x) => JSON.stringify(x))
        .join('\n'),
    );
    writeFileSync(
      q,
      [
        { id: 'q1', query: 'forgot my password' },
        { id: 'q2', query: '可以退货吗' },
      ]
        .map((x) => JSON.stringify(x))
        .join('\n'),
    );
    const r = kefu('kb', 'search', '--kb', kb, '--queries', q, '--top', '2');
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(2);
    expect(r.lines[0]).toEqual({ id: 'q1', results: expect.arrayContaining(['a1']) });
    expect(r.lines[0].results[0]).toBe('a1');
    expect(r.lines[1].results[0]).toBe('a2');
    expect(r.lines[0].results.length).toBeLessThanOrEqual(2);
  });

  it('classify prints the contract fields', () => {
    const input = join(dir, 'in.jsonl');
    writeFileSync(
      input,
      [
        { id: 'm1', text: '我要找人工客服' },
        { id: 'm2', text: 'where is my refund? this is not good' },
      ]
        .map((x) => JSON.stringify(x))
        .join('\n'),
    );
    const r = kefu('classify', '--in', input);
    expect(r.code).toBe(0);
    expect(Object.keys(r.lines[0]).sort()).toEqual(['category', 'handoff', 'id', 'intent', 'lang', 'sentiment']);
    expect(r.lines[0]).toMatchObject({ id: 'm1', handoff: true, lang: 'zh' });
    expect(r.lines[1]).toMatchObject({ id: 'm2', category: 'REFUND', handoff: false, sentiment: 'negative', lang: 'en' });
  });

  it('churn score prints one line per customer using only orders up to --as-of', () => {
    const csv = join(dir, 'orders.csv');
    writeFileSync(csv, 'customer_id,date,quantity,amount\nc1,2024-01-01,1,10\nc1,2024-03-01,1,12\nc2,2024-01-05,2,30\nc3,2024-07-01,1,5\n');
    const r = kefu('churn', 'score', '--orders', csv, '--as-of', '2024-04-01');
    expect(r.code).toBe(0);
    expect(r.lines.map((l) => l.customerId)).toEqual(['c1', 'c2']);
    for (const l of r.lines) {
      expect(l.risk).toBeGreaterThanOrEqual(0);
      expect(l.risk).toBeLessThanOrEqual(1);
      expect(Array.isArray(l.reasons)).toBe(true);
    }
  });

  it('exits 2 with a clear message on bad usage', () => {
    const missing = kefu('classify');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing required option --in/);
    expect(kefu('churn', 'score', '--orders', 'x.csv', '--as-of', 'yesterday').code).toBe(2);
    expect(kefu('nope').code).toBe(2);
    const help = kefu('kb', 'search', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--queries/);
  });
});
