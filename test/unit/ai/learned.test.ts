import { describe, expect, it } from 'vitest';
import type { KbSearchResult } from '#shared/ai/kb-index.ts';
import {
  addVote,
  applyLearned,
  boostFactor,
  decayed,
  evidence,
  keyOf,
  keysFor,
  LEARNING,
  type LearnedEntry,
  queryTerms,
  type Vote,
} from '#shared/ai/learned.ts';

const NOW = Date.UTC(2025, 5, 1);
const DAY = 86_400_000;
const vote = (s: string, v: 1 | -1 = 1, daysAgo = 0, w = 1): Vote => ({ s, v, at: NOW - daysAgo * DAY, w });
const entryWith = (articleId: string, votes: Vote[]): LearnedEntry => {
  let e: LearnedEntry = { key: 'k', articles: {} };
  for (const x of votes) e = addVote(e, articleId, x, NOW);
  return e;
};

/** A clarify result: the right article second, close behind. */
const menu: KbSearchResult = {
  hits: [
    { id: 'points-expiry', score: 1 },
    { id: 'coupons', score: 0.82 },
    { id: 'invoices', score: 0.33 },
  ],
  confidence: 0.3,
  margin: 0.18,
  coverage: 0.5,
  decision: 'clarify',
};

describe('query keys (similar questions share them)', () => {
  it('drops greetings, particles and question words and maps colloquial forms to one spelling', () => {
    expect(keyOf(queryTerms('亲，买多少钱可以包邮呀'))).toBe(keyOf(queryTerms('买多少钱能免运费')));
    expect(keyOf(queryTerms('发到成都大概要多久'))).toBe(keyOf(queryTerms('亲 在吗 发到成都要几天呀')));
    expect(keyOf(queryTerms('How long does shipping take?'))).toBe(keyOf(queryTerms('shipping: how long will it take')));
    expect(keyOf(queryTerms('券过期了能补吗'))).not.toBe(keyOf(queryTerms('积分过期了能补吗')));
  });

  it('is bounded and offers one-concept-smaller keys at lower weight for longer questions', () => {
    expect(queryTerms('a b c d e f g h i j k l m n o p q r s t u v w x y z 订单 退款 发票 积分 优惠券 物流').length).toBeLessThanOrEqual(LEARNING.maxTerms);
    const ks = keysFor(['a', 'b', 'c']);
    expect(ks[0]).toEqual({ key: 'a|b|c', weight: 1 });
    expect(ks.slice(1).map((k) => k.key)).toEqual(['b|c', 'a|c', 'a|b']);
    expect(ks.slice(1).every((k) => k.weight === LEARNING.subsetWeight)).toBe(true);
    expect(keysFor(['a', 'b'])).toHaveLength(1);
    expect(keysFor([])).toEqual([]);
  });
});

describe('votes: one per shopper, bounded, decaying', () => {
  it('a shopper repeating a vote replaces it instead of adding one', () => {
    let e: LearnedEntry = { key: 'k', articles: {} };
    for (let i = 0; i < 50; i++) e = addVote(e, 'coupons', vote('same'), NOW);
    expect(e.articles.coupons).toHaveLength(1);
    expect(evidence([{ entry: e, weight: 1 }], NOW).get('coupons')).toBe(1);
  });

  it('keeps the newest votes per article and at most maxArticlesPerKey articles (the weakest evicted)', () => {
    let e: LearnedEntry = { key: 'k', articles: {} };
    for (let i = 0; i < LEARNING.maxVotesPerArticle + 7; i++) e = addVote(e, 'a', vote(`s${i}`, 1, 30 - i), NOW);
    expect(e.articles.a).toHaveLength(LEARNING.maxVotesPerArticle);
    expect(e.articles.a?.some((x) => x.s === 's0')).toBe(false);
    for (let i = 0; i < LEARNING.maxArticlesPerKey + 2; i++) e = addVote(e, `b${i}`, vote('x', 1, 100 - i), NOW);
    expect(Object.keys(e.articles)).toHaveLength(LEARNING.maxArticlesPerKey);
    expect(e.articles.a).toBeDefined();
    expect(e.articles[`b${LEARNING.maxArticlesPerKey + 1}`]).toBeDefined();
  });

  it('halves a vote every halfLifeDays and forgets it after maxAgeDays', () => {
    expect(decayed(vote('a', 1, LEARNING.halfLifeDays), NOW)).toBeCloseTo(0.5, 6);
    expect(decayed(vote('a', 1, 2 * LEARNING.halfLifeDays), NOW)).toBeCloseTo(0.25, 6);
    const e = addVote(entryWith('old', [vote('a', 1, LEARNING.maxAgeDays + 1)]), 'new', vote('b'), NOW);
    expect(e.articles.old).toBeUndefined();
  });

  it('counts each shopper once across the keys a lookup found, with their strongest vote', () => {
    const exact = entryWith('coupons', [vote('a'), vote('b')]);
    const subset = entryWith('coupons', [vote('a', 1, 0, 0.5), vote('c', 1, 0, 0.5)]);
    const ev = evidence(
      [
        { entry: exact, weight: 1 },
        { entry: subset, weight: 0.5 },
      ],
      NOW,
    );
    expect(ev.get('coupons')).toBeCloseTo(2.25, 6);
  });

  it('nets helpful against not-helpful votes', () => {
    const e = entryWith('x', [vote('a'), vote('b', -1), vote('c', -1)]);
    expect(evidence([{ entry: e, weight: 1 }], NOW).get('x')).toBe(-1);
  });
});

describe('applyLearned (re-ranking and the decision)', () => {
  it('one shopper changes nothing', () => {
    expect(boostFactor(1)).toBe(1);
    expect(boostFactor(0)).toBe(1);
    const out = applyLearned(menu, new Map([['coupons', 1]]));
    expect(out.hits[0]?.id).toBe('points-expiry');
    expect(out.decision).toBe('clarify');
  });

  it('the boost grows with distinct shoppers and saturates', () => {
    expect(boostFactor(2)).toBeGreaterThan(1);
    expect(boostFactor(3)).toBeGreaterThan(boostFactor(2));
    expect(boostFactor(LEARNING.fullAt)).toBe(1 + LEARNING.maxBoost);
    expect(boostFactor(100)).toBe(1 + LEARNING.maxBoost);
    expect(boostFactor(-100)).toBe(1 - LEARNING.maxBoost / 2);
  });

  it('two shoppers may reorder the menu but the bot still asks back', () => {
    const out = applyLearned(menu, new Map([['coupons', 2]]));
    expect(out.hits[0]?.id).toBe('coupons');
    expect(out.decision).toBe('clarify');
  });

  it('enough distinct shoppers make the chosen article the answer', () => {
    const out = applyLearned(menu, new Map([['coupons', 3]]));
    expect(out.hits[0]?.id).toBe('coupons');
    expect(out.decision).toBe('answer');
    expect(out.learned).toEqual({ articleId: 'coupons', evidence: 3 });
  });

  it('never brings in an article the search did not return', () => {
    const out = applyLearned(menu, new Map([['unrelated', 50]]));
    expect(out.hits.map((h) => h.id)).toEqual(['points-expiry', 'coupons', 'invoices']);
    expect(out.decision).toBe('clarify');
  });

  it('an answer shoppers keep rejecting becomes a question back', () => {
    const answered: KbSearchResult = {
      ...menu,
      hits: [
        { id: 'a', score: 1 },
        { id: 'b', score: 0.3 },
      ],
      decision: 'answer',
    };
    expect(applyLearned(answered, new Map([['a', -1]])).decision).toBe('answer');
    expect(applyLearned(answered, new Map([['a', -3]])).decision).toBe('clarify');
  });
});
