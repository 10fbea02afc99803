/**
 * Bilingual text and error text, once for the whole console. The server speaks two bilingual
 * shapes (`{'zh-CN', en}` on tickets, SLA and macros; `{zh, en}` on tiers and members): `pickText`
 * reads both, so no screen repeats `locale === 'zh-CN' ? … : …`.
 */
import type { Locale } from '../../lib/types.ts';

/** A text in both languages, in either of the server's two shapes. */
export type BilingualText = { 'zh-CN': string; en: string } | { zh: string; en: string };

/** The reader's language of a bilingual text (the other language when that one is empty); '' for none. */
export function pickText(text: BilingualText | undefined | null, locale: Locale | string): string {
  if (!text) return '';
  const zh = 'zh-CN' in text ? text['zh-CN'] : text.zh;
  return locale === 'zh-CN' ? zh || text.en : text.en || zh;
}

/** The message of anything thrown (an ApiError's server message, an Error's message, else its text). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
