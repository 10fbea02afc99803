import { describe, expect, test } from 'vitest';
import { translator } from '../../../web/console/i18n.ts';
import { canEditKb, contactLabel, homeSection, inView, parseRoute, sectionsFor, unreadIn } from '../../../web/console/inbox-state.ts';
import type { Conversation } from '../../../web/lib/types.ts';

const base: Conversation = {
  conversationId: 'cnv_1',
  contactId: 'con_01abcdefxyz123',
  status: 'open',
  channel: 'chat',
  verified: false,
  lastMessageAt: '2026-01-01T10:00:00Z',
  lastMessagePreview: 'hi',
  unreadByAgent: 0,
  unreadByVisitor: 0,
  createdAt: '2026-01-01T10:00:00Z',
  version: 1,
};

describe('inbox views', () => {
  const me = 'sub-me';
  const mine = { ...base, conversationId: 'a', assignee: { sub: me, name: 'Me' }, unreadByAgent: 2 };
  const theirs = { ...base, conversationId: 'b', assignee: { sub: 'other', name: 'Other' } };
  const free = { ...base, conversationId: 'c', unreadByAgent: 1 };
  const waiting = { ...base, conversationId: 'd', status: 'pending' as const, assignee: { sub: me, name: 'Me' }, unreadByAgent: 1 };
  const done = { ...base, conversationId: 'e', status: 'resolved' as const, unreadByAgent: 3 };
  const withBot = { ...base, conversationId: 'f', unreadByAgent: 4, bot: { active: true, turns: 1, fallbacks: 0 } };
  const all = [mine, theirs, free, waiting, done, withBot];

  test('follow the server rules (mine and unassigned hold open conversations only)', () => {
    const ids = (view: Parameters<typeof inView>[0]) => all.filter((c) => inView(view, c, me)).map((c) => c.conversationId);
    expect(ids('open')).toEqual(['a', 'b', 'c']);
    expect(ids('pending')).toEqual(['d']);
    expect(ids('mine')).toEqual(['a']);
    expect(ids('unassigned')).toEqual(['c']);
    expect(ids('bot')).toEqual(['f']);
  });

  test('unread counts count conversations with unread messages in the view', () => {
    expect(unreadIn('open', all, me)).toBe(2);
    expect(unreadIn('pending', all, me)).toBe(1);
    expect(unreadIn('mine', all, me)).toBe(1);
    expect(unreadIn('bot', all, me)).toBe(0);
    expect(unreadIn('unassigned', all, me)).toBe(1);
  });
});

describe('role-aware sections', () => {
  test('each role sees only what it can use', () => {
    expect(sectionsFor(['agent'])).toEqual(['inbox', 'tickets', 'kb', 'reports', 'settings']);
    expect(sectionsFor(['agent', 'supervisor'])).toEqual(['inbox', 'tickets', 'kb', 'reports', 'settings']);
    expect(sectionsFor(['supervisor'])).toEqual(['inbox', 'tickets', 'kb', 'reports', 'settings']);
    expect(sectionsFor(['marketing'])).toEqual(['kb', 'campaigns']);
    expect(sectionsFor(['admin', 'supervisor', 'agent'])).toEqual(['inbox', 'tickets', 'kb', 'reports', 'campaigns', 'settings']);
  });

  test('each role lands on its main work: marketing on Marketing, not the knowledge base', () => {
    expect(homeSection(['marketing'])).toBe('campaigns');
    expect(homeSection(['agent'])).toBe('inbox');
    expect(homeSection(['admin'])).toBe('inbox');
    expect(homeSection([])).toBeUndefined();
    expect(sectionsFor([])).toEqual([]);
  });

  test('only admins edit the knowledge base (the save route is admin-only)', () => {
    expect(canEditKb(['admin'])).toBe(true);
    expect(canEditKb(['agent', 'supervisor'])).toBe(false);
    expect(canEditKb(['marketing'])).toBe(false);
  });
});

describe('routes and labels', () => {
  test('parseRoute reads section, view and conversation from the hash', () => {
    expect(parseRoute('#/inbox/mine/cnv_1')).toEqual({ section: 'inbox', view: 'mine', conversationId: 'cnv_1' });
    expect(parseRoute('#/reports')).toEqual({ section: 'reports', view: 'open', conversationId: undefined });
    expect(parseRoute('')).toEqual({ section: undefined, view: 'open', conversationId: undefined });
    expect(parseRoute('#/inbox/bogus/%E0%A4%A')).toEqual({ section: 'inbox', view: 'open', conversationId: '%E0%A4%A' });
    expect(parseRoute('#/kb')).toEqual({ section: 'kb', view: 'open', conversationId: undefined, articleId: undefined });
    expect(parseRoute('#/kb/kb-refund-timing-en')).toMatchObject({ section: 'kb', articleId: 'kb-refund-timing-en' });
    expect(parseRoute('#/kb/new')).toMatchObject({ section: 'kb', articleId: 'new' });
    expect(parseRoute('#/tickets/sla_at_risk/tkt_1')).toMatchObject({ section: 'tickets', ticketView: 'sla_at_risk', ticketId: 'tkt_1' });
    expect(parseRoute('#/tickets/new')).toMatchObject({ section: 'tickets', ticketView: 'mine', ticketId: 'new' });
    expect(parseRoute('#/tickets/bogus')).toMatchObject({ section: 'tickets', ticketView: 'mine', ticketId: undefined });
    expect(parseRoute('#/settings/teams/logistics')).toMatchObject({ section: 'settings', tab: 'teams', itemId: 'logistics' });
    expect(parseRoute('#/reports/2026-03-01/resolved')).toMatchObject({ section: 'reports', tab: '2026-03-01', itemId: 'resolved' });
    expect(parseRoute('#/campaigns/segments/new')).toMatchObject({ section: 'campaigns', tab: 'segments', itemId: 'new' });
  });

  test('contactLabel prefers the name, then the offline email, then a short anonymous id', () => {
    const t = translator('en');
    expect(contactLabel({ ...base, contactName: 'Wang Fang' }, t)).toBe('Wang Fang');
    expect(contactLabel({ ...base, offline: { email: 'a@b.c' } }, t)).toBe('a@b.c');
    expect(contactLabel(base, t)).toBe('Visitor xyz123');
    expect(contactLabel(base, translator('zh-CN'))).toBe('访客 xyz123');
  });
});
