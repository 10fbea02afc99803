/**
 * The flat XML of WeCom callbacks (`<xml><Field><![CDATA[…]]></Field>…</xml>`): fields read by
 * name, CDATA or entity-escaped text. Not a general XML parser: no attributes, no nesting beyond
 * one level, no DTDs (a `<!DOCTYPE` or `<!ENTITY` is refused, so no entity expansion happens).
 */

/** Largest callback body read (the platform's are well under 2 KB). */
export const MAX_WECOM_XML = 64 * 1024;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|amp|lt|gt|quot|apos);/gi, (all, e: string) => {
    if (e[0] !== '#') return ENTITIES[e.toLowerCase()] ?? all;
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : all;
  });
}

/** The fields of a flat `<xml>` document; undefined when it is not one. */
export function parseFlatXml(xml: string): Record<string, string> | undefined {
  if (xml.length > MAX_WECOM_XML || /<!(DOCTYPE|ENTITY)/i.test(xml)) return undefined;
  const root = /^\s*(?:<\?xml[^>]*\?>\s*)?<xml>([\s\S]*)<\/xml>\s*$/.exec(xml);
  if (!root) return undefined;
  const fields: Record<string, string> = {};
  const field = /<([A-Za-z][A-Za-z0-9_]{0,63})>\s*(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))\s*<\/\1>/g;
  for (let m = field.exec(root[1]!); m; m = field.exec(root[1]!)) {
    const name = m[1]!;
    if (!(name in fields)) fields[name] = m[2] !== undefined ? m[2] : unescapeXml(m[3] ?? '');
  }
  return fields;
}
