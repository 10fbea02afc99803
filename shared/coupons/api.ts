/** Request schemas of the coupon routes (strict), and the bilingual problems a request can have. */
import * as z from 'zod/mini';
import { cleanLine } from '#shared/text/hygiene.ts';
import { DEFAULT_ALPHABET } from './codes.ts';

/** At most this many codes per request (generated or imported). */
export const MAX_CODES_PER_REQUEST = 10_000;

const Name = z.string().check(cleanLine(), z.minLength(1), z.maxLength(60));
const Money = z.number().check(z.minimum(0), z.maximum(100_000));

export const GenerateBody = z.strictObject({
  count: z.int().check(z.minimum(1), z.maximum(MAX_CODES_PER_REQUEST)),
  alphabet: z._default(z.string().check(z.minLength(2), z.maxLength(62)), DEFAULT_ALPHABET),
  length: z._default(z.int().check(z.minimum(4), z.maximum(32)), 10),
  prefix: z.optional(z.string().check(z.regex(/^[A-Za-z0-9-]{0,8}$/, 'a prefix is up to 8 letters, digits or dashes'))),
});
export type GenerateBody = z.infer<typeof GenerateBody>;

/** `POST /coupons/pools`: a new pool, optionally with generated codes. */
export const PoolBody = z.strictObject({
  name: z.strictObject({ zh: Name, en: Name }),
  /** Yuan off. */
  value: Money.check(z.minimum(0.01)),
  /** Minimum order amount (0: none). */
  threshold: z._default(Money, 0),
  expiresAt: z.iso.datetime({ offset: true }),
  generate: z.optional(GenerateBody),
});
export type PoolBody = z.infer<typeof PoolBody>;

/** `POST /coupons/pools/{poolId}/codes`: codes from the shop's CSV, or generated. */
export const CodesBody = z.union([z.strictObject({ csv: z.string().check(z.minLength(1), z.maxLength(240_000)) }), z.strictObject({ generate: GenerateBody })]);
export type CodesBody = z.infer<typeof CodesBody>;

export const PoolParams = z.strictObject({ poolId: z.string().check(z.regex(/^cpn_[0-9a-z]{26}$/, 'not a coupon pool id')) });

export type Problem = { 'zh-CN': string; en: string };

export const COUPON_TEXT = {
  expiryPast: { 'zh-CN': '到期时间必须晚于现在。', en: 'The expiry must be in the future.' },
  thresholdBelowValue: { 'zh-CN': '使用门槛不能低于优惠金额。', en: 'The minimum order cannot be lower than the coupon value.' },
  badSpec: {
    'zh-CN': '字符集和长度无法生成这么多不重复的券码：请加长券码或扩大字符集。',
    en: 'The alphabet and length cannot make that many distinct codes: use longer codes or more characters.',
  },
  noCodes: {
    'zh-CN': 'CSV 里没有有效的券码（每行第一列一个券码，4–40 个字母、数字或短横线）。',
    en: 'The CSV has no valid codes (one per line in the first column, 4–40 letters, digits or dashes).',
  },
  tooMany: { 'zh-CN': `一次最多导入 ${MAX_CODES_PER_REQUEST} 个券码。`, en: `At most ${MAX_CODES_PER_REQUEST} codes per import.` },
  noPool: { 'zh-CN': '找不到这个券池。', en: 'No such coupon pool.' },
} satisfies Record<string, Problem>;
