/** Pure helpers of the console's knowledge-base section. */

export type KbLang = 'zh' | 'en';
export type KbStatus = 'draft' | 'published';

export interface KbArticle {
  articleId: string;
  lang: KbLang;
  title: string;
  body: string;
  category: string;
  tags: string[];
  status: KbStatus;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

/** What the editor holds (strings as typed). */
export interface KbDraft {
  articleId: string;
  lang: KbLang;
  title: string;
  body: string;
  category: string;
  tags: string;
  status: KbStatus;
}

/** The same rule as the server's `ArticleId`. */
export const ARTICLE_ID = /^[a-z0-9][a-z0-9_-]{0,80}$/;

/** The categories of the demo help centre, offered as suggestions in the editor. */
export const KNOWN_CATEGORIES = ['shipping', 'orders', 'returns', 'payment', 'membership', 'account', 'privacy', 'products'] as const;

/** Comma-separated tags (ASCII or Chinese commas) → trimmed, unique, non-empty, at most 20 of 40 chars. */
export function parseTags(input: string): string[] {
  const seen = new Set<string>();
  for (const raw of input.split(/[,，、]/)) {
    const tag = raw.trim().slice(0, 40);
    if (tag) seen.add(tag);
  }
  return [...seen].slice(0, 20);
}

export function draftOf(article: KbArticle): KbDraft {
  return {
    articleId: article.articleId,
    lang: article.lang,
    title: article.title,
    body: article.body,
    category: article.category,
    tags: article.tags.join(', '),
    status: article.status,
  };
}

export function emptyDraft(lang: KbLang): KbDraft {
  return { articleId: '', lang, title: '', body: '', category: '', tags: '', status: 'draft' };
}

export type DraftProblem = 'invalidId' | 'required';

/** What keeps a draft from being saved (the server checks the same again). */
export function draftProblems(draft: KbDraft): DraftProblem[] {
  const problems: DraftProblem[] = [];
  if (!ARTICLE_ID.test(draft.articleId)) problems.push('invalidId');
  if (!draft.title.trim() || !draft.body.trim() || !draft.category.trim()) problems.push('required');
  return problems;
}

/** The body of `PUT /kb/articles/{articleId}`; `expectedVersion` is left out when creating. */
export function saveBody(draft: KbDraft, expectedVersion: number | undefined) {
  return {
    lang: draft.lang,
    title: draft.title.trim(),
    body: draft.body,
    category: draft.category.trim(),
    tags: parseTags(draft.tags),
    status: draft.status,
    ...(expectedVersion === undefined ? {} : { expectedVersion }),
  };
}

/** Case-insensitive filter over title, id, category and tags. */
export function filterArticles(articles: readonly KbArticle[], query: string): KbArticle[] {
  const q = query.trim().toLowerCase();
  if (!q) return articles.slice();
  return articles.filter((a) => [a.title, a.articleId, a.category, ...a.tags].some((field) => field.toLowerCase().includes(q)));
}
