import { gunzipSync, gzipSync } from 'node:zlib';
import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type Article, buildIndex, KbIndex } from '#shared/ai/kb-index.ts';
import { conflict } from '#shared/http/errors.ts';
import { keys } from '#shared/store/keys.ts';
import { db, queryAll, tableName } from '#shared/store/table.ts';

export type KbLang = 'zh' | 'en';

export interface KbArticle {
  articleId: string;
  lang: KbLang;
  title: string;
  /** Markdown, rendered inertly (as text) in the apps. */
  body: string;
  category: string;
  tags: string[];
  status: 'draft' | 'published';
  version: number;
  updatedAt: string;
  updatedBy: string;
}

const STRIP = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk']);
const clean = (item: Record<string, unknown>) => Object.fromEntries(Object.entries(item).filter(([k]) => !STRIP.has(k))) as unknown as KbArticle;

/** Reads the current version of an article. */
export async function getArticle(articleId: string): Promise<KbArticle | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.article(articleId) }));
  return res.Item ? clean(res.Item) : undefined;
}

/**
 * Saves an article as a new version (the previous one stays as `V#n`), conditional on the version
 * the editor read, so two admins editing at once get a 409 instead of a silent overwrite.
 */
export async function saveArticle(article: Omit<KbArticle, 'version'>, expectedVersion: number | undefined): Promise<KbArticle> {
  const version = (expectedVersion ?? 0) + 1;
  const next: KbArticle = { ...article, version };
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: { ...keys.article(article.articleId), ...keys.articleListing(article.status, article.lang, article.articleId), ...next },
              ConditionExpression: expectedVersion === undefined ? 'attribute_not_exists(pk)' : 'version = :v',
              ...(expectedVersion === undefined ? {} : { ExpressionAttributeValues: { ':v': expectedVersion } }),
            },
          },
          { Put: { TableName: tableName(), Item: { ...keys.articleVersion(article.articleId, version), ...next } } },
        ],
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'TransactionCanceledException') {
      throw conflict(
        expectedVersion === undefined
          ? { en: `article ${article.articleId} already exists`, zh: `帮助文章 ${article.articleId} 已存在` }
          : { en: 'the article was changed by someone else; reload it', zh: '帮助文章已被他人修改，请重新加载' },
      );
    }
    throw error;
  }
  return next;
}

/** Articles by status and language (gsi1), for the console list and for publishing. */
export async function listArticles(status: KbArticle['status'], lang?: KbLang): Promise<KbArticle[]> {
  const out: KbArticle[] = [];
  for (const l of lang ? [lang] : (['zh', 'en'] as const)) {
    const items = await queryAll({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.articleListing(status, l, '').gsi1pk },
    });
    out.push(...items.map(clean));
  }
  return out;
}

/** DynamoDB items hold 400 KB; the gzipped index is stored in chunks well below that. */
const CHUNK_BYTES = 300_000;

/**
 * Rebuilds the search index from every published article and stores it (gzipped, chunked) under a
 * new version, then moves the CURRENT pointer: readers never see a half-written index.
 */
export async function publishIndex(now: Date): Promise<{ version: string; articles: number; bytes: number }> {
  const published = await listArticles('published');
  const index = buildIndex(published.map((a): Article => ({ id: a.articleId, title: a.title, body: a.body, lang: a.lang, tags: a.tags })));
  const packed = gzipSync(JSON.stringify(index.toJSON()));
  const version = `${now.getTime().toString(36)}`;
  const chunks: Buffer[] = [];
  for (let i = 0; i < packed.length; i += CHUNK_BYTES) chunks.push(packed.subarray(i, i + CHUNK_BYTES));
  for (let i = 0; i < chunks.length; i += 25) {
    await db().send(
      new BatchWriteCommand({
        RequestItems: {
          [tableName()]: chunks.slice(i, i + 25).map((data, j) => ({ PutRequest: { Item: { ...keys.kbIndexChunk(version, i + j), data } } })),
        },
      }),
    );
  }
  const meta = Object.fromEntries(published.map((a) => [a.articleId, { title: a.title, lang: a.lang, category: a.category }]));
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.kbIndexPointer(), version, chunks: chunks.length, articles: published.length, meta, builtAt: now.toISOString() },
    }),
  );
  return { version, articles: published.length, bytes: packed.length };
}

export interface LoadedIndex {
  version: string;
  index: KbIndex;
  meta: Record<string, { title: string; lang: KbLang; category: string }>;
}

let cached: { loaded: LoadedIndex | undefined; checkedAt: number } | undefined;
const POINTER_TTL_MS = 30_000;

/**
 * The published index, cached per container; the pointer is re-read at most every 30 s and the
 * chunks only when the version changed (one Query on the version's partition).
 */
export async function loadIndex(now = Date.now()): Promise<LoadedIndex | undefined> {
  if (cached && now - cached.checkedAt < POINTER_TTL_MS) return cached.loaded;
  const pointer = (await db().send(new GetCommand({ TableName: tableName(), Key: keys.kbIndexPointer() }))).Item;
  if (!pointer) {
    cached = { loaded: undefined, checkedAt: now };
    return undefined;
  }
  const previous = cached?.loaded;
  if (previous?.version === pointer.version) {
    cached = { loaded: previous, checkedAt: now };
    return previous;
  }
  const parts: { i: number; data: Uint8Array }[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': keys.kbIndexChunk(pointer.version as string, 0).pk },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of res.Items ?? []) parts.push({ i: Number(String(item.sk).slice(6)), data: item.data as Uint8Array });
    startKey = res.LastEvaluatedKey;
  } while (startKey);
  parts.sort((a, b) => a.i - b.i);
  const json = gunzipSync(Buffer.concat(parts.map((p) => Buffer.from(p.data)))).toString('utf8');
  const loaded: LoadedIndex = { version: pointer.version as string, index: KbIndex.fromJSON(json), meta: pointer.meta as LoadedIndex['meta'] };
  cached = { loaded, checkedAt: now };
  return loaded;
}

/** Forget the cached index (tests, and the publishing container right after publishing). */
export function resetIndexCache(): void {
  cached = undefined;
}
