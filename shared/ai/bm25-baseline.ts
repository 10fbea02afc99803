/**
 * Plain Okapi BM25 over title + body, used only as the comparison floor in bench/eval.ts.
 * Terms: lower-cased words (no stemming, no stopwords) and Chinese character bigrams.
 */

import type { Article, SearchHit } from './kb-index.ts';
import { cjkRuns, normalize } from './text.ts';

/** Baseline term extraction: raw words plus CJK bigrams, deliberately without any linguistics. */
export function baselineTerms(text: string): string[] {
  const norm = normalize(text);
  const out: string[] = norm.replace(/[\u3400-\u9fff]+/gu, ' ').match(/[a-z0-9]+/g) ?? [];
  for (const run of cjkRuns(norm)) {
    const chars = Array.from(run);
    if (chars.length === 1) out.push(run);
    for (let i = 0; i + 1 < chars.length; i++) out.push((chars[i] as string) + (chars[i + 1] as string));
  }
  return out;
}

/** Minimal BM25 index, the reference point our KB index has to beat. */
export class Bm25Baseline {
  readonly ids: string[];
  private readonly postings = new Map<string, Array<[number, number]>>();
  private readonly lengths: number[];
  private readonly avgLen: number;
  private readonly k1: number;
  private readonly b: number;

  constructor(articles: readonly Article[], k1 = 1.2, b = 0.75) {
    this.k1 = k1;
    this.b = b;
    this.ids = articles.map((a) => a.id);
    this.lengths = [];
    articles.forEach((a, d) => {
      const terms = baselineTerms(`${a.title} ${a.body}`);
      this.lengths.push(terms.length);
      const tf = new Map<string, number>();
      for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [t, n] of tf) {
        let list = this.postings.get(t);
        if (!list) this.postings.set(t, (list = []));
        list.push([d, n]);
      }
    });
    this.avgLen = this.lengths.reduce((s, x) => s + x, 0) / Math.max(1, this.lengths.length);
  }

  /** Top-k articles by BM25 score. */
  search(query: string, opts: { top?: number } = {}): SearchHit[] {
    const top = opts.top ?? 10;
    const n = this.ids.length;
    const scores = new Float64Array(n);
    for (const t of new Set(baselineTerms(query))) {
      const list = this.postings.get(t);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const [d, tf] of list) {
        const norm = this.k1 * (1 - this.b + (this.b * (this.lengths[d] as number)) / this.avgLen);
        scores[d] = (scores[d] as number) + (idf * tf * (this.k1 + 1)) / (tf + norm);
      }
    }
    const order = Array.from(scores.keys()).filter((d) => (scores[d] as number) > 0);
    order.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
    return order.slice(0, top).map((d) => ({ id: this.ids[d] as string, score: scores[d] as number }));
  }
}

/** Convenience constructor mirroring buildIndex() for the eval script. */
export function buildBaseline(articles: readonly Article[]): Bm25Baseline {
  return new Bm25Baseline(articles);
}
