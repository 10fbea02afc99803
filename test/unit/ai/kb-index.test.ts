import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Article, buildIndex, KbIndex } from '#shared/ai/kb-index.ts';

const zhKb = readFileSync(new URL('../../../shared/ai/data/zh-kb-demo.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Article);

const enKb: Article[] = [
  { id: 'pw', title: 'How do I reset my password?', body: 'Open the login page and choose forgot password. We email a reset link.' },
  { id: 'ship', title: 'Shipping costs and delivery times', body: 'Standard delivery takes three to five days. Express shipping is available.' },
  { id: 'ret', title: 'How to return an item for a refund', body: 'Start a return from your orders page within 30 days to get your money back.' },
  { id: 'inv', title: 'Download an invoice for your order', body: 'Invoices are available as PDF in the order details.' },
];

describe('kb index', () => {
  it('finds the right article in English and tolerates typos', () => {
    const idx = buildIndex(enKb);
    expect(idx.search('reset password')[0]?.id).toBe('pw');
    expect(idx.search('how do I resset my pasword')[0]?.id).toBe('pw');
    expect(idx.search('send back the thing I bought and get money back')[0]?.id).toBe('ret');
  });

  it('retrieves Chinese articles without word segmentation', () => {
    const idx = buildIndex(zhKb);
    expect(idx.search('地址写错了怎么改')[0]?.id).toBe('zh-kb-4');
    expect(idx.search('可以用微信付款吗')[0]?.id).toBe('zh-kb-6');
  });

  it('gives identical results after a JSON round trip', () => {
    const idx = buildIndex([...enKb, ...zhKb]);
    const restored = KbIndex.fromJSON(JSON.stringify(idx));
    for (const q of ['invoice pdf', 'delivery time', '忘记密码', '优惠券可以叠加吗', 'nothing matches zzz']) {
      expect(restored.searchDetailed(q, { top: 5 })).toEqual(idx.searchDetailed(q, { top: 5 }));
    }
  });

  it('reports low confidence and hand-off when nothing matches', () => {
    const idx = buildIndex(enKb);
    const r = idx.searchDetailed('qwertyuiop zxcvbnm');
    expect(r.hits).toEqual([]);
    expect(r.decision).toBe('handoff');
    const good = idx.searchDetailed('download invoice for my order');
    expect(good.hits[0]?.id).toBe('inv');
    expect(good.confidence).toBeGreaterThan(r.confidence);
  });

  it('rejects data that is not a kb index', () => {
    expect(() => KbIndex.fromJSON('{"format":"other"}')).toThrow(/kb index/);
  });
});
