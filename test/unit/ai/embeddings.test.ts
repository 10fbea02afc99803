/**
 * Semantic retrieval (issue 16): the weighted reciprocal-rank fusion of the lexical and semantic
 * rankings, the lazily filled article-vector cache behind its ports, and the bot's entry point
 * that keeps the lexical result whenever embeddings are off or fail.
 */
import { readFileSync } from 'node:fs';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ArticleVersionRef,
  articleText,
  cosine,
  type EmbeddingPorts,
  fuseSemantic,
  rankBySimilarity,
  semanticSimilarities,
} from '#shared/ai/embeddings.ts';
import { buildIndex, type KbSearchResult } from '#shared/ai/kb-index.ts';
import { embeddingsProvider } from '#shared/bot/llm.ts';
import { resetConfig } from '#shared/config.ts';
import type { LoadedIndex } from '#shared/kb/store.ts';
import { packVector, unpackVector, withEmbeddings } from '#shared/kb/vectors.ts';
import { logger } from '#shared/log.ts';
import { fakeEmbedding } from '../../support/fake-openai.ts';

process.env.TABLE_NAME = 'Kefu';
const ddb = mockClient(DynamoDBDocumentClient);

interface DemoArticle {
  id: string;
  lang: 'zh' | 'en';
  title: string;
  body: string;
  tags?: string[];
}
const demo = JSON.parse(readFileSync(new URL('../../../shared/demo/kb-articles.json', import.meta.url), 'utf8')) as DemoArticle[];
const zh = demo.filter((a) => a.lang === 'zh');
const index = buildIndex(zh.map((a) => ({ id: a.id, title: a.title, body: a.body, lang: a.lang, tags: a.tags })));

/** A stand-in for a model that knows "几日可达" asks how long delivery takes (a paraphrase the index has no word for). */
const ALIASES: Array<[string, string]> = [['几日可达', '多久能收到货 配送时效']];
const embed = (text: string) => fakeEmbedding(text, ALIASES);
const articleVectors = new Map(zh.map((a) => [a.id, embed(articleText(a))]));

describe('cosine and the semantic ranking', () => {
  it('measures direction, not length, and refuses vectors of different sizes', () => {
    expect(cosine([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 10);
    expect(cosine([1, 0], [0, 1])).toBe(0);
    expect(cosine([1, 0], [-1, 0])).toBeCloseTo(-1, 10);
    expect(cosine([1, 0], [1, 0, 0])).toBe(0);
    expect(cosine([0, 0], [1, 0])).toBe(0);
  });

  it('ranks articles by similarity and leaves out the ones pointing away', () => {
    const ranked = rankBySimilarity(
      [1, 0],
      new Map([
        ['a', [0.5, 0.5]],
        ['b', [1, 0.1]],
        ['c', [-1, 0]],
      ]),
    );
    expect(ranked.map((r) => r.id)).toEqual(['b', 'a']);
  });
});

describe('fusing the lexical and semantic rankings', () => {
  it('a paraphrase with no word in the index gets the article the semantic ranking puts first', () => {
    const lexical = index.searchDetailed('蓉城几日可达？', { top: 8 });
    expect(lexical.hits).toEqual([]);
    const fused = fuseSemantic(lexical, rankBySimilarity(embed('蓉城几日可达？'), articleVectors));
    expect(fused.hits[0]?.id).toBe('kb-shipping-times-zh');
    expect(fused.semantic).toMatchObject({ articleId: 'kb-shipping-times-zh', promoted: true });
    // A new leader is offered to the model (LLM mode), never answered by the rules on its own.
    expect(fused.decision).not.toBe('answer');
  });

  it('stray lexical matches the index itself would hand off on cannot outvote the semantic leader', () => {
    // Hits on stray characters, as the index returns them for a paraphrase it has no word for.
    const lexical: KbSearchResult = {
      hits: [
        { id: 'kb-invoices-zh', score: 1 },
        { id: 'kb-damaged-wrong-item-zh', score: 0.95 },
        { id: 'kb-order-tracking-zh', score: 0.48 },
      ],
      confidence: 0.06,
      margin: 0.05,
      coverage: 0.11,
      decision: 'handoff',
    };
    const similar = rankBySimilarity(embed('发往蓉城几日可达？'), articleVectors);
    expect(similar[0]?.id).toBe('kb-shipping-times-zh');
    const fused = fuseSemantic(lexical, similar);
    expect(fused.hits[0]?.id).toBe('kb-shipping-times-zh');
    expect(fused.decision).toBe('handoff');
  });

  it('a confident lexical answer the model agrees with keeps its place and its decision', () => {
    const lexical = index.searchDetailed('积分什么时候过期', { top: 8 });
    expect(lexical.decision).toBe('answer');
    const fused = fuseSemantic(lexical, rankBySimilarity(embed('积分什么时候过期'), articleVectors));
    expect(fused.hits[0]?.id).toBe(lexical.hits[0]?.id);
    expect(fused.decision).toBe('answer');
    expect(fused.semantic?.promoted).toBe(false);
  });

  it('rewards agreement: first lexically and second semantically beats first semantically alone', () => {
    const lexical: KbSearchResult = {
      hits: [
        { id: 'a', score: 1 },
        { id: 'c', score: 0.5 },
      ],
      confidence: 1,
      margin: 0.5,
      coverage: 1,
      decision: 'answer',
    };
    const fused = fuseSemantic(lexical, [
      { id: 'b', similarity: 0.9 },
      { id: 'a', similarity: 0.8 },
    ]);
    expect(fused.hits.map((h) => h.id)).toEqual(['a', 'b', 'c']);
    expect(fused.hits[0]?.score).toBeLessThanOrEqual(1);
  });

  it('a semantic leader that overtakes a lexical answer turns it into a question back', () => {
    const lexical: KbSearchResult = { hits: [{ id: 'a', score: 1 }], confidence: 0.5, margin: 1, coverage: 0.5, decision: 'answer' };
    // The model ranks the lexical answer sixth, outside the neighbours that take part.
    const fused = fuseSemantic(
      lexical,
      ['b', 'c', 'd', 'e', 'f', 'a'].map((id, i) => ({ id, similarity: 0.9 - i * 0.1 })),
    );
    expect(fused.hits[0]?.id).toBe('b');
    expect(fused.decision).toBe('clarify');
  });

  it('without semantic neighbours the lexical result is returned untouched', () => {
    const lexical = index.searchDetailed('怎么开发票', { top: 8 });
    expect(fuseSemantic(lexical, [])).toBe(lexical);
  });
});

/** In-memory ports: a vector store keyed by article version, a provider that records its calls. */
function memoryPorts(opts: { failArticles?: boolean; failQuery?: boolean } = {}) {
  const stored = new Map<string, ArrayLike<number>>();
  const calls: string[][] = [];
  const failures: string[] = [];
  const versions = new Map(zh.map((a) => [a.id, 1]));
  const refKey = (r: ArticleVersionRef) => `${r.id}@${r.version}`;
  const ports: EmbeddingPorts = {
    async embed(texts) {
      calls.push([...texts]);
      const isQuery = texts.length === 1 && !texts[0]?.includes('\n');
      if ((isQuery && opts.failQuery) || (!isQuery && opts.failArticles))
        throw Object.assign(new Error('provider down'), { name: 'APIConnectionTimeoutError' });
      return texts.map(embed);
    },
    versions: async (ids) => new Map(ids.filter((id) => versions.has(id)).map((id) => [id, versions.get(id) as number])),
    vectors: async (refs) => new Map(refs.flatMap((r) => (stored.has(refKey(r)) ? [[r.id, stored.get(refKey(r)) as ArrayLike<number>] as const] : []))),
    texts: async (ids) => zh.filter((a) => ids.includes(a.id)).map((a) => ({ id: a.id, version: versions.get(a.id) as number, text: articleText(a) })),
    save: async (vectors) => {
      for (const v of vectors) stored.set(refKey(v), v.vector);
    },
    failed: (step) => failures.push(step),
  };
  return { ports, calls, failures, stored, versions };
}

describe('article vectors: computed lazily once per article version, the question embedded once per turn', () => {
  const pool = zh.map((a) => a.id);

  it('the first turn embeds the question and the missing articles; the next only the question', async () => {
    const m = memoryPorts();
    const first = await semanticSimilarities('蓉城几日可达？', pool, m.ports);
    expect(first.similar[0]?.id).toBe('kb-shipping-times-zh');
    expect(first.embedded).toBe(zh.length);
    expect(m.calls.map((c) => c.length)).toEqual([1, zh.length]);
    expect(m.stored.size).toBe(zh.length);

    const second = await semanticSimilarities('发往蓉城几日可达？', pool, m.ports);
    expect(second.embedded).toBe(0);
    expect(m.calls.slice(2)).toEqual([['发往蓉城几日可达？']]);
    expect(second.similar[0]?.id).toBe('kb-shipping-times-zh');
  });

  it('a new article version is embedded again, the others are reused', async () => {
    const m = memoryPorts();
    await semanticSimilarities('怎么开发票', pool, m.ports);
    m.versions.set('kb-invoices-zh', 2);
    const again = await semanticSimilarities('怎么开发票', pool, m.ports);
    expect(again.embedded).toBe(1);
    expect(m.calls.at(-1)).toHaveLength(1);
    expect(m.stored.has('kb-invoices-zh@2')).toBe(true);
  });

  it('failing to embed the articles keeps the turn going with the vectors it has', async () => {
    const m = memoryPorts({ failArticles: true });
    const result = await semanticSimilarities('怎么开发票', pool, m.ports);
    expect(result.similar).toEqual([]);
    expect(m.failures).toEqual(['embed_articles']);
    expect(m.stored.size).toBe(0);
  });

  it('failing to embed the question rejects (the caller keeps the lexical result)', async () => {
    const m = memoryPorts({ failQuery: true });
    await expect(semanticSimilarities('怎么开发票', pool, m.ports)).rejects.toThrow('provider down');
  });

  it('stores vectors compactly and reads them back exactly (float32)', () => {
    const v = [0.25, -1.5, 3.125, 0];
    expect(Array.from(unpackVector(packVector(v)))).toEqual(v);
    expect(packVector(new Array(1536).fill(0.1)).byteLength).toBe(6144);
  });
});

describe('the bot’s entry point keeps the lexical result whenever embeddings are off or fail', () => {
  const loaded = {
    version: 'v1',
    index,
    meta: Object.fromEntries(zh.map((a) => [a.id, { title: a.title, lang: 'zh' as const, category: 'x' }])),
  } as LoadedIndex;
  const lexical = index.searchDetailed('积分什么时候过期', { top: 8 });
  const saved = { key: process.env.OPENAI_API_KEY, model: process.env.KEFU_EMBEDDINGS_MODEL };

  beforeEach(() => ddb.reset());
  afterEach(() => {
    for (const [name, value] of [
      ['OPENAI_API_KEY', saved.key],
      ['KEFU_EMBEDDINGS_MODEL', saved.model],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetConfig();
    vi.restoreAllMocks();
  });

  it('embeddings need both LLM mode and a model: either one alone means lexical only', () => {
    delete process.env.KEFU_EMBEDDINGS_MODEL;
    process.env.OPENAI_API_KEY = 'sk-test';
    resetConfig();
    expect(embeddingsProvider(() => 30_000)).toBeUndefined();
    delete process.env.OPENAI_API_KEY;
    process.env.KEFU_EMBEDDINGS_MODEL = 'text-embedding-3-small';
    resetConfig();
    expect(embeddingsProvider(() => 30_000)).toBeUndefined();
    process.env.OPENAI_API_KEY = 'sk-test';
    resetConfig();
    expect(embeddingsProvider(() => 30_000)?.model).toBe('text-embedding-3-small');
  });

  it('without a provider nothing is read or called', async () => {
    expect(await withEmbeddings(lexical, '积分什么时候过期', loaded, 'zh', undefined, 'c1')).toBe(lexical);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('a provider timeout falls back to the lexical ranking, logged by error name only', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { Kefu: [] } });
    const warn = vi.spyOn(logger, 'warn');
    const provider = {
      model: 'm',
      embed: async () => {
        throw Object.assign(new Error('Request timed out after 800ms at http://secret-host'), { name: 'APIConnectionTimeoutError' });
      },
    };
    const result = await withEmbeddings(lexical, '积分什么时候过期', loaded, 'zh', provider, 'c1');
    expect(result).toBe(lexical);
    expect(warn).toHaveBeenCalledWith('semantic retrieval unavailable', { conversationId: 'c1', error: 'APIConnectionTimeoutError' });
    expect(JSON.stringify(warn.mock.calls)).not.toContain('secret-host');
  });

  it('a failing table falls back to the lexical ranking too', async () => {
    ddb.on(BatchGetCommand).rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    const provider = { model: 'm', embed: async (texts: readonly string[]) => texts.map(embed) };
    expect(await withEmbeddings(lexical, '积分什么时候过期', loaded, 'zh', provider, 'c1')).toBe(lexical);
  });

  it('with the table answering, a paraphrase gets the right article and the new vectors are written per article version', async () => {
    ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Array<{ pk: string }>; ProjectionExpression: string }> }) => {
      const request = input.RequestItems.Kefu!;
      // Article versions and texts come from the articles; no vector is stored yet.
      const items = request.Keys.filter((k) => k.pk.startsWith('ARTICLE#')).map((k) => {
        const a = zh.find((x) => `ARTICLE#${x.id}` === k.pk)!;
        return { articleId: a.id, version: 3, title: a.title, body: a.body, tags: a.tags };
      });
      return { Responses: { Kefu: items } };
    });
    ddb.on(BatchWriteCommand).resolves({});
    const provider = { model: 'fake-embed', embed: async (texts: readonly string[]) => texts.map(embed) };
    const paraphrase = index.searchDetailed('蓉城几日可达？', { top: 8 });
    const result = await withEmbeddings(paraphrase, '蓉城几日可达？', loaded, 'zh', provider, 'c1');
    expect(result.hits[0]?.id).toBe('kb-shipping-times-zh');
    const writes = ddb.commandCalls(BatchWriteCommand).flatMap((c) => c.args[0].input.RequestItems?.Kefu ?? []);
    expect(writes).toHaveLength(zh.length);
    expect(writes[0]?.PutRequest?.Item).toMatchObject({ pk: expect.stringMatching(/^ARTVEC#/), sk: 'fake-embed#V#000003', version: 3 });
  });
});
