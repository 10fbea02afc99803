/**
 * Help articles are stored as Markdown. The apps never parse it as HTML: they turn it into plain
 * text blocks with simple line rules (headings, bullet and numbered lists, paragraphs) and strip
 * inline marks (emphasis, code ticks, link and image syntax). Everything is then drawn with
 * textContent / text nodes, so an article can never inject markup.
 */

export type ArticleBlock =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'paragraph'; text: string };

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s*[-*+•]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,3}[.)、]\s*(.*)$/;
const RULE = /^\s*([-*_])(\s*\1){2,}\s*$/;

/** Inline Markdown marks removed, link and image text kept (URLs dropped). */
export function inlineText(line: string): string {
  return line
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\\([\\`*_[\]()#+\-.!>])/g, '$1');
}

/** Splits an article body into blocks of plain text. */
export function articleBlocks(body: string): ArticleBlock[] {
  const blocks: ArticleBlock[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | undefined;
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', text: paragraph.join('\n') });
    if (list) blocks.push({ kind: 'list', ordered: list.ordered, items: list.items });
    paragraph = [];
    list = undefined;
  };
  for (const raw of body.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (!line.trim() || RULE.test(line)) {
      flush();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: inlineText(heading[2]!) });
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      const ordered = !!numbered;
      if (paragraph.length || (list && list.ordered !== ordered)) flush();
      list ??= { ordered, items: [] };
      list.items.push(inlineText((bullet ?? numbered)![1]!));
      continue;
    }
    const text = inlineText(
      line.replace(/^\s*>\s?/, '').replace(/^\s*\|(.*)\|\s*$/, (_, cells: string) =>
        cells
          .split('|')
          .map((c) => c.trim())
          .join(' · '),
      ),
    );
    if (list && /^\s{2,}/.test(raw)) {
      list.items[list.items.length - 1] += ` ${text.trim()}`;
      continue;
    }
    if (list) flush();
    paragraph.push(text.trim());
  }
  flush();
  return blocks;
}
