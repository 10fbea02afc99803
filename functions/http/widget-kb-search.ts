import * as z from 'zod/mini';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { loadIndex } from '#shared/kb/store.ts';

const Query = z.strictObject({
  q: z.string().check(z.trim(), z.minLength(1, 'q must not be empty'), z.maxLength(300)),
  lang: z.optional(z.enum(['zh', 'en'])),
});

export const handler = withHttp('widget-kb-search', { query: Query }, async ({ query, now }) => {
  const loaded = await loadIndex(now.getTime());
  if (!loaded) return ok({ items: [] });
  const hits = loaded.index
    .search(query.q, { top: 20 })
    .filter((h) => !query.lang || loaded.meta[h.id]?.lang === query.lang)
    .slice(0, 8);
  return ok({
    items: hits.map((h) => ({ articleId: h.id, title: loaded.meta[h.id]?.title, category: loaded.meta[h.id]?.category, lang: loaded.meta[h.id]?.lang })),
  });
});
