import { describe, expect, it } from 'vitest';
import { charNgrams, detectLang, normalize, stem, tokenize, tokenizeEn, zhGrams } from '#shared/ai/text.ts';

describe('text utilities', () => {
  it('tokenises Chinese without spaces into unigrams and bigrams', () => {
    expect(zhGrams('我要退款')).toEqual(['我', '我要', '要', '要退', '退', '退款', '款']);
    const terms = tokenize('我的订单怎么还没发货');
    expect(terms).toContain('订单');
    expect(terms).toContain('发货');
    expect(terms).not.toContain('的');
  });

  it('detects zh vs en by CJK share', () => {
    expect(detectLang('我要找人工客服')).toBe('zh');
    expect(detectLang('where is my order')).toBe('en');
    expect(detectLang('我的 order 呢')).toBe('zh');
  });

  it('normalises full-width characters and case', () => {
    expect(normalize('ＯＲＤＥＲ　１２３')).toBe('order 123');
  });

  it('stems English words and drops stopwords', () => {
    expect(stem('cancelling')).toBe(stem('cancel'));
    expect(stem('refunds')).toBe('refund');
    expect(tokenizeEn('I want to cancel the orders')).toEqual(['want', 'cancel', 'order']);
  });

  it('character trigrams overlap for a misspelt word', () => {
    const a = new Set(charNgrams('password'));
    const shared = charNgrams('pasword').filter((g) => a.has(g));
    expect(shared.length).toBeGreaterThanOrEqual(4);
  });
});
