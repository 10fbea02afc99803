/**
 * Per-agent performance, the digest and the shop's day over the local stack: a small set of
 * conversations worked by two agents through the API, then `GET /quality/agents` (roles, figures
 * credited to who did the work, the same figures as the agent-scoped summary), the digest of the
 * shop's yesterday, and days that follow the shop calendar's time zone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { dayOf, shiftDay } from '#shared/quality/metrics.ts';
import { apiClient } from '../support/api.ts';
import { until } from '../support/until.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
let call: ReturnType<typeof apiClient>['call'];
let api: ReturnType<typeof apiClient>;
let lead: string;
let agent: string;
let admin: string;
let marketing: string;
const subs: Record<string, string> = {};

const SHANGHAI = 'Asia/Shanghai';
const shopToday = (zone = SHANGHAI) => dayOf(new Date().toISOString(), zone);
/** Yesterday to today in the shop's zone: an event counted today is inside even across midnight. */
const period = (zone = SHANGHAI) => `from=${shiftDay(shopToday(zone), -1)}&to=${shopToday(zone)}`;

async function startChat(text: string): Promise<{ id: string; token: string }> {
  const v = await api.visitor();
  const started = await call('POST', '/widget/conversations', {
    token: v.token,
    body: { clientMessageId: `qa-${Math.random().toString(36).slice(2, 12)}`, text },
  });
  expect(started.status).toBe(201);
  await stack.quiesce(); // the bot's turn is over before an agent answers
  return { id: started.json.conversation.conversationId as string, token: v.token };
}

async function reply(token: string, id: string, text: string) {
  const res = await call('POST', `/conversations/${id}/messages`, { token, body: { text } });
  expect(res.status).toBe(201);
}

async function resolve(token: string, id: string) {
  expect((await call('POST', `/conversations/${id}/status`, { token, body: { status: 'resolved' } })).status).toBe(200);
}

type Row = {
  sub: string;
  handled: number;
  replies: number;
  resolved: number;
  openNow: number | null;
  firstResponse: { count: number; meanSeconds: number | null };
  responseTime: { count: number; meanSeconds: number | null };
  resolutionRate: number | null;
  csat: { responses: number; average: number | null };
};

async function rows(query = period()): Promise<{ timeZone: string; items: Row[] }> {
  const res = await call('GET', `/quality/agents?${query}`, { token: lead });
  expect(res.status).toBe(200);
  return res.json;
}
const rowOf = (items: Row[], who: string) => items.find((r) => r.sub === subs[who]);

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  api = apiClient(stack.urls.api);
  call = api.call;
  lead = await api.staff('lead@demo.kefu');
  agent = await api.staff('agent@demo.kefu');
  admin = await api.staff('admin@demo.kefu');
  marketing = await api.staff('marketing@demo.kefu');
  for (const [who, token] of Object.entries({ lead, agent, admin })) subs[who] = (await call('GET', '/staff/me', { token })).json.sub;
  const settings = await call('PUT', '/survey-config/settings', { token: lead, body: { delaySeconds: 0, version: 0 } });
  expect(settings.status).toBe(200);
});

afterAll(async () => {
  await stack?.stop();
});

describe('per-agent performance on the local stack', () => {
  it('only supervisors and admins may read it; a bad period or an unknown parameter is refused', async () => {
    expect((await call('GET', `/quality/agents?${period()}`, { token: agent })).status).toBe(403);
    expect((await call('GET', `/quality/agents?${period()}`, { token: marketing })).status).toBe(403);
    expect((await call('GET', `/quality/agents?${period()}`)).status).toBe(401);
    expect((await call('GET', `/quality/agents?${period()}`, { token: admin })).status).toBe(200);
    expect((await call('GET', `/quality/agents?from=${shopToday()}&to=2020-01-01`, { token: lead })).status).toBe(400);
    expect((await call('GET', `/quality/agents?${period()}&scope=all`, { token: lead })).status).toBe(400);
    expect((await call('GET', '/quality/agents?from=2026-13-01&to=2026-13-02', { token: lead })).status).toBe(400);
  });

  it('credits the first reply, every answering reply, the resolution and the CSAT to whoever did them', async () => {
    // 1: Li Na answers first; the shopper writes again; Chen Wei answers and resolves; the shopper rates 4
    const one = await startChat('我的快递三天没动了');
    await reply(agent, one.id, '您好，我帮您查一下物流。');
    expect((await call('POST', `/widget/conversations/${one.id}/messages`, { token: one.token, body: { text: '好的，麻烦快一点' } })).status).toBe(201);
    await reply(lead, one.id, '已联系快递，今天会派送。');
    await resolve(lead, one.id);
    const survey = await until(async () => (await call('GET', '/widget/surveys', { token: one.token })).json.items[0]);
    expect((await call('POST', `/widget/surveys/${survey.surveyId}/response`, { token: one.token, body: { answers: { csat: 4 } } })).status).toBe(201);
    // 2: Li Na answers and resolves on her own
    const two = await startChat('怎么修改收货地址？');
    await reply(agent, two.id, '在订单详情里可以修改。');
    await resolve(agent, two.id);
    await stack.quiesce();

    const { timeZone, items } = await rows();
    expect(timeZone).toBe(SHANGHAI);
    const liNa = rowOf(items, 'agent')!;
    const chenWei = rowOf(items, 'lead')!;
    expect(liNa).toMatchObject({ handled: 2, replies: 2, resolved: 1, resolutionRate: 1 });
    expect(liNa.firstResponse.count).toBe(2);
    expect(liNa.responseTime.count).toBe(2);
    expect(liNa.csat.responses).toBe(0);
    expect(chenWei).toMatchObject({ handled: 1, replies: 1, resolved: 1, resolutionRate: 1 });
    expect(chenWei.firstResponse.count).toBe(0);
    expect(chenWei.responseTime.count).toBe(1);
    expect(chenWei.csat).toMatchObject({ responses: 1, average: 4 });
    expect(typeof chenWei.openNow).toBe('number');
    // people who do not answer customers have no row
    expect(items.some((r) => r.sub === undefined || r.sub === '')).toBe(false);
    const me = (await call('GET', '/staff/me', { token: marketing })).json.sub;
    expect(items.map((r) => r.sub)).not.toContain(me);
  });

  it('has one definition: a row equals the dashboard scoped to that agent', async () => {
    const { items } = await rows();
    for (const who of ['agent', 'lead']) {
      const row = rowOf(items, who)!;
      const summary = await call('GET', `/quality/summary?${period()}&scope=${encodeURIComponent(`agent#${subs[who]}`)}`, { token: lead });
      expect(summary.status).toBe(200);
      const totals = summary.json.totals;
      expect(row.firstResponse).toMatchObject({ count: totals.firstResponse.count, meanSeconds: totals.firstResponse.meanSeconds });
      expect(row.responseTime).toMatchObject({ count: totals.responseTime.count, meanSeconds: totals.responseTime.meanSeconds });
      expect(row.resolved).toBe(totals.conversations.resolved);
      expect(row).toMatchObject({ handled: totals.work.handled, replies: totals.work.replies, resolutionRate: totals.work.resolutionRate });
      expect(row.csat).toMatchObject({ responses: totals.csat.responses, average: totals.csat.average });
    }
  });

  it('the digest: none before the first run; the schedule writes the shop’s yesterday once; the latest is served', async () => {
    expect((await call('GET', '/quality/digest', { token: lead })).status).toBe(404);
    expect((await call('GET', '/quality/digest', { token: agent })).status).toBe(403);
    await stack.scheduler.runNow('quality-daily-digest');
    const latest = await call('GET', '/quality/digest', { token: lead });
    expect(latest.status).toBe(200);
    expect(latest.json.timeZone).toBe(SHANGHAI);
    const yesterday = shiftDay(shopToday(), -1);
    expect(latest.json.digest.day).toBe(yesterday);
    expect(latest.json.digest.headlines[0]).toHaveProperty('zh-CN');
    await stack.scheduler.runNow('quality-daily-digest');
    const again = await call('GET', `/quality/digest?day=${yesterday}`, { token: lead });
    expect(again.json.digest.createdAt).toBe(latest.json.digest.createdAt);
    expect((await call('GET', `/quality/digest?day=${shiftDay(yesterday, -30)}`, { token: lead })).status).toBe(404);
    expect((await call('GET', '/quality/digest?day=yesterday', { token: lead })).status).toBe(400);
  });

  it('days follow the time zone of the shop’s business-hours calendar', async () => {
    // a zone whose date differs from Shanghai's right now (one of the two always does)
    const zone = ['Pacific/Kiritimati', 'Pacific/Pago_Pago'].find((z) => shopToday(z) !== shopToday(SHANGHAI))!;
    const hours = { timeZone: zone, days: { '1': ['09:00', '18:00'], '2': ['09:00', '18:00'] } };
    expect((await call('PUT', '/ticket-config/calendars/shop', { token: lead, body: hours })).status).toBe(200);
    try {
      const chat = await startChat('时区测试');
      await reply(admin, chat.id, '您好！');
      await stack.quiesce();
      const there = await rows(`from=${shopToday(zone)}&to=${shopToday(zone)}`);
      expect(there.timeZone).toBe(zone);
      expect(rowOf(there.items, 'admin')).toMatchObject({ handled: 1, replies: 1 });
      const shanghaiDay = await rows(`from=${shopToday(SHANGHAI)}&to=${shopToday(SHANGHAI)}`);
      expect(rowOf(shanghaiDay.items, 'admin')).toMatchObject({ handled: 0, replies: 0 });
    } finally {
      const back = {
        timeZone: SHANGHAI,
        days: { '1': ['09:00', '18:00'], '2': ['09:00', '18:00'], '3': ['09:00', '18:00'], '4': ['09:00', '18:00'], '5': ['09:00', '18:00'] },
      };
      expect((await call('PUT', '/ticket-config/calendars/shop', { token: lead, body: back })).status).toBe(200);
    }
  });
});
