import { describe, expect, it } from 'vitest';
import { headerUpdate } from '#shared/store/conversation-header.ts';
import type { Conversation, Message } from '#shared/store/conversations.ts';
import { applyReads } from '#shared/store/read-state.ts';

const header: Conversation = {
  conversationId: 'cnv_1',
  contactId: 'ct_1',
  status: 'open',
  channel: 'chat',
  verified: false,
  lastMessageAt: '2026-01-01T00:00:00.000Z',
  lastMessagePreview: 'hi',
  unreadByAgent: 1,
  unreadByVisitor: 0,
  bot: { active: true, turns: 2, fallbacks: 0 },
  createdAt: '2026-01-01T00:00:00.000Z',
  version: 4,
};

function message(kind: Message['author']['kind'], internal = false): Message {
  return { messageId: 'msg_2', conversationId: 'cnv_1', author: { kind }, text: 'hello', internal, createdAt: '2026-01-01T00:01:00.000Z' };
}

/** The expression with its placeholders filled in, for reading. */
function readable(u: NonNullable<ReturnType<typeof headerUpdate>>): string {
  let text = `${u.UpdateExpression} IF ${u.ConditionExpression}`;
  for (const [k, v] of Object.entries(u.ExpressionAttributeNames)) text = text.replaceAll(k, v);
  for (const [k, v] of Object.entries(u.ExpressionAttributeValues).sort(([a], [b]) => b.length - a.length)) text = text.replaceAll(k, JSON.stringify(v));
  return text;
}

describe('the header update of a message (commuting parts)', () => {
  it('a shopper message adds to counters and moves activity forward only; it checks the version without bumping it', () => {
    const u = readable(headerUpdate(header, { ...header, lastMessagePreview: 'hello' }, message('visitor'), true)!);
    expect(u).toContain('ADD unreadByAgent 1, visitorSeq 1');
    expect(u).toContain('unreadByVisitor = 0');
    expect(u).toContain('lastMessageAt <= "2026-01-01T00:01:00.000Z"');
    expect(u).toContain('version = 4');
    expect(u).not.toMatch(/ADD[^I]*version/);
    expect(u).toContain('gsi2sk = "2026-01-01T00:01:00.000Z#cnv_1"');
  });

  it("the bot's turn count is a server-side increment, not a listing change", () => {
    const next = { ...header, lastMessagePreview: 'hello', bot: { ...header.bot!, turns: 3, tokens: 40 } };
    const u = readable(headerUpdate(header, next, message('bot'), true)!);
    expect(u).toContain('bot.turns = if_not_exists(bot.turns, 0) + 1');
    expect(u).toContain('bot.tokens = if_not_exists(bot.tokens, 0) + 40');
    expect(u).toContain('ADD unreadByVisitor 1, replySeq 1');
    expect(u).not.toMatch(/ADD[^I]*version/);
  });

  it('a hand-off is a listing change: it sets the bot state, bumps the version and moves the index partitions', () => {
    const next: Conversation = { ...header, bot: { ...header.bot!, active: false, outcome: 'handed_off' } };
    const u = readable(headerUpdate(header, next, message('bot'), true)!);
    expect(u).toContain('version 1');
    expect(u).toContain('gsi2pk = "CONVS#open"');
    expect(u).toMatch(/SET .*bot = \{/);
  });

  it('an older message arriving late counts without moving activity back; a bare internal note writes nothing', () => {
    const late = readable(headerUpdate(header, header, message('visitor'), false)!);
    expect(late).not.toContain('lastMessageAt =');
    expect(late).not.toContain('gsi2sk');
    expect(late).toContain('ADD unreadByAgent 1');
    expect(headerUpdate(header, header, message('agent', true), true)).toBeUndefined();
  });
});

describe('read marks beside the header', () => {
  it('unread is the fewer of "since the other side wrote" and "since this side read"', () => {
    const item = { visitorSeq: 7, replySeq: 3 };
    const read = applyReads({ ...header, unreadByAgent: 5 }, item, { agent: { messageId: 'msg_5', seq: 6, at: '' } });
    expect(read).toMatchObject({ unreadByAgent: 1, readByAgent: 'msg_5' });
    expect(read).not.toHaveProperty('visitorSeq');
    // An agent reply since the read already reset the header counter: it wins.
    expect(applyReads({ ...header, unreadByAgent: 0 }, item, { agent: { messageId: 'msg_1', seq: 2, at: '' } }).unreadByAgent).toBe(0);
    // No mark (an older conversation): the header's counter as it was.
    expect(applyReads({ ...header, unreadByAgent: 5 }, item, {}).unreadByAgent).toBe(5);
  });
});
