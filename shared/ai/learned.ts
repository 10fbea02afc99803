/**
 * Learning from use: shoppers' choices (an article picked from the bot's clarify menu, an answer
 * marked helpful or not helpful) become query → article votes that re-rank later retrieval for
 * similar questions. Pure: the store (shared/kb/learning.ts) loads and saves the entries.
 *
 * - A query is reduced to its canonical concepts (Chinese words through the synonym groups, fillers
 *   and particles dropped; English stems), so "发到成都要几天呀" and "亲，发到成都大概多久" share a key.
 *   A vote is also filed under the key's one-concept-smaller subsets at half weight, and a lookup
 *   reads the query's own key plus those subsets, so a question one detail away still benefits.
 * - Evidence for an article counts distinct shoppers: each shopper has one vote per key and
 *   article (the latest: +1 picked/helpful, −1 not helpful), halving every `halfLifeDays`.
 * - Nothing moves on one shopper's word: the boost starts above one shopper's worth of evidence,
 *   saturates at `fullAt`, and an answer is forced only from `answerAt` distinct shoppers and only
 *   for an article the lexical search already returned (votes cannot add an unrelated article).
 * - Bounded: at most `maxArticlesPerKey` articles per key and `maxVotesPerArticle` votes per
 *   article (the newest), votes older than `maxAgeDays` dropped, plus a daily cap per shopper.
 */
import type { KbDecision, KbSearchResult, SearchHit } from './kb-index.ts';
import { cjkRuns, NEGATORS, normalize, STOPWORDS, stem, words } from './text.ts';
import { analyzeZh, zhCanonical } from './zh.ts';

export const LEARNING = {
  halfLifeDays: 30,
  maxAgeDays: 180,
  maxArticlesPerKey: 5,
  maxVotesPerArticle: 20,
  /** Votes one shopper may cast per shop and day (further ones are ignored). */
  perShopperDaily: 20,
  /** Concepts kept in a key (the query's first ones). */
  maxTerms: 6,
  /** Evidence at which the boost is full. */
  fullAt: 4,
  /** Largest relative score boost (and half of it as the largest demotion). */
  maxBoost: 0.8,
  /** Distinct-shopper evidence that lets the bot answer the learned article directly. */
  answerAt: 2.5,
  /** Weight of a vote filed under, or found through, a one-concept-smaller key. */
  subsetWeight: 0.5,
} as const;

/** One shopper's latest verdict on an article for a query key. */
export interface Vote {
  /** Shopper fingerprint (a hash, never the contact id itself). */
  s: string;
  /** +1 picked or helpful, −1 not helpful. */
  v: 1 | -1;
  /** Epoch ms of the vote. */
  at: number;
  /** 1 for the query's own key, subsetWeight for a subset key. */
  w: number;
}

/** The votes stored under one query key. */
export interface LearnedEntry {
  key: string;
  articles: Record<string, Vote[]>;
}

/** Canonical concepts of a question, in order of appearance, at most `maxTerms`. */
export function queryTerms(text: string): string[] {
  const norm = normalize(text);
  const out: string[] = [];
  const add = (t: string) => {
    if (t && !out.includes(t)) out.push(t);
  };
  if (cjkRuns(norm).length > 0) {
    for (const c of analyzeZh(norm).concepts) add(zhCanonical(c.word));
  }
  for (const w of words(norm)) if (!STOPWORDS.has(w) && !NEGATORS.has(w) && !/^\d+$/.test(w)) add(/^[a-z]/.test(w) ? stem(w) : w);
  return out.slice(0, LEARNING.maxTerms);
}

/** The storage key of a set of concepts (order-free). */
export function keyOf(terms: readonly string[]): string {
  return [...terms].sort().join('|');
}

/** The query's own key (weight 1) and, for 3+ concepts, each key with one concept left out. */
export function keysFor(terms: readonly string[]): Array<{ key: string; weight: number }> {
  if (terms.length === 0) return [];
  const out = [{ key: keyOf(terms), weight: 1 }];
  if (terms.length >= 3) {
    for (let i = 0; i < terms.length; i++) {
      const key = keyOf(terms.filter((_, j) => j !== i));
      if (!out.some((k) => k.key === key)) out.push({ key, weight: LEARNING.subsetWeight });
    }
  }
  return out;
}

const DAY_MS = 86_400_000;

/** A vote's weight now: its own weight halved every halfLifeDays. */
export function decayed(vote: Vote, now: number): number {
  const age = Math.max(0, now - vote.at) / DAY_MS;
  return vote.w * 0.5 ** (age / LEARNING.halfLifeDays);
}

/**
 * Adds (or replaces) one shopper's vote for an article under an entry: one vote per shopper and
 * article, the newest `maxVotesPerArticle` kept, expired votes dropped, and at most
 * `maxArticlesPerKey` articles (the weakest evicted, never the one just voted for).
 */
export function addVote(entry: LearnedEntry, articleId: string, vote: Vote, now: number): LearnedEntry {
  const maxAge = LEARNING.maxAgeDays * DAY_MS;
  const articles: Record<string, Vote[]> = {};
  for (const [id, votes] of Object.entries(entry.articles)) {
    const kept = votes.filter((x) => now - x.at <= maxAge && !(id === articleId && x.s === vote.s));
    if (kept.length > 0 || id === articleId) articles[id] = kept;
  }
  articles[articleId] = [...(articles[articleId] ?? []), vote].sort((a, b) => a.at - b.at).slice(-LEARNING.maxVotesPerArticle);
  const ids = Object.keys(articles);
  if (ids.length > LEARNING.maxArticlesPerKey) {
    const strength = (id: string) => (articles[id] as Vote[]).reduce((sum, x) => sum + Math.abs(decayed(x, now)), 0);
    const evict = ids
      .filter((id) => id !== articleId)
      .sort((a, b) => strength(a) - strength(b))
      .slice(0, ids.length - LEARNING.maxArticlesPerKey);
    for (const id of evict) delete articles[id];
  }
  return { key: entry.key, articles };
}

/**
 * Net evidence per article from the entries a lookup found (each with its lookup weight): every
 * shopper counts once per article, with their strongest matching vote.
 */
export function evidence(found: ReadonlyArray<{ entry: LearnedEntry; weight: number }>, now: number): Map<string, number> {
  const best = new Map<string, Map<string, number>>();
  for (const { entry, weight } of found) {
    for (const [id, votes] of Object.entries(entry.articles)) {
      const perShopper = best.get(id) ?? new Map<string, number>();
      best.set(id, perShopper);
      for (const vote of votes) {
        const value = vote.v * weight * decayed(vote, now);
        const previous = perShopper.get(vote.s);
        if (previous === undefined || Math.abs(value) > Math.abs(previous)) perShopper.set(vote.s, value);
      }
    }
  }
  const out = new Map<string, number>();
  for (const [id, perShopper] of best) {
    let sum = 0;
    for (const v of perShopper.values()) sum += v;
    if (sum !== 0) out.set(id, Math.round(sum * 1e4) / 1e4);
  }
  return out;
}

/** 0 up to one shopper's worth of evidence, rising to 1 at fullAt. */
function ramp(e: number): number {
  return Math.min(1, Math.max(0, (e - 1) / (LEARNING.fullAt - 1)));
}

/** The factor learned evidence applies to an article's retrieval score. */
export function boostFactor(e: number): number {
  return e >= 0 ? 1 + LEARNING.maxBoost * ramp(e) : 1 - (LEARNING.maxBoost / 2) * ramp(-e);
}

/** A retrieval result after learned votes: the evidence used travels with it (for logs and tests). */
export type LearnedResult = KbSearchResult & { learned?: { articleId: string; evidence: number } };

/**
 * Re-ranks retrieved hits with learned evidence and revises the decision: the bot answers an
 * article that `answerAt` distinct shoppers chose for this question when it ranks first and
 * clearly ahead; an answer shoppers rejected as often becomes a question back; a new leader on
 * weaker evidence is offered in the menu, never answered.
 */
export function applyLearned(result: KbSearchResult, ev: ReadonlyMap<string, number>): LearnedResult {
  if (ev.size === 0 || result.hits.length === 0) return result;
  const rescored: SearchHit[] = result.hits
    .map((h) => ({ id: h.id, score: Math.round(h.score * boostFactor(ev.get(h.id) ?? 0) * 1e4) / 1e4 }))
    .sort((a, b) => b.score - a.score);
  const top = rescored[0] as SearchHit;
  const s2 = rescored[1]?.score ?? 0;
  const margin = top.score > 0 ? (top.score - s2) / top.score : 0;
  const e = ev.get(top.id) ?? 0;
  const sameTop = top.id === result.hits[0]?.id;
  let decision: KbDecision = result.decision;
  if (e >= LEARNING.answerAt && margin >= 0.1) decision = 'answer';
  else if (!sameTop) decision = result.decision === 'handoff' ? 'handoff' : 'clarify';
  else if (e <= -LEARNING.answerAt && decision === 'answer') decision = 'clarify';
  return {
    ...result,
    hits: rescored,
    margin: Math.round(margin * 1e4) / 1e4,
    decision,
    ...(e !== 0 ? { learned: { articleId: top.id, evidence: e } } : {}),
  };
}
