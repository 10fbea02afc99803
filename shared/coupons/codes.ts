/**
 * Coupon codes (pure): generating them (a configurable alphabet and length, unbiased random
 * characters, unique within the batch; uniqueness within a pool is the store's conditional write)
 * and reading a shop's CSV export (one code per line, first column, optional header).
 */
import { randomInt } from 'node:crypto';

/** Letters and digits without look-alikes (0/O, 1/I/L). */
export const DEFAULT_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** What a code may be made of (imported or generated). */
export const CODE_PATTERN = /^[A-Za-z0-9-]{4,40}$/;

export interface GenerateSpec {
  alphabet: string;
  length: number;
  prefix?: string;
}

/** Ways a generation spec cannot work (before any code is made). */
export function specProblem(spec: GenerateSpec, count: number): string | undefined {
  const chars = new Set(spec.alphabet);
  if (chars.size !== spec.alphabet.length) return 'alphabet repeats a character';
  if (chars.size < 2 || ![...chars].every((c) => /[A-Za-z0-9]/.test(c))) return 'alphabet must be at least 2 distinct letters or digits';
  if (!CODE_PATTERN.test(`${spec.prefix ?? ''}${'A'.repeat(spec.length)}`)) return 'prefix plus length must make 4–40 characters';
  // keep collisions rare: at most 1 % of the space per batch
  if (chars.size ** spec.length < count * 100) return 'alphabet and length give too few distinct codes for this many';
  return undefined;
}

/** `count` distinct codes (the random source is a port: tests pass a seeded one). */
export function generateCodes(count: number, spec: GenerateSpec, random: (max: number) => number = randomInt): string[] {
  const out = new Set<string>();
  for (let draws = 0; out.size < count; draws++) {
    if (draws > count * 100) throw new Error('could not draw enough distinct codes: widen the alphabet or the length');
    let code = spec.prefix ?? '';
    for (let i = 0; i < spec.length; i++) code += spec.alphabet[random(spec.alphabet.length)];
    out.add(code);
  }
  return [...out];
}

/** A coupon's terms in words: 满99减10 / 10 yuan off orders of 99 or more. */
export function couponTerms(pool: { value: number; threshold: number }, lang: 'zh' | 'en'): string {
  if (lang === 'zh') return pool.threshold > 0 ? `满${pool.threshold}减${pool.value}` : `立减${pool.value}元`;
  return pool.threshold > 0 ? `${pool.value} yuan off orders of ${pool.threshold} or more` : `${pool.value} yuan off`;
}

export interface CsvCodes {
  codes: string[];
  /** Lines that are not a code (1-based line numbers), and codes listed twice. */
  invalid: number[];
  repeated: string[];
}

/** The codes of a CSV (first column; a header line `code`/`券码` is skipped; quotes removed). */
export function parseCodesCsv(text: string): CsvCodes {
  const codes: string[] = [];
  const seen = new Set<string>();
  const invalid: number[] = [];
  const repeated: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const first = (raw.split(',')[0] ?? '')
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim();
    if (!first) return;
    if (i === 0 && /^(code|codes|coupon|券码|优惠码|兑换码)$/i.test(first)) return;
    if (!CODE_PATTERN.test(first)) {
      invalid.push(i + 1);
      return;
    }
    if (seen.has(first)) {
      repeated.push(first);
      return;
    }
    seen.add(first);
    codes.push(first);
  });
  return { codes, invalid, repeated };
}
