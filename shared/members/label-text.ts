/**
 * The one spelling of a contact label, with no imports: the label routes, the segment conditions
 * and the console's label editor all read it, so a label typed anywhere matches the stored one.
 */
export const MAX_LABELS = 20;
export const MAX_LABEL_LENGTH = 32;

/** NFKC (full-width ＶＩＰ is VIP), control characters dropped, whitespace collapsed, trimmed. */
export function normaliseLabel(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}
