/**
 * Kefu knowledge-base retrieval: an offline lexical index over FAQ/help articles.
 *
 * Two channels are scored with BM25F (title/tags weighted above body):
 *  - words: Porter-stemmed English content words plus Chinese character unigrams/bigrams,
 *    with a small general-English synonym table applied on the query side;
 *  - chars: boundary-marked character trigrams of English words (typo tolerance).
 * Adjacent word pairs add a phrase bonus, and the channels are fused by a weighted sum of
 * max-normalised scores. RM3-style pseudo-relevance feedback is available (prfWeight) but
 * off by default because it did not help on FAQ data. The index stores postings only (term → doc, tf per field), so it
 * serialises to JSON on publish and a query never re-tokenises the corpus.
 */
import { charNgrams, normalize, stem, STOPWORDS, NEGATORS, words, zhGrams } from './text.ts';
import { expandSynonyms } from './synonyms.ts';

/** A help-centre article as stored by Kefu. */
export interface Article {
  id: string;
  title: string;
  body: string;
  lang?: string;
  tags?: string[];
}

/** One ranked result. */
export interface SearchHit {
  id: string;
  score: number;
}

/** What the bot does with a retrieval result. */
export type KbDecision = 'answer' | 'clarify' | 'handoff';

/** Ranked hits plus the signals the bot uses to decide between answering, clarifying and handing off. */
export interface KbSearchResult {
  hits: SearchHit[];
  /** 0..1: combines query coverage by the top article and its margin over the runner-up. */
  confidence: number;
  /** (s1 - s2) / s1 on the fused score. */
  margin: number;
  /** Share of the query's idf mass found in the top article. */
  coverage: number;
  decision: KbDecision;
}

/** Tunable scoring parameters; stored with the index so a serialised index scores identically. */
export interface KbParams {
  k1: number;
  /** Field weights for [title, body]; tags count as title. */
  weights: [number, number];
  /** Length normalisation per field. */
  b: [number, number];
  /** Weight of the char-trigram channel in the fusion. */
  charWeight: number;
  /** Field weights for the char-trigram channel. */
  charFieldWeights: [number, number];
  /** k1 of the char-trigram channel. */
  charK1: number;
  /** Weight of the title phrase (adjacent pair) bonus. */
  phraseWeight: number;
  /** Pseudo-relevance feedback: docs, expansion terms, and weight of the expansion. */
  prfDocs: number;
  prfTerms: number;
  prfWeight: number;
  /** Weight of synonym-expanded query terms relative to the original. */
  synonymWeight: number;
}

/** Defaults chosen from IR practice (BM25F title boost, RM3 with ~10 terms), not per-row tuning. */
export const DEFAULT_PARAMS: KbParams = {
  k1: 4,
  weights: [6, 1],
  b: [0.6, 0.8],
  charWeight: 0.5,
  charFieldWeights: [1, 0],
  charK1: 4,
  phraseWeight: 0.3,
  prfDocs: 3,
  prfTerms: 10,
  prfWeight: 0,
  synonymWeight: 0.6,
};

const FIELDS = 2;

/** Serialised form of a KbIndex (plain JSON: arrays of numbers and strings). */
export interface KbIndexJson {
  format: 'kefu-kb-index';
  version: 1;
  params: KbParams;
  ids: string[];
  /** Per channel: field lengths per doc, flattened [doc0.title, doc0.body, doc1.title, …]. */
  lengths: { words: number[]; chars: number[] };
  /** Per channel: term → flat postings [doc, tfTitle, tfBody, doc, …]. */
  postings: { words: Record<string, number[]>; chars: Record<string, number[]>; pairs: Record<string, number[]> };
  /** Document frequency of each title char-trigram over whole articles (idf from all the text). */
  charDf: Record<string, number>;
}

interface Channel {
  /** term → doc indices */
  docs: Map<string, Int32Array>;
  /** term → BM25F saturated weight per posting (without idf) */
  weights: Map<string, Float32Array>;
  idf: Map<string, number>;
  raw: Record<string, number[]>;
  lengths: number[];
}

/** Article text → word-channel terms per field (stemmed English + zh grams). */
function wordTerms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (STOPWORDS.has(w) || NEGATORS.has(w)) continue;
    out.push(stem(w));
  }
  for (const g of zhGrams(text, { dropStop: true })) out.push(g);
  return out;
}

/** Word → char-trigram terms (English words of 3+ letters only). */
function charTerms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (w.length < 3 || STOPWORDS.has(w) || /^\d+$/.test(w)) continue;
    for (const g of charNgrams(w, 3)) out.push(g);
  }
  return out;
}

/** Adjacent content-word pairs ("strikethrough gmail" → "strikethrough_gmail"), order-insensitive. */
function pairTerms(stems: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < stems.length; i++) {
    const a = stems[i] as string;
    const b = stems[i + 1] as string;
    if (a === b) continue;
    out.push(a < b ? `${a}_${b}` : `${b}_${a}`);
  }
  return out;
}

function addPostings(target: Record<string, number[]>, doc: number, field: number, terms: readonly string[]): void {
  const tf = new Map<string, number>();
  for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
  for (const [t, n] of tf) {
    let list = target[t];
    if (!list) target[t] = list = [];
    const last = list.length - (FIELDS + 1);
    if (last >= 0 && list[last] === doc) {
      list[last + 1 + field] = (list[last + 1 + field] as number) + n;
    } else {
      const entry = [doc, 0, 0];
      entry[1 + field] = n;
      list.push(...entry);
    }
  }
}

function buildChannel(
  raw: Record<string, number[]>,
  lengths: number[],
  nDocs: number,
  p: { k1: number; weights: [number, number]; b: [number, number] },
  dfOverride?: Record<string, number>,
): Channel {
  const avg = [0, 0];
  for (let d = 0; d < nDocs; d++) for (let f = 0; f < FIELDS; f++) avg[f] = (avg[f] as number) + (lengths[d * FIELDS + f] as number);
  for (let f = 0; f < FIELDS; f++) avg[f] = Math.max(1, (avg[f] as number) / Math.max(1, nDocs));
  const docs = new Map<string, Int32Array>();
  const weights = new Map<string, Float32Array>();
  const idf = new Map<string, number>();
  for (const term of Object.keys(raw)) {
    const flat = raw[term] as number[];
    const n = flat.length / (FIELDS + 1);
    const ds = new Int32Array(n);
    const ws = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const d = flat[i * (FIELDS + 1)] as number;
      let tfTilde = 0;
      for (let f = 0; f < FIELDS; f++) {
        const tf = flat[i * (FIELDS + 1) + 1 + f] as number;
        if (tf === 0) continue;
        const len = lengths[d * FIELDS + f] as number;
        const bf = p.b[f] as number;
        tfTilde += ((p.weights[f] as number) * tf) / (1 - bf + (bf * len) / (avg[f] as number));
      }
      ds[i] = d;
      ws[i] = tfTilde / (p.k1 + tfTilde);
    }
    docs.set(term, ds);
    weights.set(term, ws);
    const df = dfOverride?.[term] ?? n;
    idf.set(term, Math.log(1 + (nDocs - df + 0.5) / (df + 0.5)));
  }
  return { docs, weights, idf, raw, lengths };
}

/** Accumulates weighted channel scores for the given query terms into `scores`. */
function scoreInto(ch: Channel, query: ReadonlyMap<string, number>, scores: Float64Array): void {
  for (const [term, qw] of query) {
    const ds = ch.docs.get(term);
    if (!ds) continue;
    const ws = ch.weights.get(term) as Float32Array;
    const w = qw * (ch.idf.get(term) as number);
    for (let i = 0; i < ds.length; i++) {
      const d = ds[i] as number;
      scores[d] = (scores[d] as number) + w * (ws[i] as number);
    }
  }
}

function maxOf(a: Float64Array): number {
  let m = 0;
  for (const x of a) if (x > m) m = x;
  return m;
}

function addTo(map: Map<string, number>, key: string, v: number): void {
  map.set(key, (map.get(key) ?? 0) + v);
}

/** A built knowledge-base index; cheap to query, serialisable with toJSON()/fromJSON(). */
export class KbIndex {
  readonly ids: string[];
  readonly params: KbParams;
  private readonly wordCh: Channel;
  private readonly charCh: Channel;
  private readonly pairCh: Channel;
  private readonly charDf: Record<string, number>;
  /** Per doc: word-channel terms with their tf, for pseudo-relevance feedback. */
  private readonly docTerms: Array<Map<string, number>>;

  private constructor(json: KbIndexJson) {
    this.ids = json.ids;
    this.params = json.params;
    this.charDf = json.charDf;
    const n = json.ids.length;
    this.wordCh = buildChannel(json.postings.words, json.lengths.words, n, json.params);
    this.charCh = buildChannel(json.postings.chars, json.lengths.chars, n, {
      k1: json.params.charK1,
      weights: json.params.charFieldWeights,
      b: json.params.b,
    }, json.charDf);
    this.pairCh = buildChannel(json.postings.pairs, json.lengths.words, n, json.params);
    this.docTerms = Array.from({ length: n }, () => new Map<string, number>());
    for (const [term, flat] of Object.entries(json.postings.words)) {
      for (let i = 0; i < flat.length; i += FIELDS + 1) {
        const tf = (flat[i + 1] as number) * (json.params.weights[0] as number) + (flat[i + 2] as number);
        (this.docTerms[flat[i] as number] as Map<string, number>).set(term, tf);
      }
    }
  }

  /** Number of indexed articles. */
  get size(): number {
    return this.ids.length;
  }

  /** Builds the index from articles; called when a shop publishes its help centre. */
  static build(articles: readonly Article[], params: Partial<KbParams> = {}): KbIndex {
    const p: KbParams = { ...DEFAULT_PARAMS, ...params };
    const postings: KbIndexJson['postings'] = { words: {}, chars: {}, pairs: {} };
    const lengths: KbIndexJson['lengths'] = { words: [], chars: [] };
    const charSeen: Array<Set<string>> = [];
    articles.forEach((a, d) => {
      const seen = new Set<string>();
      charSeen.push(seen);
      const title = `${a.title} ${(a.tags ?? []).join(' ')}`;
      const fields = [title, a.body];
      fields.forEach((text, f) => {
        const wt = wordTerms(text);
        const ct = charTerms(text);
        for (const g of ct) seen.add(g);
        addPostings(postings.words, d, f, wt);
        if ((p.charFieldWeights[f] as number) > 0) addPostings(postings.chars, d, f, ct);
        addPostings(postings.pairs, d, f, pairTerms(wt));
        lengths.words.push(wt.length);
        lengths.chars.push((p.charFieldWeights[f] as number) > 0 ? ct.length : 0);
      });
    });
    const charDf: Record<string, number> = {};
    for (const seen of charSeen) {
      for (const term of seen) if (postings.chars[term] !== undefined) charDf[term] = (charDf[term] ?? 0) + 1;
    }
    return new KbIndex({ format: 'kefu-kb-index', version: 1, params: p, ids: articles.map((a) => a.id), lengths, postings, charDf });
  }

  /** Restores an index stored with toJSON() (e.g. from S3 into a warm Lambda container). */
  static fromJSON(json: KbIndexJson | string): KbIndex {
    const data = (typeof json === 'string' ? JSON.parse(json) : json) as KbIndexJson;
    if (data.format !== 'kefu-kb-index' || data.version !== 1) throw new Error('not a kefu kb index (format/version mismatch)');
    return new KbIndex(data);
  }

  /** Plain-JSON form of the index for storage. */
  toJSON(): KbIndexJson {
    return {
      format: 'kefu-kb-index',
      version: 1,
      params: this.params,
      ids: this.ids,
      lengths: { words: this.wordCh.lengths, chars: this.charCh.lengths },
      postings: { words: this.wordCh.raw, chars: this.charCh.raw, pairs: this.pairCh.raw },
      charDf: this.charDf,
    };
  }

  /** Query → weighted word-channel terms (original terms weight 1, synonyms lower). */
  private queryWords(query: string): { terms: Map<string, number>; stems: string[]; original: Set<string> } {
    const terms = new Map<string, number>();
    const original = new Set<string>();
    const stems: string[] = [];
    const ws = words(query);
    let content = ws.filter((w) => !STOPWORDS.has(w) && !NEGATORS.has(w));
    if (content.length === 0) content = ws;
    for (const w of content) {
      const s = stem(w);
      stems.push(s);
      original.add(s);
      addTo(terms, s, 1);
    }
    for (const w of content) {
      for (const syn of expandSynonyms(w)) {
        for (const part of syn.split(' ')) {
          const s = stem(part);
          if (!terms.has(s) && !STOPWORDS.has(part)) terms.set(s, this.params.synonymWeight);
        }
      }
    }
    for (const g of zhGrams(query, { dropStop: true })) {
      original.add(g);
      addTo(terms, g, g.length > 1 ? 1 : 0.5);
    }
    return { terms, stems, original };
  }

  /** Fused scores for every doc plus the coverage of the query by each doc. */
  private scoreAll(query: string): { scores: Float64Array; original: Set<string> } {
    const n = this.ids.length;
    const p = this.params;
    const { terms, stems, original } = this.queryWords(query);

    const wordScores = new Float64Array(n);
    scoreInto(this.wordCh, terms, wordScores);

    if (p.prfDocs > 0 && p.prfWeight > 0) {
      const fb = this.feedbackTerms(wordScores, terms);
      if (fb.size > 0) scoreInto(this.wordCh, fb, wordScores);
    }

    const fused = new Float64Array(n);
    const wMax = maxOf(wordScores);
    if (wMax > 0) for (let d = 0; d < n; d++) fused[d] = (wordScores[d] as number) / wMax;

    if (p.charWeight > 0) {
      const cq = new Map<string, number>();
      for (const t of charTerms(query)) addTo(cq, t, 1);
      const cs = new Float64Array(n);
      scoreInto(this.charCh, cq, cs);
      const cMax = maxOf(cs);
      if (cMax > 0) for (let d = 0; d < n; d++) fused[d] = (fused[d] as number) + (p.charWeight * (cs[d] as number)) / cMax;
    }

    if (p.phraseWeight > 0) {
      const pq = new Map<string, number>();
      for (const t of pairTerms(stems)) addTo(pq, t, 1);
      if (pq.size > 0) {
        const ps = new Float64Array(n);
        scoreInto(this.pairCh, pq, ps);
        const pMax = maxOf(ps);
        if (pMax > 0) for (let d = 0; d < n; d++) fused[d] = (fused[d] as number) + (p.phraseWeight * (ps[d] as number)) / pMax;
      }
    }
    return { scores: fused, original };
  }

  /** RM3-style expansion: terms frequent in the top first-pass docs, weighted by doc score and idf. */
  private feedbackTerms(first: Float64Array, query: ReadonlyMap<string, number>): Map<string, number> {
    const p = this.params;
    const top = topK(first, p.prfDocs);
    const acc = new Map<string, number>();
    const maxS = top.length > 0 ? (first[top[0] as number] as number) : 0;
    if (maxS <= 0) return acc;
    for (const d of top) {
      const docW = (first[d] as number) / maxS;
      const terms = this.docTerms[d] as Map<string, number>;
      let total = 0;
      for (const tf of terms.values()) total += tf;
      for (const [t, tf] of terms) {
        if (query.has(t)) continue;
        const idf = this.wordCh.idf.get(t) ?? 0;
        addTo(acc, t, docW * (tf / total) * idf);
      }
    }
    const best = [...acc.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, p.prfTerms);
    const out = new Map<string, number>();
    const norm = best.length > 0 ? (best[0] as [string, number])[1] : 1;
    for (const [t, v] of best) out.set(t, (p.prfWeight * v) / norm);
    return out;
  }

  /** Top-k article ids by relevance, best first. */
  search(query: string, opts: { top?: number } = {}): SearchHit[] {
    return this.searchDetailed(query, opts).hits;
  }

  /** Ranked hits plus confidence, margin, coverage and the answer/clarify/handoff decision. */
  searchDetailed(query: string, opts: { top?: number; answerAt?: number; clarifyAt?: number } = {}): KbSearchResult {
    const top = opts.top ?? 10;
    const { scores, original } = this.scoreAll(normalize(query));
    const order = topK(scores, Math.max(top, 2));
    const hits = order.slice(0, top).map((d) => ({ id: this.ids[d] as string, score: round4(scores[d] as number) }));
    const s1 = order[0] !== undefined ? (scores[order[0]] as number) : 0;
    const s2 = order[1] !== undefined ? (scores[order[1]] as number) : 0;
    const margin = s1 > 0 ? (s1 - s2) / s1 : 0;
    const coverage = order[0] !== undefined ? this.coverage(order[0], original) : 0;
    const confidence = s1 > 0 ? Math.min(1, coverage * (0.4 + 0.6 * Math.min(1, margin * 4))) : 0;
    const answerAt = opts.answerAt ?? 0.45;
    const clarifyAt = opts.clarifyAt ?? 0.2;
    const decision: KbDecision = confidence >= answerAt ? 'answer' : confidence >= clarifyAt ? 'clarify' : 'handoff';
    return { hits, confidence: round4(confidence), margin: round4(margin), coverage: round4(coverage), decision };
  }

  /** Idf-weighted share of the user's own query terms (not expansions) present in the doc. */
  private coverage(doc: number, original: ReadonlySet<string>): number {
    const terms = this.docTerms[doc] as Map<string, number>;
    let total = 0;
    let hit = 0;
    for (const t of original) {
      const idf = this.wordCh.idf.get(t) ?? Math.log(1 + this.ids.length);
      total += idf;
      if (terms.has(t)) hit += idf;
    }
    return total > 0 ? hit / total : 0;
  }
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** Indices of the k largest positive scores, ties broken by index for determinism. */
function topK(scores: Float64Array, k: number): number[] {
  const idx: number[] = [];
  for (let d = 0; d < scores.length; d++) if ((scores[d] as number) > 0) idx.push(d);
  idx.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  return idx.slice(0, k);
}

/** Builds a KB index (the function form used by the CLI, publish hook and bot). */
export function buildIndex(articles: readonly Article[], params: Partial<KbParams> = {}): KbIndex {
  return KbIndex.build(articles, params);
}
