/**
 * Offline text utilities shared by Kefu's retrieval, classifier and sentiment code:
 * language detection, normalisation, English tokenisation with Porter stemming,
 * Chinese character n-grams (no segmenter, no native deps) and typo-tolerant
 * character trigrams.
 */

export type Lang = 'zh' | 'en';

const CJK_RE = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;
const CJK_RUN_RE = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/gu;
const LATIN_WORD_RE = /[a-z0-9]+(?:'[a-z]+)?/g;

/** True when the character is a CJK ideograph; Chinese text is handled per character. */
export function isCjk(ch: string): boolean {
  return CJK_RE.test(ch);
}

/** Picks zh or en from the share of CJK ideographs among letters, so mixed "订单 order" text routes sensibly. */
export function detectLang(text: string): Lang {
  let cjk = 0;
  let latin = 0;
  for (const ch of text) {
    if (CJK_RE.test(ch)) cjk++;
    else if (/[A-Za-z]/.test(ch)) latin++;
  }
  if (cjk === 0) return 'en';
  // One ideograph carries roughly as much content as a 3-4 letter word.
  return cjk * 3 >= latin * 0.5 ? 'zh' : 'en';
}

/** Canonical form for matching: NFKC (full-width to half-width), lower case, unified quotes and spaces. */
export function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u0060\u00b4]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Small general English stopword list (function words only, no domain words). */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below ' +
    'between both but by could did do does doing down during each few for from further had has have having ' +
    'he her here hers herself him himself his how i if in into is it its itself just let me more most my myself ' +
    'of off on once only or other ought our ours ourselves out over own same she should so some such than that ' +
    'the their theirs them themselves then there these they this those through to too under until up very was we ' +
    'were what when where which while who whom why will with would you your yours yourself yourselves ' +
    'can may might must shall also etc im ive id youre dont s t d ll re ve m o y ' +
    'please thanks thank hi hello hey ok okay yes really quite one get got'
  ).split(' '),
);

/** Negators are kept out of the stopword list for sentiment; retrieval drops them via this set. */
export const NEGATORS: ReadonlySet<string> = new Set([
  'not',
  'no',
  'never',
  'none',
  'nobody',
  'nothing',
  'neither',
  'nor',
  'without',
  'hardly',
  'barely',
  'cannot',
  "can't",
  "don't",
  "doesn't",
  "didn't",
  "isn't",
  "wasn't",
  "aren't",
  "weren't",
  "won't",
  "wouldn't",
  "shouldn't",
  "couldn't",
  "haven't",
  "hasn't",
  "hadn't",
  "ain't",
  'cant',
  'dont',
  'doesnt',
  'didnt',
  'isnt',
  'wasnt',
  'arent',
  'werent',
  'wont',
  'wouldnt',
  'shouldnt',
  'couldnt',
  'havent',
  'hasnt',
  'hadnt',
]);

const CONTRACTIONS: ReadonlyArray<[RegExp, string]> = [
  [/\bcan't\b/g, 'can not'],
  [/\bwon't\b/g, 'will not'],
  [/\bain't\b/g, 'is not'],
  [/n't\b/g, ' not'],
  [/'re\b/g, ' are'],
  [/'ve\b/g, ' have'],
  [/'ll\b/g, ' will'],
  [/'d\b/g, ' would'],
  [/'m\b/g, ' am'],
  [/'s\b/g, ''],
];

/** Expands English contractions ("can't" → "can not") so negation survives tokenisation. */
export function expandContractions(text: string): string {
  let out = text;
  for (const [re, rep] of CONTRACTIONS) out = out.replace(re, rep);
  return out;
}

/** Lower-cased English word tokens (after normalisation and contraction expansion), no stemming. */
export function words(text: string): string[] {
  const norm = expandContractions(normalize(text));
  const ascii = norm.replace(CJK_RUN_RE, ' ');
  return ascii.match(LATIN_WORD_RE) ?? [];
}

// ---------------------------------------------------------------------------
// Porter stemmer (M. F. Porter, 1980), compact implementation.
// ---------------------------------------------------------------------------

function isConsonant(w: string, i: number): boolean {
  const c = w[i];
  if (c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u') return false;
  if (c === 'y') return i === 0 ? true : !isConsonant(w, i - 1);
  return true;
}

/** Porter's m: number of VC sequences in the stem. */
function measure(stem: string): number {
  let m = 0;
  let i = 0;
  const n = stem.length;
  while (i < n && isConsonant(stem, i)) i++;
  while (i < n) {
    while (i < n && !isConsonant(stem, i)) i++;
    if (i >= n) break;
    while (i < n && isConsonant(stem, i)) i++;
    m++;
  }
  return m;
}

function hasVowel(stem: string): boolean {
  for (let i = 0; i < stem.length; i++) if (!isConsonant(stem, i)) return true;
  return false;
}

function endsDoubleConsonant(w: string): boolean {
  const n = w.length;
  return n >= 2 && w[n - 1] === w[n - 2] && isConsonant(w, n - 1);
}

function endsCvc(w: string): boolean {
  const n = w.length;
  if (n < 3) return false;
  if (!isConsonant(w, n - 3) || isConsonant(w, n - 2) || !isConsonant(w, n - 1)) return false;
  const c = w[n - 1];
  return c !== 'w' && c !== 'x' && c !== 'y';
}

function replaceSuffix(w: string, rules: ReadonlyArray<[string, string]>, minM: number): string {
  for (const [suf, rep] of rules) {
    if (w.endsWith(suf)) {
      const stem = w.slice(0, w.length - suf.length);
      return measure(stem) > minM ? stem + rep : w;
    }
  }
  return w;
}

const STEP2: ReadonlyArray<[string, string]> = [
  ['ational', 'ate'],
  ['tional', 'tion'],
  ['enci', 'ence'],
  ['anci', 'ance'],
  ['izer', 'ize'],
  ['bli', 'ble'],
  ['alli', 'al'],
  ['entli', 'ent'],
  ['eli', 'e'],
  ['ousli', 'ous'],
  ['ization', 'ize'],
  ['ation', 'ate'],
  ['ator', 'ate'],
  ['alism', 'al'],
  ['iveness', 'ive'],
  ['fulness', 'ful'],
  ['ousness', 'ous'],
  ['aliti', 'al'],
  ['iviti', 'ive'],
  ['biliti', 'ble'],
  ['logi', 'log'],
];
const STEP3: ReadonlyArray<[string, string]> = [
  ['icate', 'ic'],
  ['ative', ''],
  ['alize', 'al'],
  ['iciti', 'ic'],
  ['ical', 'ic'],
  ['ful', ''],
  ['ness', ''],
];
const STEP4 = ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ion', 'ou', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize'];

const stemCache = new Map<string, string>();

/** Porter stem of one lower-case English word, so "cancelling"/"cancellation"/"cancel" share a term. */
export function stem(word: string): string {
  if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word;
  const cached = stemCache.get(word);
  if (cached !== undefined) return cached;
  let w = word;
  if (w[0] === 'y') w = 'Y' + w.slice(1);
  // Step 1a
  if (w.endsWith('sses') || w.endsWith('ies')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  // Step 1b
  let step1bExtra = false;
  if (w.endsWith('eed')) {
    if (measure(w.slice(0, -3)) > 0) w = w.slice(0, -1);
  } else if (w.endsWith('ed') && hasVowel(w.slice(0, -2))) {
    w = w.slice(0, -2);
    step1bExtra = true;
  } else if (w.endsWith('ing') && hasVowel(w.slice(0, -3))) {
    w = w.slice(0, -3);
    step1bExtra = true;
  }
  if (step1bExtra) {
    if (w.endsWith('at') || w.endsWith('bl') || w.endsWith('iz')) w += 'e';
    else if (endsDoubleConsonant(w) && !/[lsz]$/.test(w)) w = w.slice(0, -1);
    else if (measure(w) === 1 && endsCvc(w)) w += 'e';
  }
  // Step 1c
  if (w.endsWith('y') && hasVowel(w.slice(0, -1))) w = w.slice(0, -1) + 'i';
  // Steps 2-3
  w = replaceSuffix(w, STEP2, 0);
  w = replaceSuffix(w, STEP3, 0);
  // Step 4
  for (const suf of STEP4) {
    if (w.endsWith(suf)) {
      const s = w.slice(0, w.length - suf.length);
      if (measure(s) > 1) {
        if (suf === 'ion') {
          if (s.endsWith('s') || s.endsWith('t')) w = s;
        } else {
          w = s;
        }
      }
      break;
    }
  }
  // Step 5
  if (w.endsWith('e')) {
    const s = w.slice(0, -1);
    const m = measure(s);
    if (m > 1 || (m === 1 && !endsCvc(s))) w = s;
  }
  if (measure(w) > 1 && endsDoubleConsonant(w) && w.endsWith('l')) w = w.slice(0, -1);
  w = w.replace(/^Y/, 'y');
  if (stemCache.size < 50_000) stemCache.set(word, w);
  return w;
}

/** English content terms: words minus stopwords, Porter-stemmed; the retrieval/classifier vocabulary. */
export function tokenizeEn(text: string, opts: { keepStopwords?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (!opts.keepStopwords && (STOPWORDS.has(w) || NEGATORS.has(w))) continue;
    out.push(stem(w));
  }
  return out;
}

/** CJK runs of the text, each a maximal string of ideographs (Chinese has no spaces to split on). */
export function cjkRuns(text: string): string[] {
  return normalize(text).match(CJK_RUN_RE) ?? [];
}

/** Chinese stop characters/bigrams that carry little topical meaning (particles, pronouns). */
export const ZH_STOP: ReadonlySet<string> = new Set(
  '的 了 吗 呢 吧 啊 呀 哦 嗯 么 是 我 你 他 她 它 们 在 和 与 就 都 也 还 这 那 个 有 请 一 下 怎 么 什 如 何 可 以 能 要 想 给 把 被 让 到 得 地 着 过 对 从 为'.split(
    ' ',
  ),
);

/** Character unigrams + bigrams of each CJK run: a segmenter-free representation of Chinese. */
export function zhGrams(text: string, opts: { unigrams?: boolean; bigrams?: boolean; dropStop?: boolean } = {}): string[] {
  const uni = opts.unigrams ?? true;
  const bi = opts.bigrams ?? true;
  const out: string[] = [];
  for (const run of cjkRuns(text)) {
    const chars = Array.from(run);
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i] as string;
      if (uni && !(opts.dropStop && ZH_STOP.has(c))) out.push(c);
      if (bi && i + 1 < chars.length) out.push(c + (chars[i + 1] as string));
    }
  }
  return out;
}

/** Character n-grams of a word with boundary markers ("#cancel#" → "#ca", "can", …): matches typos. */
export function charNgrams(word: string, n = 3): string[] {
  const w = `#${word}#`;
  if (w.length <= n) return [w];
  const out: string[] = [];
  for (let i = 0; i + n <= w.length; i++) out.push(w.slice(i, i + n));
  return out;
}

/** Mixed-language terms: stemmed English words plus Chinese unigrams and bigrams. */
export function tokenize(text: string): string[] {
  return [...tokenizeEn(text), ...zhGrams(text, { dropStop: true })];
}

/** Damerau-free Levenshtein distance with an early cut-off, for fuzzy keyword matches. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length] as number;
}
