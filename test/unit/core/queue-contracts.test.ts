import { describe, expect, it } from 'vitest';
import { queues } from '#infra/manifest.ts';
import { QUEUE_MESSAGES } from '#shared/queue/messages.ts';
import type { enqueue } from '#shared/queue/send.ts';

describe('queue contracts (shared/queue/messages.ts)', () => {
  it('every manifest queue has one, and only manifest queues do', () => {
    expect(Object.keys(QUEUE_MESSAGES).sort()).toEqual(queues.map((q) => q.name).sort());
  });

  it('producers are typed by the consumer’s schema: a body it would refuse does not compile', () => {
    const sent: unknown[] = [];
    const send = (async (_queue: string, body: unknown) => void sent.push(body)) as typeof enqueue;
    void send('bot', { conversationId: 'cnv_1', messageId: 'msg_1' });
    // @ts-expect-error the bot consumer needs the message id
    void send('bot', { conversationId: 'cnv_1' });
    // @ts-expect-error unknown fields are refused by the strict schema, and by the type
    void send('privacy-tasks', { taskId: 'prv_1', attempt: 0, extra: true });
    // @ts-expect-error a webhook attempt is a number
    void send('webhooks', { eventId: 'evt_1', attempt: '1' });
    expect(sent).toHaveLength(4);
  });

  it('the same schema refuses at run time what the type refuses, and the key is stable', () => {
    const bot = QUEUE_MESSAGES.bot;
    expect(bot.schema.safeParse({ conversationId: 'cnv_1' }).success).toBe(false);
    expect(bot.key({ conversationId: 'cnv_1', messageId: 'msg_1' })).toBe('msg_1');
    const sends = QUEUE_MESSAGES['campaign-sends'];
    const a = sends.key({ campaignId: 'cmp_1', contactIds: ['a', 'b'], holds: 0 });
    expect(sends.key({ campaignId: 'cmp_1', contactIds: ['a', 'b'], holds: 0 })).toBe(a);
    expect(sends.key({ campaignId: 'cmp_1', contactIds: ['a', 'c'], holds: 0 })).not.toBe(a);
  });
});
