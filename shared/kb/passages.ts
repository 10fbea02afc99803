/**
 * What the help centre says about a question: the best published article in the asker's language
 * and its most relevant lines (the bot's lexical retrieval and passage choice, without the bot).
 * The training debrief shows it next to the original agent's answer.
 */
import { relevantPassage } from '#shared/ai/passage.ts';
import { getArticle, type KbLang, loadIndex } from './store.ts';

export interface KbPassage {
  articleId: string;
  title: string;
  passage: string;
}

/** The top article for a question in `lang` and its relevant lines; undefined when nothing matches. */
export async function kbPassage(question: string, lang: KbLang, now = Date.now(), max = 280): Promise<KbPassage | undefined> {
  const loaded = await loadIndex(now);
  if (!loaded) return undefined;
  const hit = loaded.index.search(question, { top: 8 }).find((h) => loaded.meta[h.id]?.lang === lang);
  if (!hit) return undefined;
  const article = await getArticle(hit.id);
  if (!article || article.status !== 'published') return undefined;
  return { articleId: article.articleId, title: article.title, passage: relevantPassage(article.body, question, max) };
}
