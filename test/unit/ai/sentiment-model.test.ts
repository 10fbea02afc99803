import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SENTIMENT_ZH_MODEL } from '#shared/ai/model/sentiment-zh.ts';
import { sentiment } from '#shared/ai/sentiment.ts';
import { modelSentiment, sentimentFeatures, trainSentimentModel, useSentimentModel } from '#shared/ai/sentiment-model.ts';

const jsonl = (path: string) =>
  readFileSync(new URL(`../../../shared/ai/data/${path}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { text: string; label: string; domain?: string });

const corpus = jsonl('sentiment-zh-train.jsonl');

/** Chinese character bigrams of a text (for near-duplicate checks). */
function bigrams(text: string): Set<string> {
  const cjk = Array.from(text).filter((c) => /[\u3400-\u9fff]/u.test(c));
  return new Set(cjk.slice(1).map((c, i) => `${cjk[i]}${c}`));
}

afterEach(() => useSentimentModel(null));

describe('Chinese sentiment n-gram model', () => {
  it('the committed model is exactly what the corpus trains (deterministic, not stale)', () => {
    expect(JSON.stringify(trainSentimentModel(corpus))).toBe(SENTIMENT_ZH_MODEL);
  });

  it('its training corpus shares no row, and no near copy, with the project’s evaluation sets', () => {
    const evalTexts = [...jsonl('sentiment-zh-products.jsonl'), ...jsonl('sentiment-zh-eval.jsonl')].map((r) => r.text);
    const train = corpus.map((r) => ({ text: r.text, grams: bigrams(r.text) }));
    const close: string[] = [];
    for (const text of evalTexts) {
      const g = bigrams(text);
      for (const t of train) {
        if (t.text === text) close.push(text);
        if (g.size < 3 || t.grams.size < 3) continue;
        let shared = 0;
        for (const x of g) if (t.grams.has(x)) shared++;
        if (shared / (g.size + t.grams.size - shared) >= 0.6) close.push(`${text} ~ ${t.text}`);
      }
    }
    expect(close).toEqual([]);
    expect(new Set(corpus.map((r) => r.label))).toEqual(new Set(['positive', 'negative', 'neutral']));
  });

  it('features are clause-local character n-grams with clause edges and a question mark', () => {
    const f = sentimentFeatures('少了一个配件，客服不理？');
    expect(f).toContain('b:配件');
    expect(f).toContain('t:少了一');
    expect(f).toContain('s:^客服');
    expect(f).not.toContain('b:件客');
    expect(f).toContain('q:end');
  });

  it('reads reviews that complain or praise without opinion words; keeps questions neutral', () => {
    expect(sentiment('拆开盒子里面少了一根数据线').label).toBe('negative');
    expect(sentiment('鞋子穿了两天鞋跟就掉了').label).toBe('negative');
    expect(sentiment('收到第二天就推荐给同事了').label).toBe('positive');
    expect(sentiment('这个杯子能装开水吗').label).toBe('neutral');
    expect(sentiment('周末能送到吗').label).toBe('neutral');
    expect(sentiment('麻烦帮我核对一下地址').label).toBe('neutral');
  });

  it('without the model the lexicon works alone (and the model is what reads opinion-free complaints)', () => {
    const complaints = ['说明书和保修卡都没有', '衣服上还挂着别人的吊牌', '下单一周了物流还没动'];
    useSentimentModel(undefined);
    expect(modelSentiment(complaints[0] as string)).toBeUndefined();
    for (const text of complaints) expect(sentiment(text).label).toBe('neutral');
    expect(sentiment('质量很好，下次还来').label).toBe('positive');
    useSentimentModel(null);
    for (const text of complaints) expect(sentiment(text).label).toBe('negative');
  });

  it('a confident lexicon verdict is not overturned by the model', () => {
    expect(sentiment('质量太差了，非常失望').label).toBe('negative');
    expect(sentiment('非常满意，质量很好').label).toBe('positive');
    expect(sentiment('快两个小时才送到').label).toBe('negative');
  });
});
