/** `kefu kb search`: batch retrieval over a JSONL knowledge base, one JSON line per query. */
import { type Article, buildIndex } from '#shared/ai/kb-index.ts';
import { type Command, parseJsonl, readInput, requireString, UsageError } from '../cli-kit.ts';

interface QueryRow {
  id?: string;
  query?: string;
  text?: string;
}

/** Subcommand definition registered in bin/kefu.ts. */
export const command: Command = {
  name: 'kb search',
  summary: 'Search each query against the articles in KB.jsonl; prints {"id","results":[articleId,…]} per query, best first.',
  usage: 'kefu kb search --kb KB.jsonl --queries Q.jsonl [--top 10]',
  options: {
    kb: { type: 'string', description: 'articles, JSONL lines {"id","title","body"[,"lang","tags"]}' },
    queries: { type: 'string', description: 'queries, JSONL lines {"id","query"}' },
    top: { type: 'string', description: 'results per query', default: '10' },
  },
  run(values, io) {
    const kbPath = requireString(values, 'kb');
    const qPath = requireString(values, 'queries');
    const top = Number(values.top ?? '10');
    if (!Number.isInteger(top) || top < 1) throw new UsageError('--top must be a positive integer');
    const articles = parseJsonl<Article>(readInput(kbPath), kbPath);
    articles.forEach((a, i) => {
      if (typeof a.id !== 'string' || typeof a.title !== 'string') throw new UsageError(`${kbPath}:${i + 1}: article needs string "id" and "title"`);
      a.body = typeof a.body === 'string' ? a.body : '';
    });
    const queries = parseJsonl<QueryRow>(readInput(qPath), qPath);
    const index = buildIndex(articles);
    queries.forEach((q, i) => {
      const text = q.query ?? q.text;
      if (typeof text !== 'string') throw new UsageError(`${qPath}:${i + 1}: query line needs a "query" string`);
      io.out(JSON.stringify({ id: q.id ?? String(i), results: index.search(text, { top }).map((h) => h.id) }));
    });
  },
};
