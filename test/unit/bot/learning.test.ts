import { describe, expect, it } from 'vitest';
import { isAnswer, isClarify, questionBefore } from '#shared/bot/learning.ts';
import type { Message } from '#shared/store/conversations.ts';

let n = 0;
const msg = (kind: 'visitor' | 'bot' | 'agent', text: string, meta?: Message['meta']): Message => ({
  messageId: `msg_${String(++n).padStart(26, '0')}`,
  conversationId: 'c1',
  author: { kind },
  text,
  internal: false,
  createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, n)).toISOString(),
  ...(meta ? { meta } : {}),
});

const menu = {
  articles: [
    { id: 'a', title: 'A' },
    { id: 'b', title: 'B' },
  ],
  actions: ['human' as const],
};
const answered = { articles: [{ id: 'a', title: 'A' }], actions: ['helpful' as const, 'not_helpful' as const, 'human' as const] };

describe('what a pick or a verdict is about', () => {
  it('tells a menu from an answer', () => {
    expect(isClarify(msg('bot', '您想了解的是以下哪一项？', menu))).toBe(true);
    expect(isClarify(msg('bot', '七天无理由退货…', answered))).toBe(false);
    expect(isAnswer(msg('bot', '七天无理由退货…', answered))).toBe(true);
    expect(isAnswer(msg('bot', '您好！', undefined))).toBe(false);
    expect(isClarify(msg('agent', 'x', menu))).toBe(false);
  });

  it('the question is what the shopper wrote since the bot last spoke', () => {
    const thread = [msg('visitor', '你好'), msg('bot', '您好！'), msg('visitor', '券过期了'), msg('visitor', '还能补吗'), msg('bot', '哪一项？', menu)];
    expect(questionBefore(thread, thread[4]!.messageId)).toBe('券过期了\n还能补吗');
    expect(questionBefore(thread, thread[1]!.messageId)).toBe('你好');
    expect(questionBefore(thread, 'msg_unknown')).toBeUndefined();
    expect(questionBefore([msg('bot', '您好！', menu)], `msg_${String(n).padStart(26, '0')}`)).toBeUndefined();
  });
});
