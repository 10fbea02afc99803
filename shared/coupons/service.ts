/**
 * Coupon pools as marketers manage them: create a pool (value, minimum order, expiry) with generated
 * codes, add codes from the shop's CSV or generate more, and read pools with their stock (given and redeemed).
 */
import { newId } from '#shared/ids.ts';
import { COUPON_TEXT, type CodesBody, MAX_CODES_PER_REQUEST, type PoolBody, type Problem } from './api.ts';
import { couponTerms, generateCodes, parseCodesCsv, specProblem } from './codes.ts';
import { addCodes, type CouponPool, claimCode, createPool, getPool, listPools, poolCounts } from './store.ts';

export type PoolView = CouponPool & { claimed: number; available: number; redeemed: number };

/** What an import or generation did. */
export interface CodesResult {
  added: number;
  duplicates: number;
  invalidLines: number[];
}

/** A refusal the caller turns into a 400 (bilingual) or a 404. */
export class CouponProblem extends Error {
  readonly problem: Problem;
  readonly field: string;
  readonly status: 400 | 404;
  constructor(problem: Problem, field: string, status: 400 | 404 = 400) {
    super(problem.en);
    this.problem = problem;
    this.field = field;
    this.status = status;
  }
}

async function view(pool: CouponPool): Promise<PoolView> {
  const stock = await poolCounts(pool.poolId);
  return { ...pool, total: stock.total, claimed: stock.claimed, available: stock.available, redeemed: stock.redeemed };
}

/** Pools newest first with their stock. */
export async function poolsWithStock(): Promise<PoolView[]> {
  return Promise.all((await listPools()).map(view));
}

async function generateInto(poolId: string, spec: NonNullable<PoolBody['generate']>): Promise<CodesResult> {
  const codes = generateCodes(spec.count, { alphabet: spec.alphabet, length: spec.length, ...(spec.prefix ? { prefix: spec.prefix } : {}) });
  const result = await addCodes(poolId, codes);
  return { added: result.added, duplicates: result.duplicates.length, invalidLines: [] };
}

/** Creates a pool (and its generated codes); every check runs before anything is written. */
export async function newPool(body: PoolBody, now: Date): Promise<{ pool: PoolView; codes?: CodesResult }> {
  if (Date.parse(body.expiresAt) <= now.getTime()) throw new CouponProblem(COUPON_TEXT.expiryPast, 'expiresAt');
  if (body.threshold > 0 && body.threshold < body.value) throw new CouponProblem(COUPON_TEXT.thresholdBelowValue, 'threshold');
  if (body.generate && specProblem(body.generate, body.generate.count)) throw new CouponProblem(COUPON_TEXT.badSpec, 'generate.length');
  const pool = await createPool({
    poolId: newId('cpn'),
    name: body.name,
    value: body.value,
    threshold: body.threshold,
    expiresAt: new Date(body.expiresAt).toISOString(),
    createdAt: now.toISOString(),
  });
  const codes = body.generate ? await generateInto(pool.poolId, body.generate) : undefined;
  return { pool: await view((await getPool(pool.poolId)) ?? pool), ...(codes ? { codes } : {}) };
}

/** Adds codes to a pool from a CSV or by generating them. */
export async function moreCodes(poolId: string, body: CodesBody): Promise<{ pool: PoolView; codes: CodesResult }> {
  const pool = await getPool(poolId);
  if (!pool) throw new CouponProblem(COUPON_TEXT.noPool, 'poolId', 404);
  let codes: CodesResult;
  if ('csv' in body) {
    const parsed = parseCodesCsv(body.csv);
    if (parsed.codes.length === 0) throw new CouponProblem(COUPON_TEXT.noCodes, 'csv');
    if (parsed.codes.length > MAX_CODES_PER_REQUEST) throw new CouponProblem(COUPON_TEXT.tooMany, 'csv');
    const result = await addCodes(poolId, parsed.codes);
    codes = { added: result.added, duplicates: result.duplicates.length + parsed.repeated.length, invalidLines: parsed.invalid };
  } else {
    if (specProblem(body.generate, body.generate.count)) throw new CouponProblem(COUPON_TEXT.badSpec, 'generate.length');
    codes = await generateInto(poolId, body.generate);
  }
  return { pool: await view((await getPool(poolId)) ?? pool), codes };
}

/** A code given with a message (a campaign's offer): the pool's terms and the code. */
export interface GivenCoupon {
  code: string;
  /** Yuan off. */
  value: number;
  /** Minimum order in yuan (0: none). */
  threshold: number;
  expiresAt: string;
  /** The terms as a shopper reads them (满199减20 / 20 yuan off orders of 199 or more). */
  terms: { zh: string; en: string };
}

/**
 * Gives a code of the pool once per claim key (a repeated claim returns the same code); undefined
 * when the pool is gone, expired or out of codes (the message then goes without one).
 */
export async function giveCoupon(poolId: string, claimKey: string, now: Date): Promise<GivenCoupon | undefined> {
  const [pool, claim] = await Promise.all([getPool(poolId), claimCode(poolId, claimKey, now)]);
  if (!pool || typeof claim === 'string') return undefined;
  const terms = { zh: couponTerms(pool, 'zh'), en: couponTerms(pool, 'en') };
  return { code: claim.code, value: pool.value, threshold: pool.threshold, expiresAt: pool.expiresAt, terms };
}

/** Why a pool cannot be offered (it does not exist or has expired), in both languages; undefined when it can. */
export async function offerProblem(poolId: string, now: Date): Promise<{ zh: string; en: string } | undefined> {
  const pool = await getPool(poolId);
  if (!pool) return { zh: `优惠券 ${poolId} 不存在`, en: `coupon pool ${poolId} does not exist` };
  if (pool.expiresAt <= now.toISOString()) return { zh: `优惠券“${pool.name.zh}”已过期`, en: `coupon pool "${pool.name.en}" has expired` };
  return undefined;
}
