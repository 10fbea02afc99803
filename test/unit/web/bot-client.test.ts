import { describe, expect, test } from 'vitest';
import { botActionView, lastBotMessageId, offersHandoff, rememberFeedback } from '../../../web/lib/bot-actions.ts';
import { applyDelta, type BotStream, dropStale, settleStream, streamsOf, visibleStreamText } from '../../../web/lib/bot-stream.ts';
import type { Message } from '../../../web/lib/types.ts';

const delta = (streamId: string, text: string, conversationId = 'cnv_a') => ({ conversationId, streamId, delta: text });

describe('bot answer streaming', () => {
  test('deltas grow one bubble per stream, in arrival order', () => {
    let streams: BotStream[] = [];
    streams = applyDelta(streams, delta('s1', 'Refunds '), 1);
    streams = applyDelta(streams, delta('s2', 'Other ', 'cnv_b'), 2);
    streams = applyDelta(streams, delta('s1', 'take 1–3 days.'), 3);
    expect(streams.map((s) => [s.streamId, s.text])).toEqual([
      ['s1', 'Refunds take 1–3 days.'],
      ['s2', 'Other '],
    ]);
    expect(streams[0]).toMatchObject({ startedAt: 1, updatedAt: 3 });
    expect(streamsOf(streams, 'cnv_a').map((s) => s.streamId)).toEqual(['s1']);
    expect(streamsOf(streams, undefined)).toEqual([]);
  });

  test('the next bot message of a conversation replaces its oldest streaming bubble, and only that one', () => {
    let streams: BotStream[] = [];
    streams = applyDelta(streams, delta('s1', 'first'), 1);
    streams = applyDelta(streams, delta('x', 'elsewhere', 'cnv_b'), 1);
    streams = applyDelta(streams, delta('s2', 'second'), 2);
    streams = settleStream(streams, 'cnv_a');
    expect(streams.map((s) => s.streamId)).toEqual(['x', 's2']);
    streams = settleStream(streams, 'cnv_a');
    expect(streams.map((s) => s.streamId)).toEqual(['x']);
    expect(settleStream(streams, 'cnv_a')).toEqual(streams);
  });

  test('a stream whose final message never came is dropped after a minute of silence', () => {
    const streams = applyDelta(applyDelta([], delta('old', 'a'), 0), delta('new', 'b'), 50_000);
    expect(dropStale(streams, 70_000).map((s) => s.streamId)).toEqual(['new']);
  });

  test('article citation markers, complete or still arriving, are hidden while streaming', () => {
    expect(visibleStreamText('Returns are free [article:kb-returns-en] within 7 days.')).toBe('Returns are free within 7 days.');
    expect(visibleStreamText('Returns are free [artic')).toBe('Returns are free');
    expect(visibleStreamText('Returns are free [article:kb-ret')).toBe('Returns are free');
    expect(visibleStreamText('Prices [in CNY] apply')).toBe('Prices [in CNY] apply');
    expect(visibleStreamText('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
  });
});

const bot = (messageId: string, actions?: Message['meta']): Pick<Message, 'messageId' | 'author' | 'meta'> => ({
  messageId,
  author: { kind: 'bot', name: 'Kefu Assistant' },
  meta: actions,
});

describe('bot action state', () => {
  const answer = bot('m2', { articles: [{ id: 'kb-a', title: 'A' }], actions: ['helpful', 'not_helpful', 'human'] });

  test('feedback buttons show on the newest bot message only, while the bot is active', () => {
    const thread = [{ messageId: 'm1', author: { kind: 'visitor' as const } }, answer, { messageId: 'm3', author: { kind: 'visitor' as const } }];
    const lastBotId = lastBotMessageId(thread);
    expect(lastBotId).toBe('m2');
    expect(botActionView(answer, { lastBotId, botActive: true, given: undefined })).toEqual({ buttons: ['helpful', 'not_helpful'], busy: false });
    expect(botActionView(answer, { lastBotId: 'm9', botActive: true, given: undefined }).buttons).toEqual([]);
    expect(botActionView(answer, { lastBotId, botActive: false, given: undefined }).buttons).toEqual([]);
    expect(botActionView(answer, { lastBotId, botActive: true, given: undefined, busy: true }).busy).toBe(true);
  });

  test('"talk to a human" is never drawn per message; a clarifying question offers no feedback', () => {
    const clarify = bot('m4', { articles: [], actions: ['human'] });
    expect(botActionView(clarify, { lastBotId: 'm4', botActive: true, given: undefined }).buttons).toEqual([]);
    expect(botActionView(bot('m5'), { lastBotId: 'm5', botActive: true, given: undefined }).buttons).toEqual([]);
    const agent = { messageId: 'm6', author: { kind: 'agent' as const }, meta: { actions: ['helpful' as const] } };
    expect(botActionView(agent, { lastBotId: 'm6', botActive: true, given: undefined }).buttons).toEqual([]);
  });

  test('after an answer the buttons give way to a thank-you, even once the bot stopped', () => {
    expect(botActionView(answer, { lastBotId: 'm2', botActive: true, given: 'not_helpful' })).toEqual({ buttons: [], thanks: 'not_helpful', busy: false });
    expect(botActionView(answer, { lastBotId: 'm2', botActive: false, given: 'helpful' }).thanks).toBe('helpful');
  });

  test('the hand-off button shows while the bot handles an unresolved conversation', () => {
    expect(offersHandoff({ status: 'open', bot: { active: true } })).toBe(true);
    expect(offersHandoff({ status: 'open', bot: { active: false, outcome: 'handed_off' } })).toBe(false);
    expect(offersHandoff({ status: 'resolved', bot: { active: true } })).toBe(false);
    expect(offersHandoff({ status: 'open' })).toBe(false);
    expect(offersHandoff(undefined)).toBe(false);
  });

  test('remembered answers are capped, newest kept', () => {
    let stored = {};
    for (let i = 0; i < 5; i++) stored = rememberFeedback(stored, `m${i}`, i % 2 ? 'helpful' : 'not_helpful', 3);
    expect(stored).toEqual({ m2: 'not_helpful', m3: 'helpful', m4: 'not_helpful' });
    expect(rememberFeedback(stored, 'm2', 'helpful', 3)).toEqual({ m3: 'helpful', m4: 'not_helpful', m2: 'helpful' });
  });
});
