import { describe, expect, test } from 'vitest';
import { fetchSince } from '../../../web/lib/catch-up.ts';
import {
  addPending,
  isLocal,
  lastConfirmed,
  mergeMessages,
  setDeliveryState,
  sortByActivity,
  type ThreadMessage,
  upsertConversation,
} from '../../../web/lib/merge.ts';
import type { Conversation, Message, MessagePage } from '../../../web/lib/types.ts';

const CONV = 'cnv_01';

function msg(n: number, extra: Partial<Message> = {}): Message {
  return {
    messageId: `msg_${String(n).padStart(3, '0')}`,
    conversationId: CONV,
    author: { kind: 'agent', name: 'Li Na' },
    text: `message ${n}`,
    internal: false,
    createdAt: new Date(Date.UTC(2026, 0, 1, 10, 0, n)).toISOString(),
    ...extra,
  };
}

function pending(thread: ThreadMessage[], clientMessageId: string, text = 'hi'): ThreadMessage[] {
  return addPending(thread, { clientMessageId, conversationId: CONV, text, author: { kind: 'visitor' }, createdAt: new Date().toISOString() });
}

describe('mergeMessages', () => {
  test('keeps one entry per messageId whatever the order and number of copies', () => {
    const a = msg(1);
    const b = msg(2);
    const c = msg(3);
    const thread = mergeMessages(mergeMessages(mergeMessages([], [c, a]), [b, a]), [c, b, a]);
    expect(thread.map((m) => m.messageId)).toEqual(['msg_001', 'msg_002', 'msg_003']);
    expect(thread.every((m) => m.state === 'sent')).toBe(true);
  });

  test('a newer copy of a message replaces the older one', () => {
    const thread = mergeMessages(mergeMessages([], [msg(1, { text: 'old' })]), [msg(1, { text: 'new' })]);
    expect(thread).toHaveLength(1);
    expect(thread[0]?.text).toBe('new');
  });

  test('the confirmed message replaces the optimistic one with the same clientMessageId', () => {
    let thread = pending(mergeMessages([], [msg(1)]), 'c-1', 'where is my order?');
    expect(thread.at(-1)?.state).toBe('pending');
    expect(isLocal(thread.at(-1)!)).toBe(true);
    thread = mergeMessages(thread, [msg(2, { clientMessageId: 'c-1', author: { kind: 'visitor' }, text: 'where is my order?' })]);
    expect(thread.map((m) => m.messageId)).toEqual(['msg_001', 'msg_002']);
    expect(thread.every((m) => m.state === 'sent')).toBe(true);
  });

  test('a WebSocket echo, the POST response and a reconnect fetch of one message show it once', () => {
    const confirmed = msg(5, { clientMessageId: 'c-5', author: { kind: 'visitor' } });
    let thread = pending([], 'c-5');
    thread = mergeMessages(thread, [confirmed]);
    thread = mergeMessages(thread, [confirmed]);
    thread = mergeMessages(thread, [msg(4), confirmed, msg(6)]);
    expect(thread.map((m) => m.messageId)).toEqual(['msg_004', 'msg_005', 'msg_006']);
  });

  test('a resend after a network error keeps the same clientMessageId and one entry', () => {
    let thread = pending([], 'c-9');
    thread = setDeliveryState(thread, 'c-9', 'failed');
    expect(thread[0]?.state).toBe('failed');
    thread = pending(thread, 'c-9');
    expect(thread).toHaveLength(1);
    thread = setDeliveryState(thread, 'c-9', 'pending');
    thread = mergeMessages(thread, [msg(9, { clientMessageId: 'c-9' })]);
    expect(thread).toHaveLength(1);
    expect(thread[0]?.state).toBe('sent');
  });

  test('unconfirmed messages stay at the end in the order they were sent', () => {
    let thread = pending(pending([], 'c-a', 'first'), 'c-b', 'second');
    thread = mergeMessages(thread, [msg(1), msg(2)]);
    expect(thread.map((m) => m.text)).toEqual(['message 1', 'message 2', 'first', 'second']);
  });

  test('orders by createdAt, then by messageId for equal times', () => {
    const same = '2026-01-01T10:00:00.000Z';
    const thread = mergeMessages([], [msg(3, { createdAt: same }), msg(1, { createdAt: same }), msg(2, { createdAt: '2025-12-31T00:00:00.000Z' })]);
    expect(thread.map((m) => m.messageId)).toEqual(['msg_002', 'msg_001', 'msg_003']);
  });

  test('lastConfirmed skips optimistic messages', () => {
    const thread = pending(mergeMessages([], [msg(1), msg(2)]), 'c-x');
    expect(lastConfirmed(thread)?.messageId).toBe('msg_002');
    expect(lastConfirmed(pending([], 'c-y'))).toBeUndefined();
  });
});

describe('conversations', () => {
  const conv = (id: string, at: string, version = 1): Conversation => ({
    conversationId: id,
    contactId: 'con_1',
    status: 'open',
    channel: 'chat',
    verified: false,
    lastMessageAt: at,
    lastMessagePreview: '',
    unreadByAgent: 0,
    unreadByVisitor: 0,
    createdAt: at,
    version,
  });

  test('upsert keeps the newer version and orders by last activity', () => {
    let list = upsertConversation([], conv('a', '2026-01-01T10:00:00Z', 2));
    list = upsertConversation(list, conv('b', '2026-01-01T11:00:00Z'));
    list = upsertConversation(list, conv('a', '2026-01-01T09:00:00Z', 1));
    expect(list.map((c) => c.conversationId)).toEqual(['b', 'a']);
    expect(list[1]?.version).toBe(2);
    list = upsertConversation(list, conv('a', '2026-01-01T12:00:00Z', 3));
    expect(list.map((c) => c.conversationId)).toEqual(['a', 'b']);
  });

  test('sortByActivity is stable for equal times', () => {
    const at = '2026-01-01T10:00:00Z';
    expect(sortByActivity([conv('b', at), conv('a', at)]).map((c) => c.conversationId)).toEqual(['a', 'b']);
  });
});

describe('fetchSince (reconnect catch-up)', () => {
  const all = Array.from({ length: 120 }, (_, i) => msg(i + 1));
  const pages = async (before: string | undefined): Promise<MessagePage> => {
    const end = before ? all.findIndex((m) => m.messageId === before) : all.length;
    const items = all.slice(Math.max(0, end - 50), end);
    return { items, nextBefore: end - 50 > 0 ? items[0]?.messageId : undefined };
  };

  test('pages back until the last message held is found', async () => {
    const calls: (string | undefined)[] = [];
    const got = await fetchSince(async (b) => (calls.push(b), pages(b)), 'msg_010');
    expect(calls).toEqual([undefined, 'msg_071', 'msg_021']);
    expect(got.some((m) => m.messageId === 'msg_010')).toBe(true);
    expect(got.at(-1)?.messageId).toBe('msg_120');
    const merged = mergeMessages(mergeMessages([], all.slice(0, 10)), got);
    expect(merged.map((m) => m.messageId)).toEqual(all.map((m) => m.messageId));
  });

  test('without a known message only the newest page is fetched', async () => {
    const got = await fetchSince(pages, undefined);
    expect(got).toHaveLength(50);
    expect(got[0]?.messageId).toBe('msg_071');
  });

  test('stops after maxPages when the known message is gone', async () => {
    let calls = 0;
    await fetchSince(async (b) => (calls++, pages(b)), 'msg_999', 2);
    expect(calls).toBe(2);
  });
});
