import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { apiClient } from '../support/api.ts';
import { until } from '../support/until.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
let call: ReturnType<typeof apiClient>['call'];

type Msg = { messageId: string; author: { kind: string }; text: string; meta?: { articles?: { id: string; title: string }[]; actions?: string[] } };

/** A question the demo help centre answers with a menu: the coupons article ranks second. */
const QUESTION = '券过期了能补吗';
const CHOSEN = 'kb-coupons-zh';

async function ask(text: string): Promise<{ token: string; conversationId: string; reply: Msg }> {
  const session = await call('POST', '/widget/session', { body: { shopId: 'demo' } });
  const token = session.json.token as string;
  const started = await call('POST', '/widget/conversations', { token, body: { clientMessageId: `learn-${Math.random().toString(36).slice(2, 12)}`, text } });
  expect(started.status).toBe(201);
  const conversationId = started.json.conversation.conversationId as string;
  const reply = await until(
    async () => {
      const thread = await call('GET', `/widget/conversations/${conversationId}/messages`, { token });
      return (thread.json.items as Msg[]).find((m) => m.author.kind === 'bot');
    },
    { what: 'the bot reply' },
  );
  return { token, conversationId, reply };
}

const kind = (m: Msg) => (m.meta?.actions?.includes('helpful') ? 'answer' : (m.meta?.articles?.length ?? 0) > 1 ? 'clarify' : 'other');

async function pick(token: string, conversationId: string, articleId: string) {
  return call('POST', `/widget/conversations/${conversationId}/kb-pick`, { token, body: { articleId } });
}

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  ({ call } = apiClient(stack.urls.api));
});
afterAll(async () => stack?.stop());

describe('the bot learns from shoppers’ picks (local stack, demo help centre)', () => {
  it('only an article the menu offered can be picked, by the conversation’s own shopper', async () => {
    const first = await ask(QUESTION);
    expect(kind(first.reply)).toBe('clarify');
    const offered = first.reply.meta?.articles?.map((a) => a.id) ?? [];
    expect(offered).toContain(CHOSEN);
    const notOffered = await pick(first.token, first.conversationId, 'kb-invoices-en');
    expect(notOffered.status).toBe(409);
    expect(notOffered.json.message).toMatch(/not offered/);
    const stranger = await call('POST', '/widget/session', { body: { shopId: 'demo' } });
    expect((await pick(stranger.json.token, first.conversationId, CHOSEN)).status).toBe(404);
    expect(
      (await call('POST', `/widget/conversations/${first.conversationId}/kb-pick`, { token: first.token, body: { articleId: CHOSEN, extra: 1 } })).status,
    ).toBe(400);
  });

  it('one shopper picking the same article 50 times does not change the answer; three distinct shoppers do', async () => {
    const loud = await ask(QUESTION);
    expect(kind(loud.reply)).toBe('clarify');
    const outcomes: boolean[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await pick(loud.token, loud.conversationId, CHOSEN);
      expect(res.status).toBe(200);
      outcomes.push(res.json.recorded as boolean);
    }
    expect(outcomes[0]).toBe(true);
    // The daily allowance stops the repeats well before 50.
    expect(outcomes.at(-1)).toBe(false);

    const afterOne = await ask(QUESTION);
    expect(kind(afterOne.reply)).toBe('clarify');

    // A second shopper picks it too (two distinct shoppers: still a question back).
    expect((await pick(afterOne.token, afterOne.conversationId, CHOSEN)).json.recorded).toBe(true);
    const afterTwo = await ask(QUESTION);
    expect(kind(afterTwo.reply)).toBe('clarify');
    expect((await pick(afterTwo.token, afterTwo.conversationId, CHOSEN)).json.recorded).toBe(true);

    // Three distinct shoppers chose it: the same question, worded differently, is answered directly.
    const learned = await ask('亲，优惠券过期了还能补吗？');
    expect(kind(learned.reply)).toBe('answer');
    expect(learned.reply.meta?.articles?.[0]?.id).toBe(CHOSEN);
  });

  it('an answer that distinct shoppers mark “not helpful” becomes a question back', async () => {
    const question = '发票怎么开';
    for (let i = 0; i < 3; i++) {
      const { token, conversationId, reply } = await ask(question);
      expect(kind(reply)).toBe('answer');
      const verdict = await call('POST', `/widget/conversations/${conversationId}/bot-feedback`, { token, body: { helpful: false } });
      expect(verdict.json.recorded).toBe(true);
    }
    const after = await ask(question);
    expect(kind(after.reply)).toBe('clarify');
  });
});
