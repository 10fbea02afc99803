/**
 * Quality inspection (质检) over the local stack: real conversations through the API, the sweep
 * schedule inspecting what replies marked, the review sample, a supervisor's review with the team
 * scorecard, the agent's acknowledgement, and the settings that drive the checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { dayOf, shiftDay } from '#shared/quality/metrics.ts';
import { getShop } from '#shared/store/shops.ts';
import { apiClient } from '../support/api.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
let api: ReturnType<typeof apiClient>;
let call: ReturnType<typeof apiClient>['call'];
let lead: string;
let agent: string;
let admin: string;
let agentSub: string;

const today = () => dayOf(new Date().toISOString(), 'Asia/Shanghai');
const period = () => `from=${shiftDay(today(), -1)}&to=${today()}`;

async function startChat(text: string): Promise<{ id: string; token: string }> {
  const v = await api.visitor();
  const started = await call('POST', '/widget/conversations', {
    token: v.token,
    body: { clientMessageId: `insp-${Math.random().toString(36).slice(2, 12)}`, text },
  });
  expect(started.status).toBe(201);
  await stack.quiesce();
  return { id: started.json.conversation.conversationId as string, token: v.token };
}

async function reply(token: string, id: string, text: string) {
  expect((await call('POST', `/conversations/${id}/messages`, { token, body: { text } })).status).toBe(201);
}

async function sweep() {
  await stack.quiesce();
  await stack.scheduler.runNow('inspection-sweep');
}

type Entry = { conversationId: string; agent?: string; reasons: string[]; flagKinds: string[]; status: string; version: number };

async function sample(): Promise<Entry[]> {
  const res = await call('GET', `/quality/inspection/sample?${period()}`, { token: lead });
  expect(res.status).toBe(200);
  return res.json.items;
}

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  api = apiClient(stack.urls.api);
  call = api.call;
  [lead, agent, admin] = await Promise.all([api.staff('lead@demo.kefu'), api.staff('agent@demo.kefu'), api.staff('admin@demo.kefu')]);
  agentSub = (await call('GET', '/staff/me', { token: agent })).json.sub;
});

afterAll(async () => {
  await stack?.stop();
});

function signed(path: string, body: unknown, secret: string) {
  const raw = JSON.stringify(body);
  const ts = String(Math.floor(Date.now() / 1000));
  return call('POST', path, { body: raw, headers: { 'x-kefu-shop': 'demo', 'x-kefu-timestamp': ts, 'x-kefu-signature': hmacHex(secret, `${ts}.${raw}`) } });
}

describe('quality inspection on the local stack', () => {
  let flagged: string;

  it('flags a reply with a forbidden promise (typed with spaces) and puts the conversation in the review sample', async () => {
    const chat = await startChat('请问这件外套有M码吗？');
    flagged = chat.id;
    await reply(agent, chat.id, '有的，不满意 保 证 退 款！');
    // the reply path only marked it: nothing is inspected before the sweep runs
    expect((await call('GET', `/quality/inspection/conversations/${chat.id}`, { token: lead })).status).toBe(404);
    await sweep();
    const entry = (await sample()).find((e) => e.conversationId === chat.id);
    expect(entry).toMatchObject({ agent: agentSub, reasons: ['flag'], status: 'pending', version: 1 });
    expect(entry?.flagKinds).toEqual(expect.arrayContaining(['forbidden_promise', 'missing_greeting']));

    const detail = await call('GET', `/quality/inspection/conversations/${chat.id}`, { token: lead });
    expect(detail.status).toBe(200);
    expect(detail.json.inspection.flags.find((f: { kind: string }) => f.kind === 'forbidden_promise')).toMatchObject({ detail: '保证退款', agent: agentSub });
    expect(detail.json.inspection.preSales).toBe(true);
    expect(detail.json).toMatchObject({ canReview: true, canAnswer: false });
    expect(detail.json.rubric.items.length).toBeGreaterThan(0);
  });

  it('leaves a clean open conversation out of the sample, and samples every closed one at a 100 % share', async () => {
    const chat = await startChat('你好，在吗？');
    await reply(agent, chat.id, '您好，在的，请问有什么可以帮您？');
    await sweep();
    expect((await sample()).some((e) => e.conversationId === chat.id)).toBe(false);

    const config = (await call('GET', '/quality/inspection/config', { token: lead })).json;
    const { version, updatedAt: _u, updatedBy: _b, ...settings } = config.settings;
    const saved = await call('PUT', '/quality/inspection/settings', { token: lead, body: { ...settings, samplePercent: 100, version } });
    expect(saved.status).toBe(200);
    expect((await call('POST', `/conversations/${chat.id}/status`, { token: agent, body: { status: 'resolved' } })).status).toBe(200);
    await sweep();
    expect((await sample()).find((e) => e.conversationId === chat.id)?.reasons).toEqual(expect.arrayContaining(['share']));
  });

  it('a supervisor scores it with the team scorecard; the agent sees the result and acknowledges it', async () => {
    const detail = (await call('GET', `/quality/inspection/conversations/${flagged}`, { token: lead })).json;
    const items: { id: string }[] = detail.rubric.items;
    const scores = Object.fromEntries(items.map((i) => [i.id, 100]));
    scores.solution = 0;
    const path = `/quality/inspection/conversations/${flagged}/review`;
    expect((await call('POST', path, { token: agent, body: { scores, version: 1 } })).status).toBe(403);
    expect((await call('POST', path, { token: lead, body: { scores: { greeting: 100 }, version: 1 } })).status).toBe(400);
    expect((await call('POST', path, { token: lead, body: { scores: { ...scores, bogus: 100 }, version: 1 } })).status).toBe(400);
    expect((await call('POST', path, { token: lead, body: { scores: { ...scores, greeting: 70 }, version: 1 } })).status).toBe(400);
    const reviewed = await call('POST', path, { token: lead, body: { scores, comment: '不能承诺保证退款', version: 1 } });
    expect(reviewed.status).toBe(200);
    expect(reviewed.json.entry.review).toMatchObject({ total: 75, passed: false, comment: '不能承诺保证退款' });
    expect((await call('POST', path, { token: admin, body: { scores, version: 1 } })).status).toBe(409);

    const mine = await call('GET', '/quality/inspection/mine', { token: agent });
    expect(mine.status).toBe(200);
    const result = mine.json.items.find((e: { conversationId: string }) => e.conversationId === flagged);
    expect(result.review).toMatchObject({ total: 75, passed: false });
    const answer = `/quality/inspection/conversations/${flagged}/answer`;
    expect((await call('POST', answer, { token: agent, body: { kind: 'appeal', version: result.version } })).status).toBe(400);
    expect((await call('POST', answer, { token: lead, body: { kind: 'acknowledge', version: result.version } })).status).toBe(404);
    const ack = await call('POST', answer, { token: agent, body: { kind: 'acknowledge', version: result.version } });
    expect(ack.status).toBe(200);
    expect((await call('GET', `/quality/inspection/conversations/${flagged}`, { token: agent })).json.entry.answer.kind).toBe('acknowledge');
  });

  it('checks with the saved settings: a custom forbidden word is caught in full-width letters', async () => {
    const config = (await call('GET', '/quality/inspection/config', { token: lead })).json;
    const { version, updatedAt: _u, updatedBy: _b, ...settings } = config.settings;
    const body = { ...settings, forbiddenWords: [...settings.forbiddenWords, 'cheap trick'], version };
    expect((await call('PUT', '/quality/inspection/settings', { token: agent, body })).status).toBe(403);
    expect((await call('PUT', '/quality/inspection/settings', { token: lead, body: { ...body, extra: true } })).status).toBe(400);
    expect((await call('PUT', '/quality/inspection/settings', { token: lead, body: { ...body, version: version - 1 } })).status).toBe(409);
    expect((await call('PUT', '/quality/inspection/settings', { token: lead, body })).status).toBe(200);
    const chat = await startChat('Hello, is the blue one in stock?');
    await reply(agent, chat.id, 'Hi! That is a ＣＨＥＡＰ　ＴＲＩＣＫ, sorry.');
    await sweep();
    const entry = (await sample()).find((e) => e.conversationId === chat.id);
    expect(entry?.flagKinds).toEqual(['forbidden_word']);
  });

  it('keeps scorecards per team, versioned, for supervisors only', async () => {
    const config = (await call('GET', '/quality/inspection/config', { token: lead })).json;
    const general = config.teams.find((t: { teamId: string }) => t.teamId === 'general');
    expect(general.rubric.version).toBe(0);
    const body = { items: general.rubric.items.slice(0, 2), passMark: 60, version: 0 };
    expect((await call('PUT', '/quality/inspection/rubrics/general', { token: agent, body })).status).toBe(403);
    expect((await call('PUT', '/quality/inspection/rubrics/nobody', { token: lead, body })).status).toBe(404);
    expect((await call('PUT', '/quality/inspection/rubrics/general', { token: lead, body: { ...body, passMark: 101 } })).status).toBe(400);
    const saved = await call('PUT', '/quality/inspection/rubrics/general', { token: lead, body });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ teamId: 'general', version: 1, passMark: 60 });
    expect((await call('PUT', '/quality/inspection/rubrics/general', { token: lead, body })).status).toBe(409);
    // the review given earlier keeps the scorecard version it was scored with
    const detail = (await call('GET', `/quality/inspection/conversations/${flagged}`, { token: lead })).json;
    expect(detail.rubric.version).toBe(0);
    expect(detail.rubric.items.length).toBeGreaterThan(2);
  });

  it('询单转化率: a pre-sales chat converts when its shopper orders within N hours, with the revenue', async () => {
    const shop = (await getShop('demo'))!;
    const customerId = `insp-${Date.now().toString(36)}`;
    const me = await api.visitor({ id: customerId, hmac: hmacHex(shop.identitySecret, customerId) });
    const started = await call('POST', '/widget/conversations', {
      token: me.token,
      body: { clientMessageId: `insp-conv-${customerId}`, text: '这款有现货吗？多少钱' },
    });
    expect(started.status).toBe(201);
    await stack.quiesce();
    const id = started.json.conversation.conversationId as string;
    await reply(agent, id, '您好，有现货，今天下单今天发。');
    await sweep();
    const rowOf = async () => {
      const res = await call('GET', `/quality/conversion?${period()}`, { token: lead });
      expect(res.status).toBe(200);
      return res.json.items.find((r: { sub: string }) => r.sub === agentSub);
    };
    const before = await rowOf();
    expect(before.enquiries).toBeGreaterThanOrEqual(1);
    const paid = {
      eventId: `ev-${customerId}`,
      type: 'order.paid',
      occurredAt: new Date().toISOString(),
      data: { orderId: `o-${customerId}`, customerId, amount: 299 },
    };
    expect((await signed('/shop/events', paid, shop.webhookSecret)).status).toBe(202);
    await stack.quiesce();
    const after = await rowOf();
    expect(after.converted).toBe(before.converted + 1);
    expect(after.revenue.CNY).toBe((before.revenue.CNY ?? 0) + 299);
    expect((await call('GET', `/quality/conversion?${period()}`, { token: agent })).status).toBe(403);
    expect((await call('GET', `/quality/conversion?from=2026-01-01&to=2026-12-31`, { token: lead })).status).toBe(400);
  });
});

describe('scenario training (情景模拟) on the local stack', () => {
  it('a supervisor turns a past conversation into an anonymised scenario; an agent practises it offline and gets a score and a debrief', async () => {
    const chat = await startChat('我是张伟，手机13812345678，快递三天没动了，怎么回事？');
    await reply(agent, chat.id, '您好，我帮您联系快递公司催件，今天会派送。');
    expect((await call('POST', `/widget/conversations/${chat.id}/messages`, { token: chat.token, body: { text: '好的谢谢' } })).status).toBe(201);
    await reply(agent, chat.id, '不客气，还有其他问题吗？祝您生活愉快！');

    const body = { conversationId: chat.id, title: '物流催件', goal: '安抚顾客并给出派送时间' };
    expect((await call('POST', '/quality/training/scenarios', { token: agent, body })).status).toBe(403);
    expect((await call('POST', '/quality/training/scenarios', { token: lead, body: { ...body, extra: 1 } })).status).toBe(400);
    const made = await call('POST', '/quality/training/scenarios', { token: lead, body });
    expect(made.status).toBe(201);
    expect(made.json.scenario).toMatchObject({ title: '物流催件', turns: 2 });
    const list = await call('GET', '/quality/training/scenarios', { token: agent });
    expect(list.json.items.map((s: { scenarioId: string }) => s.scenarioId)).toContain(made.json.scenario.scenarioId);

    const started = await call('POST', '/quality/training/sessions', { token: agent, body: { scenarioId: made.json.scenario.scenarioId } });
    expect(started.status).toBe(201);
    const opening: string = started.json.session.messages[0].text;
    expect(opening).toContain('快递三天没动了');
    expect(opening).not.toContain('13812345678');
    expect(opening).not.toContain('张伟');
    let session = started.json.session;
    const path = `/quality/training/sessions/${session.sessionId}/replies`;
    // another agent's session is not found; a stale version is a conflict
    expect((await call('POST', path, { token: lead, body: { text: '您好', version: session.version } })).status).toBe(404);
    expect((await call('POST', path, { token: agent, body: { text: '您好', version: session.version + 1 } })).status).toBe(409);
    for (const text of ['您好，我马上联系快递公司催件，今天会派送。', '不客气，还有其他问题吗？祝您生活愉快！']) {
      const res = await call('POST', path, { token: agent, body: { text, version: session.version } });
      expect(res.status).toBe(200);
      session = res.json.session;
    }
    expect(session.status).toBe('done');
    expect(session.result).toMatchObject({ total: 100, passed: true, flags: [] });
    expect(session.result.debrief[0].modelAnswer).toBe('您好，我帮您联系快递公司催件，今天会派送。');
    expect((await call('POST', path, { token: agent, body: { text: '再见', version: session.version } })).status).toBe(400);
    // practice touches no real conversation and no metrics: the source conversation has its two replies only
    const thread = await call('GET', `/conversations/${chat.id}/messages`, { token: lead });
    expect(thread.json.items.filter((m: { author: { kind: string } }) => m.author.kind === 'agent')).toHaveLength(2);
  });
});
