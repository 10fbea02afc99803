import * as z from 'zod/mini';
import { notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { getArticle } from '#shared/kb/store.ts';

const Params = z.strictObject({ articleId: z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,80}$/, 'not an article id')) });

export const handler = withHttp('widget-kb-article', { params: Params }, async ({ params }) => {
  const article = await getArticle(params.articleId);
  if (article?.status !== 'published') throw notFound('article');
  return ok({
    articleId: article.articleId,
    title: article.title,
    body: article.body,
    lang: article.lang,
    category: article.category,
    updatedAt: article.updatedAt,
  });
});
