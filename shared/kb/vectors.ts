/**
 * The table side of semantic retrieval (the scoring is pure, in shared/ai/embeddings.ts): article
 * vectors cached one item per article version and embeddings model, written lazily the first time a
 * question needs them, and the bot's entry point that fuses the semantic ranking with the lexical
 * one — or keeps the lexical one, whatever fails. Query vectors are never stored.
 */
import { BatchGetCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  type ArticleVersionRef,
  articleText,
  EMBEDDINGS,
  type EmbeddingPorts,
  fuseSemantic,
  type SemanticResult,
  semanticSimilarities,
} from '#shared/ai/embeddings.ts';
import type { KbSearchResult } from '#shared/ai/kb-index.ts';
import { logger } from '#shared/log.ts';
import { type Key, keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import type { LoadedIndex } from './store.ts';

/** The embeddings model and one request to it (shared/bot/llm.ts `embeddingsProvider`). */
export interface VectorProvider {
  model: string;
  embed(texts: readonly string[]): Promise<ArrayLike<number>[]>;
}

/** Stored vectors expire after this long; an article still published is simply embedded again. */
const VECTOR_TTL_SECONDS = 30 * 86_400;

/** Float32, little-endian: 4 bytes a dimension (a 1,536-dimension vector is 6 KB). */
export function packVector(v: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(v.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < v.length; i++) view.setFloat32(i * 4, v[i] as number, true);
  return bytes;
}

export function unpackVector(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(Math.floor(bytes.byteLength / 4));
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/**
 * Current article versions, per container and published index version (an index is rebuilt on
 * every save, so a new index means versions may have moved). Read once per index, like the index.
 */
let versionCache: { index: string; versions: Map<string, number> } | undefined;

async function batchGet(requestKeys: Key[], projection: string, names: Record<string, string>): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < requestKeys.length; i += 100) {
    const res = await db().send(
      new BatchGetCommand({
        RequestItems: { [tableName()]: { Keys: requestKeys.slice(i, i + 100), ProjectionExpression: projection, ExpressionAttributeNames: names } },
      }),
    );
    out.push(...(res.Responses?.[tableName()] ?? []));
  }
  return out;
}

function tablePorts(provider: VectorProvider, indexVersion: string, conversationId: string): EmbeddingPorts {
  if (versionCache?.index !== indexVersion) versionCache = { index: indexVersion, versions: new Map() };
  const cache = versionCache;
  return {
    embed: (texts) => provider.embed(texts),
    async versions(ids) {
      const unknown = ids.filter((id) => !cache.versions.has(id));
      if (unknown.length > 0) {
        const items = await batchGet(
          unknown.map((id) => keys.article(id)),
          '#id, #v',
          { '#id': 'articleId', '#v': 'version' },
        );
        for (const item of items) cache.versions.set(String(item.articleId), Number(item.version));
      }
      return new Map(ids.flatMap((id) => (cache.versions.has(id) ? [[id, cache.versions.get(id) as number] as const] : [])));
    },
    async vectors(refs: readonly ArticleVersionRef[]) {
      // The pool holds at most 100 articles: one BatchGet. Keys it leaves unprocessed count as missing.
      const items = await batchGet(
        refs.map((r) => keys.articleVector(r.id, r.version, provider.model)),
        '#id, #vec',
        { '#id': 'articleId', '#vec': 'vector' },
      );
      return new Map(
        items.filter((item) => item.vector instanceof Uint8Array).map((item) => [String(item.articleId), unpackVector(item.vector as Uint8Array)]),
      );
    },
    async texts(ids) {
      const items = await batchGet(
        ids.map((id) => keys.article(id)),
        '#id, #v, #t, #b, #g',
        { '#id': 'articleId', '#v': 'version', '#t': 'title', '#b': 'body', '#g': 'tags' },
      );
      return items.map((item) => {
        const ref = { id: String(item.articleId), version: Number(item.version) };
        cache.versions.set(ref.id, ref.version);
        return {
          ...ref,
          text: articleText({ title: String(item.title ?? ''), body: String(item.body ?? ''), tags: (item.tags as string[] | undefined) ?? [] }),
        };
      });
    },
    async save(vectors) {
      const ttl = Math.floor(Date.now() / 1000) + VECTOR_TTL_SECONDS;
      const puts = vectors.map((v) => ({
        PutRequest: {
          Item: {
            ...keys.articleVector(v.id, v.version, provider.model),
            articleId: v.id,
            version: v.version,
            model: provider.model,
            dims: v.vector.length,
            vector: packVector(v.vector),
            ttl,
          },
        },
      }));
      for (let i = 0; i < puts.length; i += 25) {
        await db().send(new BatchWriteCommand({ RequestItems: { [tableName()]: puts.slice(i, i + 25) } }));
      }
    },
    failed(step, error) {
      logger.warn('semantic retrieval step failed', { conversationId, step, error: (error as Error | undefined)?.name ?? 'Error' });
    },
  };
}

/**
 * The bot's retrieval with semantic similarity fused in (LLM mode with `KEFU_EMBEDDINGS_MODEL`;
 * without a provider the lexical result is returned as it is). Compared: the lexical hits and then
 * the other published articles in the shopper's language, at most 100. Any failure — the provider's
 * timeout or error, the table — keeps the lexical result and is logged by error name only.
 */
export async function withEmbeddings(
  lexical: KbSearchResult,
  query: string,
  loaded: LoadedIndex | undefined,
  lang: string,
  provider: VectorProvider | undefined,
  conversationId: string,
): Promise<SemanticResult> {
  if (!provider || !loaded) return lexical;
  const sameLang = Object.entries(loaded.meta)
    .filter(([, m]) => m.lang === lang)
    .map(([id]) => id);
  const pool = [...new Set([...lexical.hits.map((h) => h.id), ...sameLang])].slice(0, EMBEDDINGS.poolMax);
  try {
    const { similar, embedded } = await semanticSimilarities(query, pool, tablePorts(provider, loaded.version, conversationId));
    const fused = fuseSemantic(lexical, similar);
    if (fused.semantic) logger.info('semantic retrieval', { conversationId, ...fused.semantic, embedded, decision: fused.decision });
    return fused;
  } catch (error) {
    logger.warn('semantic retrieval unavailable', { conversationId, error: (error as Error | undefined)?.name ?? 'Error' });
    return lexical;
  }
}
