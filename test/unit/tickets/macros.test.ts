import { describe, expect, it } from 'vitest';
import { MacroBody, macroChange, readerLang, renderMacro, unknownPlaceholders } from '#shared/tickets/macros.ts';

describe('macro placeholders', () => {
  it('renders known placeholders and reports missing ones with a neutral fallback', () => {
    const values = { 'customer.name': '王芳', 'ticket.id': 'tkt_1', 'order.id': 'SO-1001' } as const;
    expect(renderMacro('您好 {{customer.name}}，工单 {{ ticket.id }} 的订单 {{order.id}} 已退款。', values, 'zh-CN')).toEqual({
      text: '您好 王芳，工单 tkt_1 的订单 SO-1001 已退款。',
      missing: [],
    });
    expect(renderMacro('Hi {{customer.name}}, order {{order.id}} is on its way.', { 'ticket.id': 'tkt_1' }, 'en')).toEqual({
      text: 'Hi there, order is on its way.',
      missing: ['customer.name', 'order.id'],
    });
  });

  it('refuses unknown placeholders when a macro is saved', () => {
    expect(unknownPlaceholders('{{customer.name}} {{customer.phone}}')).toEqual(['customer.phone']);
    const body = { scope: 'shared', name: { 'zh-CN': '退款', en: 'Refund' }, text: { 'zh-CN': '{{customer.phone}}', en: 'ok' } };
    expect(MacroBody.safeParse(body).success).toBe(false);
    expect(MacroBody.safeParse({ ...body, text: { 'zh-CN': '好的', en: 'ok' }, extra: 1 }).success).toBe(false);
    expect(MacroBody.safeParse({ ...body, text: { 'zh-CN': '好的', en: 'ok' } }).success).toBe(true);
  });

  it('picks the reader’s language and the ticket change', () => {
    expect(readerLang('en-US', 'zh')).toBe('en');
    expect(readerLang(undefined, 'zh')).toBe('zh-CN');
    expect(readerLang(undefined, undefined)).toBe('zh-CN');
    const change = macroChange(
      { actions: { status: 'pending', addTags: ['refund'], removeTags: ['new'], assignee: 'me' } },
      { tags: ['new', 'vip'], status: 'open' },
      'sub-1',
    );
    expect(change).toEqual({ status: 'pending', tags: ['vip', 'refund'], assignee: 'sub-1' });
    expect(macroChange({ actions: { status: 'open' } }, { tags: [], status: 'open' }, 's')).toEqual({});
  });
});
