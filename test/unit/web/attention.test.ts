import { describe, expect, test } from 'vitest';
import { arrivals, needsMe, titleWith } from '../../../web/console/attention.ts';
import type { Conversation } from '../../../web/lib/types.ts';

const me = 'sub-me';
const base: Conversation = {
  conversationId: 'cnv_1',
  contactId: 'con_1',
  status: 'open',
  channel: 'chat',
  verified: false,
  lastMessageAt: '2026-12-03T10:00:00Z',
  lastMessagePreview: '你好',
  unreadByAgent: 0,
  unreadByVisitor: 0,
  createdAt: '2026-12-03T10:00:00Z',
  version: 1,
};
const conv = (id: string, patch: Partial<Conversation>): Conversation => ({ ...base, conversationId: id, ...patch });

describe('what needs the agent', () => {
  test('unread conversations of mine or waiting for anyone; not someone else’s, not the bot’s, not pending', () => {
    expect(needsMe(conv('a', { assignee: { sub: me, name: 'Me' }, unreadByAgent: 1 }), me)).toBe(true);
    expect(needsMe(conv('b', { unreadByAgent: 2 }), me)).toBe(true);
    expect(needsMe(conv('c', { assignee: { sub: 'other', name: 'O' }, unreadByAgent: 1 }), me)).toBe(false);
    expect(needsMe(conv('d', { unreadByAgent: 1, bot: { active: true, turns: 1, fallbacks: 0 } }), me)).toBe(false);
    expect(needsMe(conv('e', { status: 'pending', assignee: { sub: me, name: 'Me' }, unreadByAgent: 1 }), me)).toBe(false);
    expect(needsMe(conv('f', { assignee: { sub: me, name: 'Me' } }), me)).toBe(false);
  });

  test('the tab title leads with the count, and is plain when nothing waits', () => {
    expect(titleWith('Kefu 客服台', 3)).toBe('(3) Kefu 客服台');
    expect(titleWith('Kefu 客服台', 0)).toBe('Kefu 客服台');
  });
});

describe('arrivals', () => {
  test('the first look rings for nothing (a backlog at sign-in), later looks ring for new and grown unread only', () => {
    const backlog = [conv('a', { unreadByAgent: 2 })];
    const first = arrivals(undefined, backlog, me);
    expect(first.fresh).toEqual([]);

    const same = arrivals(first.seen, backlog, me);
    expect(same.fresh).toEqual([]);

    const grown = arrivals(same.seen, [conv('a', { unreadByAgent: 3 }), conv('b', { unreadByAgent: 1 })], me);
    expect(grown.fresh.map((c) => c.conversationId)).toEqual(['a', 'b']);

    // read (0 unread) then a new message: it rings again
    const read = arrivals(grown.seen, [conv('a', { unreadByAgent: 0 }), conv('b', { unreadByAgent: 1 })], me);
    expect(read.fresh).toEqual([]);
    const again = arrivals(read.seen, [conv('a', { unreadByAgent: 1 }), conv('b', { unreadByAgent: 1 })], me);
    expect(again.fresh.map((c) => c.conversationId)).toEqual(['a']);
  });

  test('a bot conversation handed off to the team rings when it arrives in the queue', () => {
    const withBot = conv('h', { unreadByAgent: 2, bot: { active: true, turns: 2, fallbacks: 1 } });
    const before = arrivals(undefined, [withBot], me);
    const handedOff = conv('h', { unreadByAgent: 2, bot: { active: false, turns: 2, fallbacks: 1, outcome: 'handed_off' } });
    expect(arrivals(before.seen, [handedOff], me).fresh.map((c) => c.conversationId)).toEqual(['h']);
  });
});
