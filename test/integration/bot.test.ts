import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { apiClient } from '../support/api.ts';
import { until } from '../support/until.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;

let call: ReturnType<typeof apiClient>['call'];

type Msg = { author: { kind: string }; text: string; meta?: { articles?: { id: string; title: string }[]; actions?: string[] } };

function botReply(token: string, conversationId: string, after = 1): Promise<Msg> {
  return until(
    async () => {
      const thread = await call('GET', `/widget/conversations/${conversationId}/messages`, { token });
      return (thread.json.items as Msg[]).filter((m) => m.author.kind === 'bot')[after - 1];
    },
    { what: `bot reply #${after}` },
  );
}

async function ask(text: string) {
  const session = await call('POST', '/widget/session', { body: { shopId: 'demo' } });
  const token = session.json.token as string;
  const started = await call('POST', '/widget/conversations', { token, body: { clientMessageId: `bot-${Math.random().toString(36).slice(2, 12)}`, text } });
  expect(started.status).toBe(201);
  return { token, conversationId: started.json.conversation.conversationId as string };
}

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  ({ call } = apiClient(stack.urls.api));
});
afterAll(async () => stack?.stop());

describe('bot on the local stack (offline responder, demo knowledge base)', () => {
  it('answers a Chinese question from the demo help centre, citing the article', async () => {
    const { token, conversationId } = await ask('你们的退货政策是什么？七天无理由退货怎么申请');
    const reply = await botReply(token, conversationId);
    expect(reply.meta?.articles?.[0]?.id).toMatch(/-zh$/);
    expect(reply.text).toMatch(/退/);
    expect(reply.meta?.actions).toContain('human');
  });

  it('answers an English question and records a confirmed resolution', async () => {
    const { token, conversationId } = await ask('How long does delivery take?');
    const reply = await botReply(token, conversationId);
    expect(reply.meta?.articles?.[0]?.id).toMatch(/-en$/);
    const verdict = await call('POST', `/widget/conversations/${conversationId}/bot-feedback`, { token, body: { helpful: true } });
    expect(verdict.status).toBe(200);
    expect(verdict.json.conversation.status).toBe('resolved');
  });

  it('“talk to a human” hands off at any moment and the conversation waits in the agents’ inbox', async () => {
    const { token, conversationId } = await ask('How long does delivery take?');
    await botReply(token, conversationId);
    const handed = await call('POST', `/widget/conversations/${conversationId}/handoff`, { token, body: { locale: 'en' } });
    expect(handed.status).toBe(200);
    const next = await botReply(token, conversationId, 2);
    expect(next.text).toMatch(/connecting you/);
    const login = await call('POST', '/auth/login', { body: { email: 'agent@demo.kefu', password: 'kefu-demo' } });
    const detail = await call('GET', `/conversations/${conversationId}`, { token: login.json.idToken });
    expect(detail.json.conversation.bot).toMatchObject({ active: false, outcome: 'handed_off', handoff: { reason: 'customer_request' } });
    expect(detail.json.conversation.bot.handoff.summary).toContain('How long does delivery take?');
    const ticketId = detail.json.conversation.ticketId as string;
    expect(ticketId).toBeTruthy();
    const ticket = await call('GET', `/tickets/${ticketId}`, { token: login.json.idToken });
    expect(ticket.json.ticket).toMatchObject({ channel: 'chat', team: 'logistics', conversationId });
    expect(ticket.json.ticket.tags).toEqual(expect.arrayContaining(['bot-handoff', 'handoff-customer-request']));
    expect(ticket.json.clocks.map((c: { metric: string }) => c.metric)).toContain('first_response');
    const other = await call('POST', '/widget/session', { body: { shopId: 'demo' } });
    expect((await call('POST', `/widget/conversations/${conversationId}/handoff`, { token: other.json.token, body: {} })).status).toBe(404);
  });

  it('an explicit request for a human in the message itself hands off without a bot answer', async () => {
    const { token, conversationId } = await ask('我要转人工客服');
    const reply = await botReply(token, conversationId);
    expect(reply.text).toMatch(/转接人工/);
    expect(reply.meta?.articles).toBeUndefined();
  });

  it('widget help search finds articles; admins edit articles and the index follows; agents cannot edit', async () => {
    const session = await call('POST', '/widget/session', { body: { shopId: 'demo' } });
    const found = await call('GET', `/widget/kb?q=${encodeURIComponent('积分')}&lang=zh`, { token: session.json.token });
    expect(found.json.items.length).toBeGreaterThan(0);
    const admin = (await call('POST', '/auth/login', { body: { email: 'admin@demo.kefu', password: 'kefu-demo' } })).json.idToken;
    const agent = (await call('POST', '/auth/login', { body: { email: 'agent@demo.kefu', password: 'kefu-demo' } })).json.idToken;
    const article = {
      lang: 'en',
      title: 'Do you sell gift cards?',
      body: 'Yes: digital gift cards from 50 to 2000 yuan, valid for 3 years.',
      category: 'products',
      status: 'published',
    };
    expect((await call('PUT', '/kb/articles/gift-cards-en', { token: agent, body: article })).status).toBe(403);
    const saved = await call('PUT', '/kb/articles/gift-cards-en', { token: admin, body: article });
    expect(saved.status).toBe(200);
    expect(saved.json.article.version).toBe(1);
    expect((await call('PUT', '/kb/articles/gift-cards-en', { token: admin, body: article })).status).toBe(409);
    const search = await call('GET', `/widget/kb?q=${encodeURIComponent('gift card')}`, { token: session.json.token });
    expect(search.json.items[0].articleId).toBe('gift-cards-en');
    const read = await call('GET', '/widget/kb/gift-cards-en', { token: session.json.token });
    expect(read.json.body).toContain('3 years');
  });
});

describe('bot outcome accounting', () => {
  it('the daily run closes quiet bot conversations as resolved_by_bot or abandoned, once', async () => {
    const answered = await ask('How long does delivery take?');
    await botReply(answered.token, answered.conversationId);
    const unsure = await call('POST', '/widget/session', { body: { shopId: 'demo' } });
    const vague = await call('POST', '/widget/conversations', { token: unsure.json.token, body: { clientMessageId: 'quiet-vague-1', text: 'hmm, the thing' } });
    await botReply(unsure.json.token, vague.json.conversation.conversationId);
    // Whatever the bot made of it, leave this one in the state of an unsure bot the shopper walked away from.
    const { updateConversation } = await import('#shared/store/conversations.ts');
    await updateConversation(vague.json.conversation.conversationId, () => ({ status: 'open', bot: { active: true, turns: 1, fallbacks: 1 } }));
    const { closeQuietBotConversations } = await import('#shared/bot/outcomes.ts');
    const later = new Date(Date.now() + 3 * 86_400_000);
    const first = await closeQuietBotConversations(later);
    expect(first.resolved_by_bot).toBeGreaterThanOrEqual(1);
    expect(first.abandoned).toBeGreaterThanOrEqual(1);
    const again = await closeQuietBotConversations(later);
    expect(again).toEqual({ resolved_by_bot: 0, abandoned: 0 });
    const thread = await call('GET', '/widget/conversations', { token: answered.token });
    expect(thread.json.items[0].status).toBe('resolved');
  });
});

describe('kefu kb import / export (CLI against the local table)', () => {
  it('imports JSON Lines, republishes the index, skips unchanged lines and exports what it holds', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const dir = mkdtempSync(join(tmpdir(), 'kefu-kb-'));
    const file = join(dir, 'kb.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ id: 'cli-warranty-en', title: 'Is there a warranty on headphones?', body: 'Headphones carry a 2-year warranty.', lang: 'en' }),
        JSON.stringify({ id: 'cli-warranty-zh', title: '耳机保修多久？', body: '耳机享受两年保修。', lang: 'zh' }),
      ].join('\n'),
    );
    // Asynchronous: the local DynamoDB runs in this very process and must keep serving the CLI.
    const run = async (...args: string[]) =>
      (await promisify(execFile)(process.execPath, ['bin/kefu.ts', ...args, '--endpoint', stack.dynamoEndpoint], { encoding: 'utf8' })).stdout;
    await run('kb', 'import', '--file', file);
    const session = await call('POST', '/widget/session', { body: { shopId: 'demo' } });
    const { resetIndexCache } = await import('#shared/kb/store.ts');
    resetIndexCache();
    const hits = await call('GET', `/widget/kb?q=${encodeURIComponent('headphones warranty')}`, { token: session.json.token });
    expect(hits.json.items[0].articleId).toBe('cli-warranty-en');
    const exported = (await run('kb', 'export'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string });
    expect(exported.map((a) => a.id)).toEqual(expect.arrayContaining(['cli-warranty-en', 'cli-warranty-zh', 'kb-shipping-times-en']));
    let bad = '';
    try {
      writeFileSync(file, JSON.stringify({ id: 'Bad Id', title: 'x', body: 'y', lang: 'fr' }));
      await run('kb', 'import', '--file', file);
    } catch (error) {
      bad = String((error as { stderr?: string }).stderr);
    }
    expect(bad).toMatch(/kb\.jsonl:1: .*lang/);
  }, 60_000);
});
