import { h, type VNode } from 'preact';
import { describe, expect, test } from 'vitest';
import { translator } from '../../../web/console/i18n.ts';
import { parseRoute } from '../../../web/console/inbox-state.ts';
import { Async, DataTable, errorMessage, failureNotice, LoadError, Loading, pickText } from '../../../web/console/kit/index.ts';
import { settingsTabs } from '../../../web/console/settings-state.ts';
import { ApiError } from '../../../web/lib/http.ts';

const t = translator('en');
const zh = translator('zh-CN');

/** Every element of a vnode tree (function components are not rendered, only their own vnodes). */
function walk(node: unknown, out: VNode[] = []): VNode[] {
  if (Array.isArray(node)) for (const child of node) walk(child, out);
  else if (node && typeof node === 'object' && 'type' in node) {
    const vnode = node as VNode<{ children?: unknown }>;
    out.push(vnode);
    walk(vnode.props.children, out);
  }
  return out;
}

const text = (node: unknown): string =>
  Array.isArray(node)
    ? node.map(text).join('')
    : typeof node === 'string' || typeof node === 'number'
      ? String(node)
      : node && typeof node === 'object' && 'props' in node
        ? text((node as VNode<{ children?: unknown }>).props.children)
        : '';

describe('pickText: one reader for both bilingual shapes', () => {
  test('reads {zh-CN, en} and {zh, en} in the reader’s language', () => {
    expect(pickText({ 'zh-CN': '默认', en: 'Default' }, 'zh-CN')).toBe('默认');
    expect(pickText({ 'zh-CN': '默认', en: 'Default' }, 'en')).toBe('Default');
    expect(pickText({ zh: '金卡', en: 'Gold' }, 'zh-CN')).toBe('金卡');
    expect(pickText({ zh: '金卡', en: 'Gold' }, 'en')).toBe('Gold');
  });

  test('falls back to the other language when one is empty, and to "" for nothing', () => {
    expect(pickText({ 'zh-CN': '', en: 'Only English' }, 'zh-CN')).toBe('Only English');
    expect(pickText({ zh: '只有中文', en: '' }, 'en')).toBe('只有中文');
    expect(pickText(undefined, 'en')).toBe('');
  });
});

describe('errors and notices', () => {
  test('errorMessage reads errors and anything else', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage(new ApiError(500, 'x', 'server said no'))).toBe('server said no');
    expect(errorMessage('plain')).toBe('plain');
  });

  test('failureNotice: 409 is a conflict, field errors point at the fields, the rest quotes the server', () => {
    expect(failureNotice(new ApiError(409, 'conflict', 'stale'), t)).toEqual({ kind: 'conflict', text: t('kitConflict') });
    expect(failureNotice(new ApiError(409, 'conflict', 'stale'), t, 'custom')).toEqual({ kind: 'conflict', text: 'custom' });
    expect(failureNotice(new ApiError(400, 'invalid', 'bad', undefined, { fields: [{ path: 'name', message: 'required' }] }), t).text).toBe(
      'Some fields need attention (see the messages next to them).',
    );
    expect(failureNotice(new Error('offline'), zh)).toEqual({ kind: 'error', text: '保存失败：offline' });
  });
});

describe('<Async>: loading, error, empty, content', () => {
  const reload = async () => undefined;
  test('loading until the first answer, a retryable error before any data', () => {
    expect((Async({ resource: { data: undefined, error: undefined, reload }, children: () => 'x' }) as VNode).type).toBe(Loading);
    const failed = Async({ resource: { data: undefined, error: 'down', reload }, children: () => 'x' }) as VNode<{ message: string; onRetry?: () => void }>;
    expect(failed.type).toBe(LoadError);
    expect(failed.props.message).toBe('down');
    expect(typeof failed.props.onRetry).toBe('function');
  });

  test('the empty text for empty data, the content otherwise, and a failed reload above the content', () => {
    const empty = walk(
      Async({ resource: { data: [] as number[], error: undefined, reload }, isEmpty: (d) => d.length === 0, empty: 'Nothing here', children: () => 'x' }),
    );
    expect(empty.some((n) => n.type === 'p' && text(n) === 'Nothing here')).toBe(true);
    const content = walk(
      Async({ resource: { data: [1, 2], error: 'reload failed', reload }, isEmpty: (d) => d.length === 0, children: (d) => h('b', null, d.length) }),
    );
    expect(content.map((n) => n.type)).toEqual(expect.arrayContaining([LoadError, 'b']));
  });
});

describe('<DataTable>', () => {
  const rows = [
    { id: 'a', name: 'Alpha', n: 1 },
    { id: 'b', name: 'Beta', n: 2 },
  ];
  const columns = [
    { key: 'name', header: 'Name', rowHeader: true, cell: (r: (typeof rows)[number]) => r.name },
    { key: 'n', header: 'Count', cell: (r: (typeof rows)[number]) => r.n },
  ];

  test('column headers with scope, the naming cell as a row header, an optional caption', () => {
    const nodes = walk(DataTable({ rows, columns, rowKey: (r) => r.id, caption: 'Things' }));
    expect(nodes.filter((n) => n.type === 'th' && (n.props as { scope?: string }).scope === 'col').map(text)).toEqual(['Name', 'Count']);
    expect(nodes.filter((n) => n.type === 'th' && (n.props as { scope?: string }).scope === 'row').map(text)).toEqual(['Alpha', 'Beta']);
    expect(nodes.filter((n) => n.type === 'td').map(text)).toEqual(['1', '2']);
    expect(text(nodes.find((n) => n.type === 'caption'))).toBe('Things');
  });

  test('the empty text replaces an empty table', () => {
    const nodes = walk(DataTable({ rows: [], columns, rowKey: (r) => r.id, empty: 'No rows' }));
    expect(nodes.some((n) => n.type === 'table')).toBe(false);
    expect(text(nodes[0])).toBe('No rows');
  });
});

describe('routes and tabs of the new screens', () => {
  test('#/tickets/search and a ticket opened from its results', () => {
    expect(parseRoute('#/tickets/search')).toMatchObject({ section: 'tickets', ticketSearch: true, ticketId: undefined });
    expect(parseRoute('#/tickets/search/tkt_01')).toMatchObject({ section: 'tickets', ticketSearch: true, ticketId: 'tkt_01' });
    expect(parseRoute('#/tickets/mine/tkt_01').ticketSearch).toBeUndefined();
  });

  test('agents see their macros only; supervisors and admins every settings tab', () => {
    expect(settingsTabs(['agent'])).toEqual(['macros']);
    expect(settingsTabs(['supervisor'])).toEqual(['policies', 'calendars', 'teams', 'rules', 'macros', 'surveys', 'email']);
    expect(settingsTabs(['admin'])).toEqual(expect.arrayContaining(['membership', 'shop', 'webhooks']));
    expect(settingsTabs(['admin', 'agent'])).toContain('policies');
    expect(settingsTabs(['marketing'])).toEqual([]);
    expect(parseRoute('#/settings/macros/new')).toMatchObject({ section: 'settings', tab: 'macros', itemId: 'new' });
  });
});
