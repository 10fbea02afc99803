import * as z from 'zod/mini';
import { CHURN_LEVELS, type ChurnLevel } from '#shared/churn/score.ts';
import { type ChurnCursor, listChurn } from '#shared/churn/store.ts';
import { badRequest } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

const Query = z.strictObject({
  level: z.optional(z.enum(CHURN_LEVELS)),
  tier: z.optional(z.string().check(z.regex(/^[a-z][a-z0-9-]{0,31}$/))),
  reason: z.optional(z.string().check(z.regex(/^[a-z][a-z0-9_]{0,40}$/))),
  limit: z.optional(z.string().check(z.regex(/^([1-9]|[1-9]\d|100)$/))),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});
type Query = z.infer<typeof Query>;

function decode(cursor: string | undefined): ChurnCursor | undefined {
  if (!cursor) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as ChurnCursor;
    if ((CHURN_LEVELS as readonly string[]).includes(value.level) && (value.key === undefined || Object.values(value.key).every((v) => typeof v === 'string')))
      return value;
  } catch {
    /* refused below */
  }
  throw badRequest({
    en: 'cursor is not valid; pass back the cursor of the previous page unchanged',
    zh: '分页游标（cursor）无效，请原样传回上一页返回的 cursor',
  });
}

export const handler = withHttp('churn-members-list', { query: Query }, async ({ query }) => {
  const levels: ChurnLevel[] = query.level ? [query.level] : ['high', 'medium', 'low'];
  const page = await listChurn({
    levels,
    ...(query.tier ? { tier: query.tier } : {}),
    ...(query.reason ? { reason: query.reason } : {}),
    limit: Number(query.limit ?? 50),
    ...(query.cursor ? { cursor: decode(query.cursor) as ChurnCursor } : {}),
  });
  return ok({ items: page.items, cursor: page.cursor ? Buffer.from(JSON.stringify(page.cursor)).toString('base64url') : undefined });
});
