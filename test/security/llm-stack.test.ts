/**
 * The LLM bot's guards end to end: the local stack (real HTTP, WebSocket, SQS, DynamoDB) with a
 * local OpenAI-compatible provider (real HTTP + SSE). The bot function runs with a short timeout
 * (8 s, passed in as its manifest entry) so a hanging provider is tested without long waits.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type LocalStack, startLocalStack } from '#infra/local/stack.ts';
import { functions } from '#infra/manifest.ts';
import { resetLlmClient } from '#shared/bot/llm.ts';
import { BOT_LIMITS } from '#shared/bot/responder.ts';
import { resetConfig } from '#shared/config.ts';
import { apiClient } from '../support/api.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';
import { until } from '../support/until.ts';

const BOT_TIMEOUT_SECONDS = 8;
let stack: LocalStack;
let fake: FakeOpenAi;
let client: ReturnType<typeof apiClient>;
let agent: string;

type Msg = { author: { kind: string }; text: string; meta?: { actions?: string[] } };
type Bot = { active: boolean; turns: number; tokens?: number; outcome?: string; handoff?: { reason: string; priority: string } };

beforeAll(async () => {
  fake = await startFakeOpenAi();
  process.env.OPENAI_API_KEY = 'sk-test-local';
  process.env.OPENAI_BASE_URL = fake.baseURL;
  process.env.KEFU_LLM_TOKEN_BUDGET = '2500';
  delete process.env.KEFU_LLM_TIMEOUT_MS;
  resetConfig();
  stack = await startLocalStack({
    port: 0,
    memory: true,
    quiet: true,
    failedRetryDelaySeconds: 0,
    functions: functions.map((f) => (f.name === 'bot-consumer' ? { ...f, timeoutSeconds: BOT_TIMEOUT_SECONDS } : f)),
    // the provider budget is derived from the function's remaining time: this file tests the deployed one
    timeoutScale: 1,
  });
  client = apiClient(stack.urls.api);
  agent = await client.staff();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await fake?.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.script = [];
  resetLlmClient();
});

async function start(text: string) {
  const v = await client.visitor();
  const res = await client.call('POST', '/widget/conversations', {
    token: v.token,
    body: { clientMessageId: `sec-${Math.random().toString(36).slice(2, 12)}`, text },
  });
  return { ...v, conversationId: res.json.conversation.conversationId as string };
}

async function send(token: string, conversationId: string, text: string) {
  const res = await client.call('POST', `/widget/conversations/${conversationId}/messages`, {
    token,
    body: { clientMessageId: `sec-${Math.random().toString(36).slice(2, 12)}`, text },
  });
  expect(res.status).toBeLessThan(300);
}

async function bot(conversationId: string): Promise<Bot> {
  return (await client.call('GET', `/conversations/${conversationId}`, { token: agent })).json.conversation.bot as Bot;
}

async function botMessages(token: string, conversationId: string): Promise<Msg[]> {
  const thread = await client.call('GET', `/widget/conversations/${conversationId}/messages`, { token });
  return (thread.json.items as Msg[]).filter((m) => m.author.kind === 'bot');
}

const handedOff = (conversationId: string) =>
  until(async () => ((await bot(conversationId)).outcome === 'handed_off' ? bot(conversationId) : undefined), { what: 'a hand-off', timeoutMs: 25_000 });

describe('LLM bot guards on the local stack', () => {
  it('12 shopper turns reach the model at most 8 times, then the bot hands off (item 3)', async () => {
    fake.script = Array.from({ length: 12 }, () => ({ text: ['Most orders arrive in 1–3 days.'] }));
    const c = await start('How long does delivery take?');
    await stack.quiesce();
    for (let i = 1; i < 12; i++) {
      await send(c.token, c.conversationId, 'And how long does delivery take to Shanghai?');
      await stack.quiesce();
    }
    expect(fake.requests).toHaveLength(BOT_LIMITS.maxTurns);
    expect(await bot(c.conversationId)).toMatchObject({ active: false, outcome: 'handed_off', handoff: { reason: 'budget_exhausted' } });
  });

  it('a provider that reports no usage still spends the token budget (local estimate) (item 3)', async () => {
    fake.script = Array.from({ length: 12 }, () => ({ text: ['大多数订单1–3天送达。'], usage: false }));
    const c = await start('多久能收到货？');
    await stack.quiesce();
    expect((await bot(c.conversationId)).tokens).toBeGreaterThan(0);
    for (let i = 1; i < 12 && (await bot(c.conversationId)).active; i++) {
      await send(c.token, c.conversationId, '发货到上海要多久？');
      await stack.quiesce();
    }
    const state = await bot(c.conversationId);
    expect(state).toMatchObject({ outcome: 'handed_off', handoff: { reason: 'budget_exhausted' } });
    expect(fake.requests.length).toBeLessThan(BOT_LIMITS.maxTurns);
    expect(fake.requests).toHaveLength(state.turns);
  });

  it('bot_delta frames carry only cleaned text: no outside link, remote image or javascript: link (item 4)', async () => {
    const v = await client.visitor();
    const frames: { type: string; delta?: string }[] = [];
    const ws = new WebSocket(`${stack.urls.ws}?token=${v.token}`);
    ws.on('message', (d) => frames.push(JSON.parse(String(d))));
    await new Promise((r) => ws.once('open', r));
    fake.script = [
      { text: ['Track it at ', 'https://evil.exa', 'mple/phish', ' or ![x](https://evil.', 'example/p.png) ', 'or [here](java', 'script:alert(1)).'] },
    ];
    const res = await client.call('POST', '/widget/conversations', {
      token: v.token,
      body: { clientMessageId: 'sec-stream-0001', text: 'How long does delivery take?' },
    });
    const id = res.json.conversation.conversationId as string;
    const reply = await until(async () => (await botMessages(v.token, id))[0], { what: 'the bot reply' });
    await until(() => frames.some((f) => f.type === 'message' && (f as { message?: Msg }).message?.author.kind === 'bot'), { what: 'the final message frame' });
    const deltas = frames.filter((f) => f.type === 'bot_delta').map((f) => f.delta!);
    expect(deltas.length).toBeGreaterThan(0);
    for (const d of deltas) expect(d).not.toMatch(/evil\.example|javascript:|!\[/i);
    expect(deltas.join('').trim()).toBe(reply.text);
    ws.close();
  });

  it('the model’s “urgent” for a shipping question does not make an urgent ticket (item 5)', async () => {
    fake.script = [{ tool: { name: 'hand_off', arguments: JSON.stringify({ reason: 'customer_request', summary: 'shipping question', priority: 'urgent' }) } }];
    const c = await start('I have a question about shipping');
    await handedOff(c.conversationId);
    const detail = await until(
      async () => (await client.call('GET', `/conversations/${c.conversationId}`, { token: agent })).json.conversation.ticketId as string | undefined,
      { what: 'the ticket' },
    );
    const ticket = (await client.call('GET', `/tickets/${detail}`, { token: agent })).json.ticket as { priority: string };
    expect(ticket.priority).toBe('high');
  });

  it('a promised refund is not sent: the shopper gets a polite hand-off instead (item 6)', async () => {
    const v = await client.visitor();
    const frames: { type: string; delta?: string }[] = [];
    const ws = new WebSocket(`${stack.urls.ws}?token=${v.token}`);
    ws.on('message', (d) => frames.push(JSON.parse(String(d))));
    await new Promise((r) => ws.once('open', r));
    fake.script = [{ text: ['您好，', '我们将为您全额退款，', '并补偿您200元。'] }];
    const res = await client.call('POST', '/widget/conversations', { token: v.token, body: { clientMessageId: 'sec-promise-01', text: '我的包裹晚到了三天' } });
    const id = res.json.conversation.conversationId as string;
    const state = await handedOff(id);
    expect(state.handoff).toBeDefined();
    const [reply] = await botMessages(v.token, id);
    expect(reply!.text).toMatch(/人工客服/);
    expect(reply!.text).not.toMatch(/全额退款|200元/);
    expect(
      frames
        .filter((f) => f.type === 'bot_delta')
        .map((f) => f.delta)
        .join(''),
    ).not.toMatch(/退款|补偿|200/);
    ws.close();
  });

  it('a provider that never answers: the shopper gets an apology and a hand-off before the function times out (item 7)', async () => {
    fake.script = [{ hang: true }, { hang: true }, { hang: true }];
    const c = await start('How do points work?');
    const state = await handedOff(c.conversationId);
    expect(state.handoff?.reason).toBe('provider_error');
    const [reply] = await botMessages(c.token, c.conversationId);
    expect(reply!.text).toMatch(/can't answer right now/);
    expect(fake.requests.length).toBeGreaterThan(0);
  });
});
