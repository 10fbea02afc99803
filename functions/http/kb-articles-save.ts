import * as z from 'zod/mini';
import { ArticleBody, ArticleId } from '#shared/api/kb.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { publishIndex, resetIndexCache, saveArticle } from '#shared/kb/store.ts';

const Params = z.strictObject({ articleId: ArticleId });

export const handler = withHttp('kb-articles-save', { body: ArticleBody, params: Params }, async ({ body, params, caller, now }) => {
  const { expectedVersion, ...fields } = body;
  const article = await saveArticle({ ...fields, articleId: params.articleId, updatedAt: now.toISOString(), updatedBy: caller.sub }, expectedVersion);
  const index = await publishIndex(now);
  resetIndexCache();
  return ok({ article, index });
});
