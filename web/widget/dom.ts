import { articleBlocks } from '../lib/article-text.ts';

export type Attrs = Record<string, string | boolean | undefined>;

/** Creates an element; text children become text nodes (never parsed as HTML). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') node.className = String(value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A decorative single-path icon, built with DOM calls (no markup parsing). */
export function icon(path: string, size = 20): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const p = document.createElementNS(SVG_NS, 'path');
  p.setAttribute('fill', 'currentColor');
  p.setAttribute('d', path);
  svg.append(p);
  return svg;
}

export const ICONS = {
  close: 'M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6Z',
  back: 'M15.4 5 14 3.6 5.6 12l8.4 8.4 1.4-1.4-7-7Z',
  bot: 'M11 2h2v2.1A7 7 0 0 1 19 11v6a3 3 0 0 1-3 3H8a3 3 0 0 1-3-3v-6a7 7 0 0 1 6-6.9Zm-2 9.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3Zm6 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3ZM2 12h2v4H2Zm18 0h2v4h-2Z',
  article: 'M6 2h9l5 5v15H6Zm8 1.5V8h4.5ZM8 12v1.5h8V12Zm0 3.5V17h8v-1.5Z',
  search: 'M10 3a7 7 0 0 1 5.6 11.2l5.1 5.1-1.4 1.4-5.1-5.1A7 7 0 1 1 10 3Zm0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10Z',
  clip: 'M16.5 6v11.5a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6H9v9.5a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v12.5a6 6 0 0 0 12 0V6Z',
  person: 'M12 3a4.5 4.5 0 1 1 0 9 4.5 4.5 0 0 1 0-9Zm0 11c4.4 0 8 2.2 8 5v2H4v-2c0-2.8 3.6-5 8-5Z',
} as const;

/**
 * An article body as DOM: Markdown is reduced to plain-text blocks (headings, lists, paragraphs)
 * and every piece of text goes in as a text node.
 */
export function articleNodes(body: string): HTMLElement[] {
  return articleBlocks(body).map((block) => {
    if (block.kind === 'heading') return el('h4', { class: `h${Math.min(block.level, 3)}` }, block.text);
    if (block.kind === 'list') return el(block.ordered ? 'ol' : 'ul', {}, ...block.items.map((item) => el('li', {}, item)));
    return el('p', {}, block.text);
  });
}
