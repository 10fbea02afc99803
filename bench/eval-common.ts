/**
 * What the parts of `npm run eval` share: data locations, JSONL reading, the result table and the
 * offline demo bot exactly as bot-consumer runs it.
 */
import { readFileSync } from 'node:fs';
import { classify } from '../shared/ai/classifier.ts';
import { buildIndex, type KbSearchResult } from '../shared/ai/kb-index.ts';
import { type BotAction, respond } from '../shared/bot/responder.ts';

export const EVAL = process.env.KEFU_EVAL_DIR ?? new URL('../../shared/eval', import.meta.url).pathname;
export const DATA = new URL('../shared/ai/data/', import.meta.url);

/** Reads a JSONL file into objects. */
export function jsonl<T>(path: string | URL): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

export interface Row {
  section: string;
  metric: string;
  ours: number;
  baseline: number | null;
  target: string;
  pass: boolean | null;
}
export const rows: Row[] = [];

/** Records one metric; `atLeast`/`atMost` give the target direction. */
export function record(section: string, metric: string, ours: number, baseline: number | null, target?: { atLeast?: number; atMost?: number }): void {
  let t = '';
  let pass: boolean | null = null;
  if (target?.atLeast !== undefined) {
    t = `>= ${target.atLeast}`;
    pass = ours >= target.atLeast;
  } else if (target?.atMost !== undefined) {
    t = `<= ${target.atMost}`;
    pass = ours <= target.atMost;
  }
  rows.push({ section, metric, ours, baseline, target: t, pass });
}

export interface DemoArticle {
  id: string;
  lang: 'zh' | 'en';
  title: string;
  body: string;
  tags?: string[];
}
export interface BotQuestion {
  id: string;
  text: string;
  relevant: string[];
  split: 'dev' | 'holdout';
}

/** The demo help centre's articles (shared/demo/kb-articles.json). */
export function demoArticles(): DemoArticle[] {
  return JSON.parse(readFileSync(new URL('../shared/demo/kb-articles.json', import.meta.url), 'utf8')) as DemoArticle[];
}

export type DemoBot = (text: string, history?: string[], state?: { turns: number; fallbacks: number }) => BotAction;

/**
 * The offline bot exactly as bot-consumer runs it on the demo help centre (shared/bot/service.ts):
 * classify, search the published index (both languages, top 8), keep the shopper's language,
 * apply what was learned from use (`learned`, when given), hand the top three to the responder.
 * Anonymous visitor, first turn unless `state` says otherwise.
 */
export function demoBot(learned?: (text: string, result: KbSearchResult) => KbSearchResult): DemoBot {
  const demo = demoArticles();
  const byId = new Map(demo.map((a) => [a.id, a]));
  const index = buildIndex(demo.map((a) => ({ id: a.id, title: a.title, body: a.body, lang: a.lang, tags: a.tags })));
  return (text, history = [], state = { turns: 0, fallbacks: 0 }) => {
    const classification = classify(text);
    const lang = classification.lang === 'zh' ? 'zh' : 'en';
    const raw = index.searchDetailed(text, { top: 8 });
    const hits = raw.hits.filter((h) => byId.get(h.id)?.lang === lang);
    const sameTop = hits[0]?.id === raw.hits[0]?.id;
    const lexical = { ...raw, hits, decision: sameTop ? raw.decision : raw.decision === 'answer' ? ('clarify' as const) : raw.decision };
    const ranked = learned && hits.length > 0 ? learned(text, lexical) : lexical;
    const retrieval = { ...ranked, hits: ranked.hits.slice(0, 3) };
    const articles = Object.fromEntries(retrieval.hits.map((h) => [h.id, byId.get(h.id) as DemoArticle]));
    return respond({ text, classification, retrieval, articles, state, verified: false, orders: [], history });
  };
}
