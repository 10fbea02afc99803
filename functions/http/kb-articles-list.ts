import * as z from 'zod/mini';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { listArticles } from '#shared/kb/store.ts';

const Query = z.strictObject({ status: z._default(z.enum(['draft', 'published']), 'published'), lang: z.optional(z.enum(['zh', 'en'])) });

export const handler = withHttp('kb-articles-list', { query: Query }, async ({ query }) => {
  const items = await listArticles(query.status, query.lang);
  return ok({ items: items.sort((a, b) => a.articleId.localeCompare(b.articleId)) });
});
