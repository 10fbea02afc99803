/**
 * Coupon issuance under concurrency on the local runtime (127.0.0.1 only, bounded): a pool of
 * CODES codes, CLAIMANTS concurrent claimants (campaigns, care rules…) each claiming for new
 * recipients until CLAIMS codes are out. Checks that no code is given twice and that a recipient
 * claimed by several claimants at once gets one code; prints claims/s next to a baseline measured
 * in the same run: plain PutItems by the same number of concurrent writers.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalStack } from '#infra/local/stack.ts';
import { DEFAULT_ALPHABET, generateCodes } from '#shared/coupons/codes.ts';
import { addCodes, claimCode, createPool, poolStock } from '#shared/coupons/store.ts';

const CLAIMANTS = Number(process.env.BENCH_CLAIMANTS ?? 50);
const CODES = Number(process.env.BENCH_CODES ?? 2000);
const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 1500);
const TIME_LIMIT_MS = 120_000;

/** Runs `work(i)` for i < total with `concurrency` workers; resolves to the seconds it took. */
async function pool(concurrency: number, total: number, work: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total && performance.now() - started < TIME_LIMIT_MS) await work(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (performance.now() - started) / 1000;
}

export async function runCouponClaimsBench(): Promise<{ claimsPerSecond: number; putsPerSecond: number; duplicates: number }> {
  const stack = await startLocalStack({ port: 0, memory: true, quiet: true, seed: false });
  try {
    const now = new Date();
    const poolId = `bench-${now.getTime().toString(36)}`;
    await createPool({
      poolId,
      name: { zh: '压测券', en: 'Bench coupon' },
      value: 10,
      threshold: 99,
      expiresAt: new Date(now.getTime() + 86_400_000).toISOString(),
      createdAt: now.toISOString(),
    });
    const codes = generateCodes(CODES, { alphabet: DEFAULT_ALPHABET, length: 10 });
    const added = await addCodes(poolId, codes);
    if (added.added !== CODES) throw new Error(`only ${added.added} of ${CODES} codes added`);

    // baseline: the same number of concurrent writers doing plain PutItems
    const putSeconds = await pool(CLAIMANTS, CLAIMS, (i) =>
      stack.db.send(new PutCommand({ TableName: 'Kefu', Item: { pk: `BENCHPUT#${poolId}#${i}`, sk: 'X', n: i } })).then(() => undefined),
    );

    const given = new Map<string, string>();
    let outOfStock = 0;
    const claimSeconds = await pool(CLAIMANTS, CLAIMS, async (i) => {
      const outcome = await claimCode(poolId, `recipient-${i}`, now);
      if (typeof outcome === 'string') outOfStock++;
      else if (!outcome.repeated) given.set(`recipient-${i}`, outcome.code);
    });
    const distinct = new Set(given.values()).size;
    const duplicates = given.size - distinct;

    // one recipient claimed by every claimant at once: one code
    const same = await Promise.all(Array.from({ length: CLAIMANTS }, () => claimCode(poolId, 'the-same-recipient', now)));
    const sameCodes = new Set(same.map((o) => (typeof o === 'string' ? o : o.code)));
    const stock = await poolStock(poolId);

    const claimsPerSecond = given.size / claimSeconds;
    const putsPerSecond = CLAIMS / putSeconds;
    console.log(`pool of ${CODES} codes, ${CLAIMANTS} concurrent claimants, ${CLAIMS} recipients`);
    console.log(`  codes given: ${given.size} (${distinct} distinct, ${duplicates} given twice), out of stock: ${outOfStock}`);
    console.log(`  one recipient claimed by ${CLAIMANTS} claimants at once: ${sameCodes.size} code(s)`);
    console.log(`  stock after: total ${stock.total}, claimed ${stock.claimed}, available ${stock.available}`);
    console.log(
      `  claims/s: ${claimsPerSecond.toFixed(1)}   baseline PutItem/s (same concurrency): ${putsPerSecond.toFixed(1)}   ratio ${(putsPerSecond / claimsPerSecond).toFixed(1)}×`,
    );
    if (duplicates > 0 || sameCodes.size !== 1) throw new Error('a code was given out twice');
    if (stock.claimed !== given.size + 1) throw new Error(`stock counts ${stock.claimed} claims, ${given.size + 1} were made`);
    return { claimsPerSecond, putsPerSecond, duplicates };
  } finally {
    await stack.stop();
  }
}
