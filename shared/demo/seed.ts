import { readFileSync } from 'node:fs';
import type { SeedDeps } from '#infra/local/seed.ts';
import { publishIndex, saveArticle, type KbArticle } from '#shared/kb/store.ts';

type DemoArticle = Pick<KbArticle, 'lang' | 'title' | 'body' | 'category' | 'tags'> & { id: string };

/** The demo shop's help centre (zh + en), published so the bot and widget search can use it. */
export async function seedDemoContent(deps: SeedDeps): Promise<void> {
  const articles = JSON.parse(readFileSync(new URL('./kb-articles.json', import.meta.url), 'utf8')) as DemoArticle[];
  for (const a of articles) {
    await saveArticle(
      { articleId: a.id, lang: a.lang, title: a.title, body: a.body, category: a.category, tags: a.tags, status: 'published', updatedAt: deps.now.toISOString(), updatedBy: 'seed' },
      undefined,
    ).catch((error: Error & { status?: number }) => {
      if (error.status !== 409) throw error;
    });
  }
  const index = await publishIndex(deps.now);
  deps.log(`seeded ${articles.length} help articles; search index ${index.version} (${Math.round(index.bytes / 1024)} KB gzipped)`);
}
