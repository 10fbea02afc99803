import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildIndex, KbIndex } from '#shared/ai/kb-index.ts';
import { analyzeZh, hasIcuSegmenter, segmentZh, zhConcepts, zhLongWords, zhSynonyms } from '#shared/ai/zh.ts';

interface DemoArticle {
  id: string;
  lang: string;
  title: string;
  body: string;
  tags?: string[];
}
const demo = JSON.parse(readFileSync(new URL('../../../shared/demo/kb-articles.json', import.meta.url), 'utf8')) as DemoArticle[];
const index = buildIndex(demo.map((a) => ({ id: a.id, title: a.title, body: a.body, lang: a.lang, tags: a.tags })));
const words = (text: string) => zhConcepts(text).map((c) => c.word);

describe('Chinese query analysis', () => {
  it('keeps shop words whole and uses the ICU segmenter for the rest', () => {
    expect(hasIcuSegmenter()).toBe(true);
    expect(segmentZh('买多少钱可以包邮')).toContain('包邮');
    expect(segmentZh('你们客服几点下班')).toEqual(expect.arrayContaining(['客服', '几点', '下班']));
    expect(segmentZh('发到成都大概要多久')).toContain('成都');
  });

  it('drops greetings, particles and question-intent words', () => {
    expect(words('亲，在吗？请问运费是多少呀')).toEqual(['运费']);
    expect(words('咋整')).toEqual([]);
  });

  it('maps colloquial forms, typos and English shop words onto the same concept', () => {
    expect(zhSynonyms('包油')).toEqual(expect.arrayContaining(['包邮', '免运费']));
    expect(zhSynonyms('快递')).toEqual(expect.arrayContaining(['物流', '包裹']));
    expect(zhSynonyms('码')).toContain('尺码');
    expect(zhSynonyms('退')).toEqual(expect.arrayContaining(['退货']));
    expect(zhSynonyms('退钱')).toContain('退款');
    expect(words('我的refund怎么还没到')).toContain('refund');
    expect(zhSynonyms('refund')).toContain('退款');
  });

  it('treats an unknown run of single characters as one word and joins adjacent words', () => {
    expect(words('零食保质期多久')).toContain('保质期');
    expect(analyzeZh('退货地址是啥').joins).toContain('货地');
  });

  it('finds long vocabulary words in article text for whole-word matching', () => {
    expect(zhLongWords('优惠券不能用怎么办')).toEqual(expect.arrayContaining(['优惠券', '不能用']));
  });
});

describe('Chinese retrieval on the demo help centre', () => {
  const top = (q: string) => index.searchDetailed(q, { top: 3 });

  it('answers colloquial questions whose topic the help centre covers', () => {
    const cases: Array<[string, string]> = [
      ['发到成都大概要多久', 'kb-shipping-times-zh'],
      ['买多少钱可以包邮呀', 'kb-shipping-fees-zh'],
      ['金卡会员有什么福利', 'kb-membership-tiers-zh'],
      ['你们客服几点下班', 'kb-contact-support-zh'],
      ['亲，在吗？衣服码数偏大还是偏小', 'kb-size-guide-zh'],
    ];
    for (const [q, id] of cases) {
      const r = top(q);
      expect(r.hits[0]?.id, q).toBe(id);
      expect(r.decision, q).toBe('answer');
    }
  });

  it('ranks Chinese articles first for a Chinese question with an English word in it', () => {
    const r = top('我的refund怎么还没到');
    expect(r.hits[0]?.id).toBe('kb-refund-timing-zh');
  });

  it('asks back when two topics are close and does not answer what it does not cover', () => {
    expect(top('保修需要发票吗').decision).not.toBe('answer');
    expect(top('今天天气怎么样').decision).not.toBe('answer');
  });

  it('keeps the article languages through a JSON round trip', () => {
    const restored = KbIndex.fromJSON(JSON.stringify(index));
    for (const q of ['包油吗', '我的order啥时候发货', 'how long does delivery take']) {
      expect(restored.searchDetailed(q, { top: 5 })).toEqual(index.searchDetailed(q, { top: 5 }));
    }
  });
});
