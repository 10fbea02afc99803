/**
 * Semantic retrieval, the optional part of the bot's retrieval: in LLM mode with an embeddings model
 * (`KEFU_EMBEDDINGS_MODEL`), the question and the articles are embedded by the same
 * OpenAI-compatible server and the cosine similarity re-ranks the lexical result. Unset (the
 * default, and always offline) the lexical index alone decides.
 *
 * Pure: the provider call and the vector cache are ports (`EmbeddingPorts`); the adapters live in
 * shared/kb/vectors.ts (table) and shared/bot/llm.ts (provider). No network here.
 *
 * Fusion is reciprocal-rank fusion (Cormack, Clarke & Büttcher 2009), weighted, not a weighted sum
 * of scores: the lexical score is a max-normalised BM25F sum and the cosine scale depends on the
 * model the shop points us at (some models put every pair of texts between 0.7 and 0.9), so a sum
 * would need weights calibrated per model, and no real model is available here to calibrate
 * against. RRF uses only the two rankings and rewards agreement. The one calibrated number we have
 * weights the lexical list: the index's own confidence (the answer/clarify thresholds are tuned on
 * it). A lexical ranking the index is sure of counts as much as the semantic one; a ranking it would
 * hand off on (a paraphrase whose words the index never saw, matched on stray characters) hardly
 * counts, so stray matches cannot outvote the model by agreeing with it weakly. The constant is 10,
 * not the usual 60: that value flattens ranks for lists of thousands, ours hold 8 and 5 entries.
 * The semantic list is cut to its top `semanticTop`: at most that many articles the lexical index
 * did not find join the candidates.
 */
import type { KbDecision, KbSearchResult, SearchHit } from './kb-index.ts';

export const EMBEDDINGS = {
  /** RRF constant: 1/(k + rank). Small because the lists are short (8 lexical hits, 5 neighbours). */
  rrfK: 10,
  /** Semantic neighbours that take part in the fusion. */
  semanticTop: 5,
  /** Articles compared per turn (one BatchGet of their vectors holds at most 100 keys). */
  poolMax: 100,
  /** Article vectors computed per turn when missing (one provider request); the rest follow on later turns. */
  newPerTurn: 32,
  /** Characters of an article (title, tags, body) sent to be embedded. */
  textChars: 1500,
} as const;

/** Cosine similarity; 0 for vectors of different length or without magnitude. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** An article's similarity to the question. */
export interface Similarity {
  id: string;
  similarity: number;
}

/** Articles by similarity to the query vector, best first (only positive similarities). */
export function rankBySimilarity(query: ArrayLike<number>, vectors: ReadonlyMap<string, ArrayLike<number>>): Similarity[] {
  const out: Similarity[] = [];
  for (const [id, v] of vectors) {
    const similarity = cosine(query, v);
    if (similarity > 0) out.push({ id, similarity });
  }
  return out.sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : 1));
}

/** A retrieval result after semantic fusion: the semantic leader travels with it (logs, tests). */
export type SemanticResult = KbSearchResult & { semantic?: { articleId: string; similarity: number; promoted: boolean } };

/**
 * Weighted reciprocal-rank fusion of the lexical hits (weight: the lexical confidence) and the
 * semantic ranking (weight 1). Scores are scaled so that first in both lists at full confidence is
 * 1; ties go to the higher similarity, then the lexical order. Coverage and confidence stay the
 * lexical ones; the margin is recomputed on the fused scores. A new leader is never answered
 * outright: an `answer` becomes `clarify` (as with learned votes), and a lexical `handoff` stays one
 * (in LLM mode the model reads the fused candidates either way).
 */
export function fuseSemantic(lexical: KbSearchResult, similar: readonly Similarity[]): SemanticResult {
  if (similar.length === 0) return lexical;
  const k = EMBEDDINGS.rrfK;
  const lexicalWeight = Math.min(1, Math.max(0, lexical.confidence));
  const fused = new Map<string, number>();
  const add = (id: string, weight: number, rank: number) => fused.set(id, (fused.get(id) ?? 0) + weight / (k + rank));
  for (const [i, h] of lexical.hits.entries()) add(h.id, lexicalWeight, i + 1);
  for (const [i, s] of similar.slice(0, EMBEDDINGS.semanticTop).entries()) add(s.id, 1, i + 1);
  const sim = new Map(similar.map((s) => [s.id, s.similarity]));
  const lexRank = new Map(lexical.hits.map((h, i) => [h.id, i]));
  const best = 2 / (k + 1);
  const hits: SearchHit[] = [...fused.entries()]
    .sort(
      ([a, x], [b, y]) =>
        y - x || (sim.get(b) ?? 0) - (sim.get(a) ?? 0) || (lexRank.get(a) ?? Number.MAX_SAFE_INTEGER) - (lexRank.get(b) ?? Number.MAX_SAFE_INTEGER),
    )
    .map(([id, score]) => ({ id, score: round4(score / best) }));
  const top = hits[0] as SearchHit;
  const s2 = hits[1]?.score ?? 0;
  const sameTop = top.id === lexical.hits[0]?.id;
  const decision: KbDecision = sameTop ? lexical.decision : lexical.decision === 'answer' ? 'clarify' : lexical.decision;
  const leader = similar[0] as Similarity;
  return {
    ...lexical,
    hits,
    margin: round4(top.score > 0 ? (top.score - s2) / top.score : 0),
    decision,
    semantic: { articleId: leader.id, similarity: round4(leader.similarity), promoted: !sameTop },
  };
}

/** One stored version of an article. */
export interface ArticleVersionRef {
  id: string;
  version: number;
}

/** What semantic retrieval needs from the outside world (the provider and the vector cache). */
export interface EmbeddingPorts {
  /** One embeddings request: a vector per text, in order. Rejects on failure or timeout. */
  embed(texts: readonly string[]): Promise<ArrayLike<number>[]>;
  /** The current version of each article (unknown ids are left out). */
  versions(ids: readonly string[]): Promise<Map<string, number>>;
  /** Stored vectors of these article versions, by article id (one read). */
  vectors(refs: readonly ArticleVersionRef[]): Promise<Map<string, ArrayLike<number>>>;
  /** The text to embed for each article, with the version it belongs to. */
  texts(ids: readonly string[]): Promise<Array<ArticleVersionRef & { text: string }>>;
  /** Stores newly computed article vectors (per article version). */
  save(vectors: ReadonlyArray<ArticleVersionRef & { vector: ArrayLike<number> }>): Promise<void>;
  /** A step that failed without stopping the turn (logged by the adapter, error name only). */
  failed?(step: 'embed_articles' | 'save', error: unknown): void;
}

/** The text of an article as it is embedded: title, tags and the start of the body. */
export function articleText(a: { title: string; body: string; tags?: readonly string[] }): string {
  return [a.title, (a.tags ?? []).join(', '), a.body].filter(Boolean).join('\n').slice(0, EMBEDDINGS.textChars);
}

/**
 * Similarity of the question to each article of the pool. The question is embedded once, while
 * the stored vectors are read; article vectors missing for their current version are computed in
 * one request of at most `newPerTurn` texts and stored. A failure to embed the question (or to read
 * the cache) rejects — the caller keeps the lexical result; a failure to embed or store the missing
 * articles does not: the turn uses the vectors it has.
 */
export async function semanticSimilarities(
  query: string,
  pool: readonly string[],
  ports: EmbeddingPorts,
): Promise<{ similar: Similarity[]; embedded: number }> {
  const ids = pool.slice(0, EMBEDDINGS.poolMax);
  if (ids.length === 0) return { similar: [], embedded: 0 };
  const [queryVector, vectors] = await Promise.all([
    ports.embed([query]).then((v) => {
      if (!v[0]) throw new Error('no embedding returned');
      return v[0];
    }),
    ports.versions(ids).then(async (versions) => {
      const refs = ids.flatMap((id) => (versions.has(id) ? [{ id, version: versions.get(id) as number }] : []));
      return new Map<string, ArrayLike<number>>(refs.length > 0 ? await ports.vectors(refs) : []);
    }),
  ]);
  const missing = ids.filter((id) => !vectors.has(id)).slice(0, EMBEDDINGS.newPerTurn);
  let embedded = 0;
  if (missing.length > 0) {
    try {
      const texts = await ports.texts(missing);
      if (texts.length > 0) {
        const fresh = await ports.embed(texts.map((t) => t.text));
        const computed = texts.flatMap((t, i) => (fresh[i] ? [{ id: t.id, version: t.version, vector: fresh[i] as ArrayLike<number> }] : []));
        for (const c of computed) vectors.set(c.id, c.vector);
        embedded = computed.length;
        await ports.save(computed).catch((error: unknown) => ports.failed?.('save', error));
      }
    } catch (error) {
      ports.failed?.('embed_articles', error);
    }
  }
  return { similar: rankBySimilarity(queryVector, vectors), embedded };
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
