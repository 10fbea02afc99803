import { describe, expect, test } from 'vitest';
import { MacroBody, PLACEHOLDERS, renderMacro, macroChange as serverChange, readerLang as serverReaderLang } from '#shared/tickets/macros.ts';
import {
  emptyMacro,
  filterMacros,
  guessLang,
  insertAt,
  MACRO_PLACEHOLDERS,
  type Macro,
  macroBody,
  macroChange,
  macroForm,
  mayEditMacro,
  readerLang,
  renderMacroText,
  slashTrigger,
  unknownPlaceholders,
} from '../../../web/console/macros-state.ts';

const macro = (id: string, zhName: string, enName: string, zhText: string, enText: string, extra: Partial<Macro> = {}): Macro => ({
  macroId: id,
  scope: 'shared',
  owner: 'shared',
  name: { 'zh-CN': zhName, en: enName },
  text: { 'zh-CN': zhText, en: enText },
  actions: {},
  updatedBy: 'sub-lead',
  updatedAt: '2026-01-01T00:00:00Z',
  version: 1,
  ...extra,
});

const LIST = [
  macro(
    'mac_1',
    '退款进度',
    'Refund status',
    '{{customer.name}}您好，您的订单 {{order.id}} 退款已受理。',
    'Hi {{customer.name}}, the refund for order {{order.id}} is on its way.',
  ),
  macro('mac_2', '催发货', 'Chase dispatch', '亲，已为您催促仓库尽快发货。', 'We asked the warehouse to ship your parcel today.'),
  macro('mac_3', '感谢', 'Thanks', '感谢您的耐心等待！', 'Thank you for waiting!', { scope: 'personal', owner: 'sub-agent' }),
];

describe('placeholders: the console fills them exactly as the server does', () => {
  test('the same placeholder list', () => {
    expect([...MACRO_PLACEHOLDERS].sort()).toEqual([...PLACEHOLDERS].sort());
  });

  test.each([
    ['{{customer.name}}您好，订单 {{order.id}} 已受理（{{ticket.id}}）', { 'customer.name': '王芳', 'order.id': 'SO-1', 'ticket.id': 'tkt_1' }, 'zh-CN'],
    ['{{customer.name}}您好，订单 {{order.id}} 已受理', {}, 'zh-CN'],
    ['Hi {{ customer.name }}, order {{order.id}}  is  on its way {{unknown.thing}}', { 'order.id': 'SO-2' }, 'en'],
    ['Hi {{customer.name}},  thanks', {}, 'en'],
  ] as const)('%s', (text, values, lang) => {
    expect(renderMacroText(text, values, lang)).toEqual(renderMacro(text, values, lang));
  });

  test('the reader’s language and the ticket change match the server', () => {
    for (const [locale, language] of [
      [undefined, undefined],
      ['en-US', undefined],
      [undefined, 'en'],
      ['zh-CN', 'en'],
    ] as const)
      expect(readerLang(locale, language)).toBe(serverReaderLang(locale, language));
    const actions = { status: 'solved' as const, addTags: ['refund'], removeTags: ['new'], assignee: 'me' };
    const ticket = { tags: ['new', 'vip'], status: 'open' as const };
    expect(macroChange(actions, ticket, 'sub-1')).toEqual(serverChange({ actions }, ticket, 'sub-1'));
    expect(macroChange({ assignee: 'none' }, ticket, 'sub-1')).toEqual({ assignee: null });
  });

  test('a chat without a known locale: the script of the customer’s latest message', () => {
    expect(guessLang(['hello', '我的包裹到哪了'], 'en')).toBe('zh-CN');
    expect(guessLang(['你好', 'where is my parcel?'], 'zh-CN')).toBe('en');
    expect(guessLang(['12345'], 'zh-CN')).toBe('zh-CN');
  });
});

describe('the picker: / trigger, search, insertion', () => {
  test('a slash at the start or after a space opens the list; the keyword runs to the caret', () => {
    expect(slashTrigger('/', 1)).toEqual({ start: 0, query: '' });
    expect(slashTrigger('/退款', 3)).toEqual({ start: 0, query: '退款' });
    expect(slashTrigger('您好 /ref', 7)).toEqual({ start: 3, query: 'ref' });
    expect(slashTrigger('http://x', 8)).toBeUndefined();
    expect(slashTrigger('a/b', 3)).toBeUndefined();
    expect(slashTrigger('/ref more', 9)).toBeUndefined();
    // the / key in a Chinese input method's punctuation mode
    expect(slashTrigger('、退款', 3)).toEqual({ start: 0, query: '退款' });
    expect(slashTrigger('您好 ／催', 5)).toEqual({ start: 3, query: '催' });
    expect(slashTrigger('苹果、香蕉', 5)).toBeUndefined();
  });

  test('search in both languages, names first', () => {
    expect(filterMacros(LIST, '', 'zh-CN').map((m) => m.macroId)).toHaveLength(3);
    expect(filterMacros(LIST, '退款', 'zh-CN').map((m) => m.macroId)).toEqual(['mac_1']);
    expect(filterMacros(LIST, 'refund', 'zh-CN').map((m) => m.macroId)).toEqual(['mac_1']);
    expect(filterMacros(LIST, 'ship', 'en').map((m) => m.macroId)).toEqual(['mac_2']);
    expect(filterMacros(LIST, 'thank', 'en')[0]!.macroId).toBe('mac_3');
    expect(filterMacros(LIST, 'nothing-like-this', 'en')).toEqual([]);
  });

  test('insertion replaces the /keyword and puts the caret after the text', () => {
    expect(insertAt('/退款', 0, 3, '您好')).toEqual({ text: '您好', caret: 2 });
    expect(insertAt('Hi /ref then', 3, 7, 'TEXT')).toEqual({ text: 'Hi TEXT then', caret: 7 });
    expect(insertAt('Hi', 2, 2, 'there')).toEqual({ text: 'Hi there', caret: 8 });
  });
});

describe('the macro editor', () => {
  test('an empty form and a filled one make bodies the server accepts', () => {
    const form = {
      ...emptyMacro('personal'),
      nameZh: '退款',
      nameEn: 'Refund',
      textZh: '{{customer.name}}您好',
      textEn: 'Hi {{customer.name}}',
      status: 'solved' as const,
      addTags: '退款, Refund',
      assignee: 'me',
    };
    const body = macroBody(form);
    expect(MacroBody.safeParse(body).success).toBe(true);
    expect(body.actions).toEqual({ status: 'solved', addTags: ['退款', 'refund'], assignee: 'me' });
    expect(MacroBody.safeParse(macroBody(macroForm(LIST[0]!), 1)).success).toBe(true);
    expect(macroBody(macroForm(LIST[0]!), 3).version).toBe(3);
  });

  test('an empty text is refused like the server refuses it, unknown placeholders are named', () => {
    expect(MacroBody.safeParse(macroBody(emptyMacro('shared'))).success).toBe(false);
    expect(unknownPlaceholders('Hi {{customer.name}} {{order.tracking}}')).toEqual(['order.tracking']);
  });

  test('who may edit: personal macros their owner, shared ones supervisors and admins', () => {
    expect(mayEditMacro(LIST[2]!, 'sub-agent', ['agent'])).toBe(true);
    expect(mayEditMacro(LIST[2]!, 'sub-other', ['supervisor'])).toBe(false);
    expect(mayEditMacro(LIST[0]!, 'sub-agent', ['agent'])).toBe(false);
    expect(mayEditMacro(LIST[0]!, 'sub-lead', ['supervisor'])).toBe(true);
  });
});
