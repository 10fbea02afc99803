/** `kefu kb import`: loads JSON Lines articles into the knowledge base and republishes the search index. */
import * as z from 'zod/mini';
import { ArticleId } from '#shared/api/kb.ts';
import { getArticle, publishIndex, saveArticle } from '#shared/kb/store.ts';
import { type Command, parseJsonl, readInput, requireString, UsageError } from '../cli-kit.ts';
import { configureStore } from './import-kit.ts';

const Line = z.object({
  id: ArticleId,
  title: z.string().check(z.minLength(1), z.maxLength(200)),
  body: z.string().check(z.minLength(1)),
  lang: z.enum(['zh', 'en']),
  category: z.optional(z.string()),
  tags: z.optional(z.array(z.string())),
});

/** Subcommand definition registered in bin/kefu.ts. */
export const command: Command = {
  name: 'kb import',
  summary: 'Import JSONL articles {id,title,body,lang[,category,tags]} as published; unchanged articles are skipped.',
  usage: 'kefu kb import --file KB.jsonl [--table Kefu] [--endpoint http://127.0.0.1:PORT] [--draft]',
  options: {
    file: { type: 'string', description: 'JSON Lines file' },
    table: { type: 'string', description: 'DynamoDB table (default: $TABLE_NAME or Kefu)' },
    endpoint: { type: 'string', description: 'DynamoDB endpoint (e.g. the local runtime’s); AWS from the environment otherwise' },
    draft: { type: 'boolean', description: 'import as drafts (not searchable until published)' },
  },
  async run(values, io) {
    const path = requireString(values, 'file');
    configureStore(values);
    const rows = parseJsonl<unknown>(readInput(path), path);
    let saved = 0;
    let unchanged = 0;
    const now = new Date();
    for (const [i, raw] of rows.entries()) {
      const parsed = Line.safeParse(raw);
      if (!parsed.success)
        throw new UsageError(`${path}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'line'}: ${x.message}`).join('; ')}`);
      const a = parsed.data;
      const status = values.draft ? 'draft' : 'published';
      const current = await getArticle(a.id);
      if (current && current.title === a.title && current.body === a.body && current.lang === a.lang && current.status === status) {
        unchanged++;
        continue;
      }
      await saveArticle(
        {
          articleId: a.id,
          lang: a.lang,
          title: a.title,
          body: a.body,
          category: a.category ?? current?.category ?? 'general',
          tags: a.tags ?? current?.tags ?? [],
          status,
          updatedAt: now.toISOString(),
          updatedBy: 'kefu-cli',
        },
        current?.version,
      );
      saved++;
    }
    const index = await publishIndex(now);
    io.err(`kb import: ${saved} saved, ${unchanged} unchanged; index ${index.version} with ${index.articles} published articles`);
  },
};
