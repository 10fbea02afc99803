/** `kefu kb export`: writes the knowledge base as JSON Lines {id,title,body,lang,category,tags,status}. */
import { listArticles } from '#shared/kb/store.ts';
import type { Command } from '../cli-kit.ts';
import { configureStore } from './import-kit.ts';

/** Subcommand definition registered in bin/kefu.ts. */
export const command: Command = {
  name: 'kb export',
  summary: 'Print every article (published and drafts) as one JSON line each, sorted by id.',
  usage: 'kefu kb export [--table Kefu] [--endpoint http://127.0.0.1:PORT] > kb.jsonl',
  options: {
    table: { type: 'string', description: 'DynamoDB table (default: $TABLE_NAME or Kefu)' },
    endpoint: { type: 'string', description: 'DynamoDB endpoint; AWS from the environment otherwise' },
  },
  async run(values, io) {
    configureStore(values);
    const all = [...(await listArticles('published')), ...(await listArticles('draft'))].sort((a, b) => a.articleId.localeCompare(b.articleId));
    for (const a of all)
      io.out(JSON.stringify({ id: a.articleId, title: a.title, body: a.body, lang: a.lang, category: a.category, tags: a.tags, status: a.status }));
  },
};
