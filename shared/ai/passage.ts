/**
 * The passage of a help article that answers a question: the article's opening line plus the
 * lines (bullets, paragraphs) that share the most of the question's concepts, in article order,
 * trimmed for a chat bubble. Chinese lines match by word or synonym (zh.ts), English lines by
 * stem (text.ts). Falls back to the opening of the article when no line matches.
 */

import { expandSynonyms } from './synonyms.ts';
import { cjkRuns, tokenizeEn } from './text.ts';
import { zhConcepts } from './zh.ts';

/** Markdown line → plain chat text (no heading marks, bold or link syntax). */
function plain(line: string): string {
  return line
    .replace(/^#+\s*/, '')
    .replace(/\*\*/g, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .trim();
}

/** Lines of an article body as plain text, empty lines dropped. */
export function articleLines(body: string): string[] {
  return body.split('\n').map(plain).filter(Boolean);
}

/** Character bigrams of a CJK word (the word itself when it has one character). */
function bigrams(word: string): string[] {
  const cs = Array.from(word);
  if (cs.length < 2) return [word];
  const out: string[] = [];
  for (let i = 0; i + 1 < cs.length; i++) out.push((cs[i] as string) + (cs[i + 1] as string));
  return out;
}

/**
 * Scores how much of the question a line mentions: per concept, the best of its forms (the word
 * or a synonym) by the share of the form's bigrams found in the line, weighted by the concept's
 * weight (question-type words and one-character verbs count half).
 */
function lineScorer(question: string): (line: string) => number {
  if (cjkRuns(question).length > 0) {
    const concepts = zhConcepts(question).map((c) => ({ weight: c.weight, forms: [c.word, ...c.synonyms].map((f) => bigrams(f.toLowerCase())) }));
    return (line) => {
      const lower = line.toLowerCase();
      let n = 0;
      for (const c of concepts) {
        let best = 0;
        for (const grams of c.forms) best = Math.max(best, grams.filter((g) => lower.includes(g)).length / grams.length);
        n += c.weight * best;
      }
      return n;
    };
  }
  const stems = new Set(tokenizeEn(question));
  const syns = new Set<string>();
  for (const s of stems) for (const w of expandSynonyms(s)) for (const t of tokenizeEn(w)) syns.add(t);
  return (line) => {
    let n = 0;
    for (const t of new Set(tokenizeEn(line))) n += stems.has(t) ? 1 : syns.has(t) ? 0.5 : 0;
    return n;
  };
}

/** The opening line plus the best-matching lines of the article, at most `max` characters. */
export function relevantPassage(body: string, question: string, max = 420): string {
  const lines = articleLines(body);
  if (lines.length === 0) return body.slice(0, max);
  const score = lineScorer(question);
  const scored = lines.map((text, i) => ({ i, text, s: i === 0 ? 0 : score(text) }));
  const best = scored
    .filter((l) => l.s > 0)
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, 3);
  const picked = new Set<number>([0, ...best.map((l) => l.i)]);
  if (best.length === 0) for (let i = 1; i < lines.length; i++) picked.add(i);
  let out = '';
  for (const i of [...picked].sort((a, b) => a - b)) {
    const line = lines[i] as string;
    if (out.length + line.length + 1 > max) {
      if (out === '') out = `${line.slice(0, max - 1)}…`;
      continue;
    }
    out += (out ? '\n' : '') + line;
  }
  return out;
}
