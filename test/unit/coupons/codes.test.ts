import { describe, expect, it } from 'vitest';
import { CODE_PATTERN, couponTerms, DEFAULT_ALPHABET, generateCodes, parseCodesCsv, specProblem } from '#shared/coupons/codes.ts';
import { renderCare } from '#shared/members/care-rules.ts';

describe('coupon codes', () => {
  it('generates distinct codes of the alphabet and length asked, with the prefix', () => {
    const codes = generateCodes(500, { alphabet: DEFAULT_ALPHABET, length: 8, prefix: 'VIP-' });
    expect(new Set(codes).size).toBe(500);
    for (const c of codes) {
      expect(c).toMatch(/^VIP-[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/);
      expect(c).toMatch(CODE_PATTERN);
    }
  });

  it('keeps drawing until the batch is distinct (a source that repeats itself)', () => {
    // AAAA twice, AAAB twice, then ABAA
    const draws = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0];
    let n = 0;
    expect(generateCodes(3, { alphabet: 'AB', length: 4 }, () => draws[n++]!)).toEqual(['AAAA', 'AAAB', 'ABAA']);
    // a source that never varies ends with an error, not a hang
    expect(() => generateCodes(2, { alphabet: 'AB', length: 4 }, () => 0)).toThrow(/distinct/);
  });

  it('refuses specs that cannot work', () => {
    expect(specProblem({ alphabet: DEFAULT_ALPHABET, length: 8 }, 10_000)).toBeUndefined();
    expect(specProblem({ alphabet: 'AAB', length: 8 }, 1)).toMatch(/repeats/);
    expect(specProblem({ alphabet: 'A!', length: 8 }, 1)).toMatch(/letters or digits/);
    expect(specProblem({ alphabet: 'AB', length: 2 }, 1)).toMatch(/4–40/);
    expect(specProblem({ alphabet: 'AB', length: 6 }, 10)).toMatch(/too few/);
  });

  it('reads a shop’s CSV: first column, header skipped, quotes removed, bad lines and repeats reported', () => {
    const csv = '券码,面额\n"SAVE-1001",10\nSAVE-1002,10\r\nbad code!,10\n\nSAVE-1001,10\nXY\n';
    expect(parseCodesCsv(csv)).toEqual({ codes: ['SAVE-1001', 'SAVE-1002'], invalid: [4, 7], repeated: ['SAVE-1001'] });
    expect(parseCodesCsv('ABCD1234').codes).toEqual(['ABCD1234']);
  });
});

describe('a coupon in a care message', () => {
  it('puts the terms, code and last day in the member’s language; no coupon, no sentence', () => {
    expect(couponTerms({ value: 10, threshold: 99 }, 'zh')).toBe('满99减10');
    expect(couponTerms({ value: 5, threshold: 0 }, 'en')).toBe('5 yuan off');
    const vars = { order: 'O-1', carrier: '顺丰速运', tracking: 'SF1' };
    const zh = renderCare('shipment_stalled', 'zh', '王芳', { ...vars, coupon: '满99减10', code: 'ABCD2345', expires: '2026-12-31' });
    expect(zh.body).toMatch(/^王芳，您的订单 O-1（顺丰速运 SF1）.*为表歉意，送您一张满99减10优惠券，券码 ABCD2345，2026-12-31 前有效。$/);
    const en = renderCare('shipment_stalled', 'en', undefined, {
      ...vars,
      coupon: '10 yuan off orders of 99 or more',
      code: 'ABCD2345',
      expires: '2026-12-31',
    });
    expect(en.body).toContain('As an apology, here is a coupon for 10 yuan off orders of 99 or more: ABCD2345, valid until 2026-12-31.');
    expect(renderCare('shipment_stalled', 'zh', undefined, vars).body).not.toContain('券码');
    expect(renderCare('dispatch_late', 'en', 'Li', { order: 'O-2' }).body).toMatch(/^Li, your order O-2 has not shipped/);
  });
});
