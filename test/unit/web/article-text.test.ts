import { describe, expect, test } from 'vitest';
import { articleBlocks, inlineText } from '../../../web/lib/article-text.ts';

describe('article text (Markdown as inert text)', () => {
  test('inline marks go, link and image text stays, URLs are dropped', () => {
    expect(inlineText('Ship within **48 hours**, see [my orders](/account/orders) or ![map](x.png) `code`')).toBe(
      'Ship within 48 hours, see my orders or map code',
    );
    expect(inlineText('**"Number already registered"**: reset with **Forgot password**')).toBe('"Number already registered": reset with Forgot password');
    expect(inlineText('a *slanted* word, 2 * 3 * 4, snake_case_name')).toBe('a slanted word, 2 * 3 * 4, snake_case_name');
  });

  test('headings, bullet and numbered lists and paragraphs by line rules', () => {
    const body = [
      '# Returns',
      'Most items can be returned',
      'within 7 days.',
      '',
      '- **Tea**: unopened only',
      '- Gift boxes',
      '  with their sleeve',
      '1. Open [my orders](/account/orders)',
      '2) Choose the item',
      '---',
      '## Refunds',
      '> Refunds go back to the original payment method.',
    ].join('\n');
    expect(articleBlocks(body)).toEqual([
      { kind: 'heading', level: 1, text: 'Returns' },
      { kind: 'paragraph', text: 'Most items can be returned\nwithin 7 days.' },
      { kind: 'list', ordered: false, items: ['Tea: unopened only', 'Gift boxes with their sleeve'] },
      { kind: 'list', ordered: true, items: ['Open my orders', 'Choose the item'] },
      { kind: 'heading', level: 2, text: 'Refunds' },
      { kind: 'paragraph', text: 'Refunds go back to the original payment method.' },
    ]);
  });

  test('Chinese numbering and CRLF bodies; markup stays literal text', () => {
    expect(articleBlocks('步骤：\r\n1、登录\r\n2、点击“查看物流”')).toEqual([
      { kind: 'paragraph', text: '步骤：' },
      { kind: 'list', ordered: true, items: ['登录', '点击“查看物流”'] },
    ]);
    expect(articleBlocks('<script>alert(1)</script>\n<img src=x onerror=alert(1)>')).toEqual([
      { kind: 'paragraph', text: '<script>alert(1)</script>\n<img src=x onerror=alert(1)>' },
    ]);
    expect(articleBlocks('')).toEqual([]);
  });
});
