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

import { expandSynonyms } from './synonyms.ts';
import { charNgrams, cjkRuns, detectLang, NEGATORS, normalize, STOPWORDS, stem, words, zhGrams } from './text.ts';
import { analyzeZh, ZH_LONG_WORDS, zhLongWords } from './zh.ts';

const LONG_WORDS: ReadonlySet<string> = new Set(ZH_LONG_WORDS);

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
  /** Chinese: weight of a synonym form of a query concept relative to the word itself. */
  zhSynonymWeight: number;
  /** Chinese: coverage weight of a query word the knowledge base has never seen, as a share of the maximum idf. */
  zhUnknownWeight: number;
  /** Chinese: coverage credit of a concept found only in an article's body (title/tags = 1). */
  zhBodyCoverage: number;
  /** Chinese: weight of the bigram joining two adjacent content words of the query. */
  zhJoinWeight: number;
  /**
   * Chinese decision: answer when the top article covers at least this share of the question's
   * concepts and is at least zhAnswerMargin ahead of the runner-up (else ask back).
   */
  zhAnswerCoverage: number;
  zhAnswerMargin: number;
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
  zhSynonymWeight: 0.7,
  zhUnknownWeight: 0.35,
  zhBodyCoverage: 0.6,
  zhJoinWeight: 0.5,
  zhAnswerCoverage: 0.35,
  zhAnswerMargin: 0.25,
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
  /** Article language per doc (null when unknown); present when any article declared one. */
  langs?: Array<string | null>;
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
  if (cjkRuns(text).length > 0) out.push(...zhLongWords(normalize(text)));
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

/** One concept of a Chinese query with its forms (the word, its synonyms) as index terms. */
interface QueryConcept {
  word: string;
  forms: Array<{ terms: string[]; weight: number; original: boolean }>;
}

/**
 * Index terms of one word or phrase: a long vocabulary word whole, else English stems plus
 * Chinese grams (a single character alone, else bigrams).
 */
function formTerms(form: string): string[] {
  if (LONG_WORDS.has(form)) return [form];
  const out: string[] = [];
  for (const w of words(form)) if (!STOPWORDS.has(w)) out.push(stem(w));
  for (const run of cjkRuns(form)) {
    const chars = Array.from(run);
    if (chars.length === 1) out.push(run);
    for (let i = 0; i + 1 < chars.length; i++) out.push((chars[i] as string) + (chars[i + 1] as string));
  }
  return out;
}

/** A built knowledge-base index; cheap to query, serialisable with toJSON()/fromJSON(). */
export class KbIndex {
  readonly ids: string[];
  readonly params: KbParams;
  private readonly wordCh: Channel;
  private readonly charCh: Channel;
  private readonly pairCh: Channel;
  private readonly charDf: Record<string, number>;
  private readonly langs: Array<string | null> | undefined;
  /** Per doc: word-channel terms with their tf, for pseudo-relevance feedback. */
  private readonly docTerms: Array<Map<string, number>>;
  /** Per doc: word-channel terms of the title and tags (an article's topic). */
  private readonly titleTerms: Array<Set<string>>;

  private constructor(json: KbIndexJson) {
    this.ids = json.ids;
    this.params = { ...DEFAULT_PARAMS, ...json.params };
    this.charDf = json.charDf;
    this.langs = json.langs;
    const n = json.ids.length;
    this.wordCh = buildChannel(json.postings.words, json.lengths.words, n, this.params);
    this.charCh = buildChannel(
      json.postings.chars,
      json.lengths.chars,
      n,
      {
        k1: this.params.charK1,
        weights: this.params.charFieldWeights,
        b: this.params.b,
      },
      json.charDf,
    );
    this.pairCh = buildChannel(json.postings.pairs, json.lengths.words, n, this.params);
    this.docTerms = Array.from({ length: n }, () => new Map<string, number>());
    this.titleTerms = Array.from({ length: n }, () => new Set<string>());
    for (const [term, flat] of Object.entries(json.postings.words)) {
      for (let i = 0; i < flat.length; i += FIELDS + 1) {
        const tf = (flat[i + 1] as number) * (this.params.weights[0] as number) + (flat[i + 2] as number);
        (this.docTerms[flat[i] as number] as Map<string, number>).set(term, tf);
        if ((flat[i + 1] as number) > 0) (this.titleTerms[flat[i] as number] as Set<string>).add(term);
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
    const json: KbIndexJson = { format: 'kefu-kb-index', version: 1, params: p, ids: articles.map((a) => a.id), lengths, postings, charDf };
    if (articles.some((a) => a.lang)) json.langs = articles.map((a) => a.lang ?? null);
    return new KbIndex(json);
  }

  /** Restores an index stored with toJSON() (e.g. from S3 into a warm Lambda container). */
  static fromJSON(json: KbIndexJson | string): KbIndex {
    const data = (typeof json === 'string' ? JSON.parse(json) : json) as KbIndexJson;
    if (data.format !== 'kefu-kb-index' || data.version !== 1) throw new Error('not a kefu kb index (format/version mismatch)');
    return new KbIndex(data);
  }

  /** Plain-JSON form of the index for storage. */
  toJSON(): KbIndexJson {
    const json: KbIndexJson = {
      format: 'kefu-kb-index',
      version: 1,
      params: this.params,
      ids: this.ids,
      lengths: { words: this.wordCh.lengths, chars: this.charCh.lengths },
      postings: { words: this.wordCh.raw, chars: this.charCh.raw, pairs: this.pairCh.raw },
      charDf: this.charDf,
    };
    if (this.langs) json.langs = this.langs;
    return json;
  }

  /**
   * Query → weighted English word-channel terms (original terms weight 1, synonyms lower) and
   * Chinese concepts (segmented content words with their synonym forms).
   */
  private queryWords(query: string): { terms: Map<string, number>; stems: string[]; original: Set<string>; concepts: QueryConcept[] } {
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
    const concepts: QueryConcept[] = [];
    if (cjkRuns(query).length > 0) {
      const zh = analyzeZh(query);
      // Adjacent content words written together in an article (退货|地址 → "货地") are a phrase match.
      for (const j of zh.joins) addTo(terms, j, this.params.zhJoinWeight);
      for (const c of zh.concepts) {
        const latin = !/[\u3400-\u9fff]/u.test(c.word);
        // A Latin shop word inside Chinese text ("refund") already scores as an English term;
        // as a concept it adds its Chinese synonyms and is covered once, not twice.
        if (latin) for (const s of formTerms(c.word)) original.delete(s);
        // Question-type words and ambiguous one-character verbs weigh half (zh.ts); when the
        // shopper's own word is not in the knowledge base (a typo, a variant: 优惠卷), its
        // synonyms are the best reading of it and weigh as much as the word itself.
        const scale = c.weight;
        const own = formTerms(c.word);
        const ownKnown = own.length > 0 && own.every((t) => this.wordCh.idf.has(t));
        const forms = [{ terms: own, weight: scale, original: true }];
        for (const syn of c.synonyms) {
          if (latin && !/[\u3400-\u9fff]/u.test(syn)) continue;
          // The Chinese words for an English shop word are translations: full weight.
          forms.push({ terms: formTerms(syn), weight: latin || !ownKnown ? scale : scale * this.params.zhSynonymWeight, original: false });
        }
        concepts.push({ word: c.word, forms: forms.filter((f) => f.terms.length > 0) });
      }
    }
    return { terms, stems, original, concepts };
  }

  /**
   * Adds each Chinese concept's best-matching form per doc: a concept counts once however many
   * synonyms it has. A form's score is the BM25F sum of its grams over √(number of grams).
   */
  private scoreConcepts(concepts: readonly QueryConcept[], scores: Float64Array): void {
    const n = this.ids.length;
    const best = new Float64Array(n);
    const tmp = new Float64Array(n);
    for (const c of concepts) {
      best.fill(0);
      for (const f of c.forms) {
        tmp.fill(0);
        const q = new Map<string, number>();
        const w = f.weight / Math.sqrt(f.terms.length);
        for (const t of f.terms) addTo(q, t, w);
        scoreInto(this.wordCh, q, tmp);
        for (let d = 0; d < n; d++) if ((tmp[d] as number) > (best[d] as number)) best[d] = tmp[d] as number;
      }
      for (let d = 0; d < n; d++) scores[d] = (scores[d] as number) + (best[d] as number);
    }
  }

  /** Fused scores for every doc plus what coverage needs. */
  private scoreAll(query: string): { scores: Float64Array; original: Set<string>; concepts: QueryConcept[] } {
    const n = this.ids.length;
    const p = this.params;
    const { terms, stems, original, concepts } = this.queryWords(query);

    const wordScores = new Float64Array(n);
    scoreInto(this.wordCh, terms, wordScores);
    if (concepts.length > 0) this.scoreConcepts(concepts, wordScores);

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
    return { scores: fused, original, concepts };
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
  search(query: string, opts: { top?: number; lang?: string } = {}): SearchHit[] {
    return this.searchDetailed(query, opts).hits;
  }

  /**
   * Ranked hits plus confidence, margin, coverage and the answer/clarify/handoff decision.
   * When the articles declare languages, articles in the query's language (`lang`, else detected
   * from the query) rank first and the decision is taken among them: a shopper writing Chinese
   * with an English word in it ("我的refund") is answered from the Chinese articles.
   */
  searchDetailed(query: string, opts: { top?: number; answerAt?: number; clarifyAt?: number; lang?: string } = {}): KbSearchResult {
    const top = opts.top ?? 10;
    const norm = normalize(query);
    const { scores, original, concepts } = this.scoreAll(norm);
    const lang = this.langs ? (opts.lang ?? detectLang(norm)) : undefined;
    const sameLang = (d: number) => lang === undefined || this.langs?.[d] == null || this.langs[d] === lang;
    const all = topK(scores, scores.length);
    const order = lang === undefined ? all : [...all.filter(sameLang), ...all.filter((d) => !sameLang(d))];
    const hits = order.slice(0, top).map((d) => ({ id: this.ids[d] as string, score: round4(scores[d] as number) }));
    const first = order[0] !== undefined && sameLang(order[0]) ? order[0] : undefined;
    const second = order[1] !== undefined && sameLang(order[1]) ? order[1] : undefined;
    const s1 = first !== undefined ? (scores[first] as number) : 0;
    const s2 = second !== undefined ? (scores[second] as number) : 0;
    const margin = s1 > 0 ? (s1 - s2) / s1 : 0;
    const coverage = first !== undefined ? this.coverage(first, original, concepts) : 0;
    const confidence = s1 > 0 ? Math.min(1, coverage * (0.4 + 0.6 * Math.min(1, margin * 4))) : 0;
    const answerAt = opts.answerAt ?? 0.45;
    const clarifyAt = opts.clarifyAt ?? 0.2;
    const p = this.params;
    // Chinese questions: two explicit conditions instead of the product (calibrated on our own
    // colloquial question set, dev split): enough of the question found, and clearly ahead.
    const answer = concepts.length > 0 && opts.answerAt === undefined ? coverage >= p.zhAnswerCoverage && margin >= p.zhAnswerMargin : confidence >= answerAt;
    const decision: KbDecision = answer ? 'answer' : confidence >= clarifyAt ? 'clarify' : 'handoff';
    return { hits, confidence: round4(confidence), margin: round4(margin), coverage: round4(coverage), decision };
  }

  /**
   * Idf-weighted share of the user's own query terms (not expansions) present in the doc. A
   * Chinese concept is covered when the doc holds the word or one of its synonyms; a Chinese word
   * the whole knowledge base has never seen (a city, a product name) weighs only
   * zhUnknownWeight of the maximum idf, so one specific detail does not sink a clear question.
   */
  private coverage(doc: number, original: ReadonlySet<string>, concepts: readonly QueryConcept[] = []): number {
    const terms = this.docTerms[doc] as Map<string, number>;
    const title = this.titleTerms[doc] as Set<string>;
    const maxIdf = Math.log(1 + this.ids.length);
    let total = 0;
    let hit = 0;
    const p = this.params;
    for (const t of original) {
      // In a Chinese question a Latin token (a number, "app", a model name) is a detail, not the topic.
      const idf = concepts.length > 0 ? p.zhUnknownWeight * maxIdf : (this.wordCh.idf.get(t) ?? maxIdf);
      total += idf;
      if (terms.has(t)) hit += idf;
    }
    for (const c of concepts) {
      const known = c.forms.filter((f) => f.terms.every((t) => this.wordCh.idf.has(t)));
      const idfOf = (f: QueryConcept['forms'][number]) => Math.max(...f.terms.map((t) => this.wordCh.idf.get(t) as number));
      const own = known.filter((f) => f.original);
      const weight =
        known.length === 0
          ? p.zhUnknownWeight * maxIdf
          : own.length > 0
            ? Math.max(...own.map(idfOf)) * (own[0] as QueryConcept['forms'][number]).weight
            : Math.max(...known.map((f) => idfOf(f) * f.weight));
      total += weight;
      // Covered in the title/tags (the article's topic) counts fully, in the body only partly.
      let got = 0;
      for (const f of c.forms) {
        if (f.terms.every((t) => title.has(t))) got = Math.max(got, 1);
        else if (f.terms.every((t) => terms.has(t))) got = Math.max(got, p.zhBodyCoverage);
      }
      hit += got * weight;
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
