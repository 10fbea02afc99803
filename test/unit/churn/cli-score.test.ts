import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isoDay } from '#shared/churn/history.ts';
import { syntheticShop } from '../../../bench/churn-fit.ts';
import { main } from '../../../bin/kefu.ts';

const dir = mkdtempSync(join(tmpdir(), 'kefu-churn-'));

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('kefu churn score calibrates on the orders it is given', () => {
  const shop = syntheticShop(1500, 540, 5);
  const asOf = isoDay(20_000 + 450);
  const csv = (extra = '') =>
    `customer_id,date,quantity,amount\n${shop.flatMap((h) => h.days.map((d, i) => `${h.id},${isoDay(d)},1,${h.amounts[i]}`)).join('\n')}\n${extra}`;

  it('prints the model card and scores with the chosen model, never reading past --as-of', async () => {
    const path = join(dir, 'orders.csv');
    writeFileSync(path, csv());
    const r = await run(['churn', 'score', '--orders', path, '--as-of', asOf, '--card', '--min-repeaters', '200']);
    expect(r.code).toBe(0);
    const card = JSON.parse(r.err[0] as string);
    expect(card.coldStart).toBeUndefined();
    expect(card.candidates.map((c: { kind: string }) => c.kind)).toEqual(['handset', 'bgnbd', 'logistic', 'logistic_bgnbd']);
    expect(card.backtest.labelTo).toBe(asOf);
    const known = shop.filter((h) => isoDay(h.days[0] as number) <= asOf).length;
    expect(r.out).toHaveLength(known);
    // Orders after the as-of date (new customers and repeat buys) change nothing.
    const later = join(dir, 'later.csv');
    writeFileSync(later, csv(`${shop[0]?.id},${isoDay(20_000 + 451)},1,99\nnew-one,${isoDay(20_000 + 460)},1,10\n`));
    const again = await run(['churn', 'score', '--orders', later, '--as-of', asOf, '--min-repeaters', '200']);
    expect(again.out).toEqual(r.out);
  });

  it('falls back to the hand-set score without enough history, and refuses a bad threshold', async () => {
    const path = join(dir, 'small.csv');
    writeFileSync(path, csv());
    const r = await run(['churn', 'score', '--orders', path, '--as-of', asOf, '--card', '--min-repeaters', '100000']);
    expect(JSON.parse(r.err[0] as string)).toMatchObject({ active: 'handset', coldStart: 'not_enough_history' });
    expect((await run(['churn', 'score', '--orders', path, '--as-of', asOf, '--min-repeaters', 'many'])).code).toBe(2);
  });
});
