/**
 * Text hygiene for what people type and shops send: the one place that decides which characters
 * of message text, names and file names are kept. Used by the request schemas through the zod
 * checks below; the HTTP wrapper (shared/http/with-http.ts) has already refused bodies that are not
 * valid UTF-8 or that repeat a JSON key.
 *
 * - C0 controls (except tab and line feed in multi-line text), DEL and C1 controls are removed:
 *   they have no visible form and confuse terminals, CSV exports and log viewers.
 * - Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are removed:
 *   `refund \u202Egnp.exe` would otherwise display as "refund exe.png".
 * - Whitespace and invisible characters (zero-width space/joiners, BOM, word joiner, soft hyphen,
 *   Hangul fillers…) are trimmed from both ends, and text made only of them is empty. Inside the
 *   text they stay: emoji sequences need the zero-width joiner, and variation selectors and tag
 *   characters at the end belong to the emoji before them.
 * File names are refused instead of cleaned when they carry controls or bidi formatting: a file
 * name that needs them is an attempt to disguise the file.
 */
import * as z from 'zod/mini';

/** C0 controls except tab and line feed, DEL, C1 controls. */
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
/** Bidirectional embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
const BIDI = /[\u202A-\u202E\u2066-\u2069]/g;
/** Lone surrogates (a JSON `\ud800` escape): not text in any encoding. */
const LONE_SURROGATES = /\p{Cs}/gu;
/** What a file name must not contain: every control character and the bidi formatting above. */
const FILE_NAME_REFUSED = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|\p{Cs}/u;
/** Invisible at the ends: whitespace and default-ignorable code points, except those that close an emoji. */
const EDGE_CHAR = String.raw`[[\s\p{Default_Ignorable_Code_Point}]--[\u{FE00}-\u{FE0F}\u{E0000}-\u{E0FFF}]]`;
const EDGES = new RegExp(`^${EDGE_CHAR}+|${EDGE_CHAR}+$`, 'gv');
/** Text with nothing a reader could see. */
const BLANK = /^[\s\p{Default_Ignorable_Code_Point}]*$/u;

export interface CleanOptions {
  /** Keep line breaks and tabs (message text); single-line fields (names) turn them into spaces. */
  multiline: boolean;
}

/** Removes controls and bidi formatting and trims invisible characters; invisible-only text becomes ''. */
export function cleanText(text: string, { multiline }: CleanOptions): string {
  let out = text.replace(LONE_SURROGATES, '');
  out = multiline ? out.replace(/\r\n?/g, '\n') : out.replace(/[\t\n\r]+/g, ' ');
  out = out.replace(CONTROLS, '').replace(BIDI, '');
  if (BLANK.test(out)) return '';
  return out.replace(EDGES, '');
}

/** True when a file name carries control or bidi formatting characters (refused, not cleaned). */
export function hasHiddenCharacters(text: string): boolean {
  return FILE_NAME_REFUSED.test(text);
}

/** zod check for multi-line text people read (chat messages): cleaned in place; follow with minLength(1) to refuse empty text. */
export const cleanMessageText = () => z.overwrite((text: string) => cleanText(text, { multiline: true }));

/** zod check for single-line text people read (names, subjects, titles): cleaned in place. */
export const cleanLine = () => z.overwrite((text: string) => cleanText(text, { multiline: false }));

/** zod check for a file name: refused (400 naming the field) when it hides characters, then trimmed like a line. */
export const safeFileName = () =>
  [z.refine<string>((text) => !hasHiddenCharacters(text), 'must not contain control or bidirectional-formatting characters'), cleanLine()] as const;
