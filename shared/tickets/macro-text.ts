/**
 * The dependency-free part of macros: placeholders, filling them, and the reader's language. The
 * server (shared/tickets/macros.ts) and the console's reply box use this one module, so what an
 * agent previews is what the customer gets.
 */
/** The placeholders a macro text may use (`shipment.latest`: the requester's newest parcel — carrier, tracking number, latest trace step, redacted). */
export const PLACEHOLDERS = ['customer.name', 'ticket.id', 'order.id', 'shipment.latest'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type MacroLang = 'zh-CN' | 'en';

const PATTERN = /\{\{\s*([a-z.]+)\s*\}\}/g;

/** Placeholders a text uses that Kefu does not know (saving such a macro is refused). */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(PATTERN)].map((m) => m[1]!).filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p));
}

const FALLBACK: Record<MacroLang, Partial<Record<Placeholder, string>>> = {
  'zh-CN': { 'customer.name': '顾客', 'shipment.latest': '暂无物流信息' },
  en: { 'customer.name': 'there', 'shipment.latest': 'no tracking information yet' },
};

/** Fills placeholders; a value that is missing (no order yet) uses a neutral fallback or is left out, and is reported. */
export function renderMacro(text: string, values: Partial<Record<Placeholder, string>>, lang: MacroLang): { text: string; missing: Placeholder[] } {
  const missing = new Set<Placeholder>();
  const out = text.replace(PATTERN, (all, name: string) => {
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) return all;
    const key = name as Placeholder;
    const value = values[key];
    if (value) return value;
    missing.add(key);
    return FALLBACK[lang][key] ?? '';
  });
  return { text: out.replace(/[ \t]{2,}/g, ' ').trim(), missing: [...missing] };
}

/** The language a requester reads: their contact locale, else the ticket's detected language, else zh-CN. */
export function readerLang(locale: string | undefined, ticketLanguage: string | undefined): MacroLang {
  const l = (locale ?? ticketLanguage ?? 'zh').toLowerCase();
  return l.startsWith('en') ? 'en' : 'zh-CN';
}
