/**
 * Term matching for the automatic inspection (pure, no imports): forbidden words, promises,
 * greetings and closings are found however they are typed — full-width or half-width (NFKC),
 * upper or lower case, with spaces, punctuation or zero-width characters between the letters
 * ("保 证 退 款", "保-证退款", "ＧＵＡＲＡＮＴＥＥ", "g u a r a n t e e"). Latin terms must start and end
 * on a word boundary ("ass" is not found in "assist"); Chinese has no word boundaries, so a Chinese
 * term is found anywhere.
 */

/** A text reduced to its letters and digits, with where words may start and end. */
export interface Compact {
  /** Letters and digits only, NFKC, lower case. */
  text: string;
  /** `open[i]`: a word may start at i (and one may end just before it). */
  open: boolean[];
}

const KEPT = /[\p{L}\p{N}]/u;
const LATIN = /[a-z0-9]/;

/** Whether a kept character joins its neighbours into words (Latin letters, digits). */
function joins(ch: string): boolean {
  return LATIN.test(ch);
}

/** The compact form of a text: what every term is matched against. */
export function compact(input: string): Compact {
  const chars = [...input.normalize('NFKC').toLowerCase()];
  let text = '';
  const open: boolean[] = [];
  let gap = true;
  let prev = '';
  for (const ch of chars) {
    if (!KEPT.test(ch)) {
      gap = true;
      continue;
    }
    open.push(gap || !joins(ch) || !joins(prev));
    text += ch;
    prev = ch;
    gap = false;
  }
  open.push(true);
  return { text, open };
}

/** Whether `term` occurs in the compact text (on word boundaries for Latin ends). */
export function containsTerm(haystack: Compact, term: string): boolean {
  const needle = compact(term).text;
  if (!needle) return false;
  let from = 0;
  for (;;) {
    const i = haystack.text.indexOf(needle, from);
    if (i < 0) return false;
    const end = i + needle.length;
    if (haystack.open[i] && haystack.open[end]) return true;
    from = i + 1;
  }
}

/** The terms of a list that occur in a text (each once, in list order). */
export function findTerms(text: string | Compact, terms: readonly string[]): string[] {
  const hay = typeof text === 'string' ? compact(text) : text;
  return terms.filter((t) => containsTerm(hay, t));
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;

/** Chinese characters and Latin words in a text (how long a reply is, in either language). */
export function textSize(text: string): { cjk: number; words: number } {
  const c = compact(text);
  let cjk = 0;
  let words = 0;
  for (let i = 0; i < c.text.length; i++) {
    const ch = c.text[i]!;
    if (CJK.test(ch)) cjk++;
    else if (LATIN.test(ch) && c.open[i]) words++;
  }
  return { cjk, words };
}

/** A stable number in [0, 10000) for an id (the sampling draw: the same id always draws the same). */
export function draw(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % 10_000;
}
