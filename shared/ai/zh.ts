/**
 * Chinese query analysis for knowledge-base retrieval: word segmentation, filler removal and
 * synonym concepts.
 *
 * Segmentation: forward maximum matching against Kefu's small customer-service vocabulary
 * (zh-lexicon.ts) protects shop words that a general dictionary splits (包邮, 客服, 退货); the
 * spans between them go to the ICU word segmenter built into Node (`Intl.Segmenter('zh')`,
 * dictionary-based, no bundle cost). Without ICU word data the spans fall back to single
 * characters, and runs of single characters are re-joined into bigrams either way, so unknown
 * two-character words still match.
 *
 * Every content word becomes a concept: the word itself plus the members of its synonym groups
 * (colloquial forms, typos, English shop words). Greetings, particles and question-intent words
 * ("亲", "在吗", "怎么", "能不能") are dropped because they match every article alike.
 */

import { ZH_LEXICON } from './sentiment-lexicon.ts';
import { isCjk, normalize } from './text.ts';
import { ZH_FILLER, ZH_SYNONYM_GROUPS, ZH_WEAK } from './zh-lexicon.ts';

/** A content word of the query with the words that mean the same (canonical first). */
export interface ZhConcept {
  /** The word as the shopper wrote it (CJK or a lower-case Latin word). */
  word: string;
  /** Other words meaning the same thing (from the synonym groups), without `word`. */
  synonyms: string[];
  /** 1, or 0.5 for question-type words, ambiguous one-character verbs and unknown single characters. */
  weight: number;
}

/** Concepts of a question plus the bigrams that join adjacent content words (退货|地址 → 货地). */
export interface ZhAnalysis {
  concepts: ZhConcept[];
  joins: string[];
}

const FILLER: ReadonlySet<string> = new Set(ZH_FILLER);
const WEAK: ReadonlySet<string> = new Set(ZH_WEAK);
const GROUPS: string[][] = ZH_SYNONYM_GROUPS.map((line) => line.split(' ').map((w) => w.replace(/_/g, ' ')));
/** word → indexes of the groups it belongs to. */
const MEMBER = new Map<string, number[]>();
GROUPS.forEach((g, i) => {
  for (const w of g) MEMBER.set(w, [...(MEMBER.get(w) ?? []), i]);
});
/** Multi-character CJK words protected from the general segmenter. */
const DICT = new Set<string>();
for (const w of [...MEMBER.keys(), ...FILLER]) if (w.length > 1 && [...w].every(isCjk)) DICT.add(w);
const DICT_MAX = Math.max(...[...DICT].map((w) => w.length));
/** Latin members that may appear inside Chinese text ("refund", "promo code"). */
const LATIN_MEMBERS = [...MEMBER.keys()].filter((w) => /^[a-z0-9 ]+$/.test(w)).sort((a, b) => b.length - a.length);
/** Opinion words (太难用, 失望) say how the shopper feels, not what they ask about. */
const OPINION = new Set(Object.keys(ZH_LEXICON).filter((w) => w.length > 1 && !MEMBER.has(w)));

/**
 * Vocabulary words of three or more characters: the index stores them whole when an article
 * contains them, so a query word like 不能用 matches only where it is written, not wherever its
 * bigrams happen to occur.
 */
export const ZH_LONG_WORDS: readonly string[] = [...DICT].filter((w) => w.length >= 3 && MEMBER.has(w));

let segmenter: Intl.Segmenter | undefined | null = null;
/** ICU word segmenter for Chinese, or undefined when this runtime has no ICU word data. */
function icu(): Intl.Segmenter | undefined {
  if (segmenter === null) {
    try {
      const s = new Intl.Segmenter('zh', { granularity: 'word' });
      // Small-ICU builds return one segment per character; a real dictionary joins 今天 and 东西.
      segmenter = [...s.segment('今天买东西')].length <= 3 ? s : undefined;
    } catch {
      segmenter = undefined;
    }
  }
  return segmenter;
}

/** True when the ICU dictionary segmenter is in use (reported by the eval). */
export function hasIcuSegmenter(): boolean {
  return icu() !== undefined;
}

/** Splits one CJK run into words: Kefu's vocabulary first (longest match), ICU for the rest. */
export function segmentZh(run: string): string[] {
  const out: string[] = [];
  let pending = '';
  const flush = () => {
    if (!pending) return;
    const s = icu();
    if (s) for (const seg of s.segment(pending)) out.push(seg.segment);
    else out.push(...Array.from(pending));
    pending = '';
  };
  const chars = Array.from(run);
  let i = 0;
  while (i < chars.length) {
    let len = 0;
    for (let n = Math.min(DICT_MAX, chars.length - i); n >= 2; n--) {
      if (DICT.has(chars.slice(i, i + n).join(''))) {
        len = n;
        break;
      }
    }
    if (len === 0) {
      pending += chars[i] as string;
      i++;
      continue;
    }
    flush();
    out.push(chars.slice(i, i + len).join(''));
    i += len;
  }
  flush();
  return out;
}

/** Synonyms of a word from every group it belongs to (without the word itself). */
export function zhSynonyms(word: string): string[] {
  const out: string[] = [];
  for (const g of MEMBER.get(word) ?? []) for (const w of GROUPS[g] as string[]) if (w !== word && !out.includes(w)) out.push(w);
  return out;
}

/** One spelling per meaning: the first member of the word's first synonym group, else the word itself. */
export function zhCanonical(word: string): string {
  const g = MEMBER.get(word)?.[0];
  return g === undefined ? word : ((GROUPS[g] as string[])[0] as string);
}

/** The vocabulary words of three or more characters found in a text (index side). */
export function zhLongWords(text: string): string[] {
  const out: string[] = [];
  for (const w of ZH_LONG_WORDS) {
    let at = text.indexOf(w);
    while (at >= 0) {
      out.push(w);
      at = text.indexOf(w, at + w.length);
    }
  }
  return out;
}

/** True for greetings, particles, pronouns and question-intent words. */
export function isZhFiller(word: string): boolean {
  return FILLER.has(word);
}

/**
 * Content concepts of a (mostly Chinese) question: segmented words minus filler, each with its
 * synonyms; a run of single characters the segmenter could not place is one concept; Latin
 * shop words that belong to a synonym group ("refund", "size") become concepts too.
 */
export function zhConcepts(text: string): ZhConcept[] {
  return analyzeZh(text).concepts;
}

/** zhConcepts plus the join bigrams of adjacent content words (a phrase signal: 退货地址). */
export function analyzeZh(text: string): ZhAnalysis {
  const norm = normalize(text);
  const out: ZhConcept[] = [];
  const joins: string[] = [];
  const seen = new Set<string>();
  let prev = '';
  const add = (word: string) => {
    if (prev) joins.push((Array.from(prev).pop() as string) + (Array.from(word)[0] as string));
    prev = word;
    if (seen.has(word)) return;
    seen.add(word);
    const weak = WEAK.has(word) || (Array.from(word).length === 1 && !MEMBER.has(word) && /[\u3400-\u9fff]/u.test(word));
    out.push({ word, synonyms: zhSynonyms(word), weight: weak ? 0.5 : 1 });
  };
  for (const run of norm.match(/[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/gu) ?? []) {
    let singles = '';
    // Consecutive single characters outside the vocabulary are usually one word the segmenter
    // does not know (保|质|期): they form one concept, matched through its bigrams.
    const flushSingles = () => {
      if (singles) add(singles);
      singles = '';
    };
    prev = '';
    for (const w of segmentZh(run)) {
      if (FILLER.has(w) || OPINION.has(w)) {
        flushSingles();
        prev = '';
        continue;
      }
      if (w.length === 1 && !MEMBER.has(w)) {
        singles += w;
        continue;
      }
      flushSingles();
      add(w);
    }
    flushSingles();
  }
  const latin = ` ${norm.replace(/[^a-z0-9]+/g, ' ')} `;
  prev = '';
  for (const m of LATIN_MEMBERS) if (latin.includes(` ${m} `)) add(m);
  return { concepts: out, joins: joins.filter((j) => /^[\u3400-\u9fff]{2}$/u.test(j)) };
}
