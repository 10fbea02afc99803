import * as z from 'zod/mini';

export const ArticleId = z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,80}$/, 'articleId: lowercase letters, digits, _ and -'));
export const ArticleBody = z.strictObject({
  lang: z.enum(['zh', 'en']),
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  body: z.string().check(z.minLength(1), z.maxLength(50_000)),
  category: z.string().check(z.minLength(1), z.maxLength(40)),
  tags: z._default(z.array(z.string().check(z.maxLength(40))).check(z.maxLength(20)), []),
  status: z.enum(['draft', 'published']),
  /** The version the editor started from (omit when creating). */
  expectedVersion: z.optional(z.int().check(z.minimum(1))),
});
