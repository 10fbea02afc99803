/**
 * Scenario training (情景模拟) over the local stack, the parts after the first ones: a supervisor
 * writes a scenario by hand (strictly validated, messages in Chinese for a zh-CN caller), an agent
 * practises it, and the finished practice shows in the agent's own progress and in the
 * supervisor's list (shop-wide and per team); an unfinished practice shows nowhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { apiClient } from '../support/api.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
let call: ReturnType<typeof apiClient>['call'];
let lead: string;
let agent: string;
let agentSub: string;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  const api = apiClient(stack.urls.api);
  call = api.call;
  [lead, agent] = await Promise.all([api.staff('lead@demo.kefu'), api.staff('agent@demo.kefu')]);
  agentSub = (await call('GET', '/staff/me', { token: agent })).json.sub;
});

afterAll(async () => {
  await stack?.stop();
});

const body = {
  title: '退货运费',
  goal: '说明七天无理由退货和运费险',
  teamId: 'general',
  lines: [
    { customer: '我上周买的外套想退货，运费谁出？', keyPoints: ['七天无理由退货', '运费险'] },
    { customer: '好的，那我怎么寄回？', keyPoints: ['申请退货', '寄回地址'] },
  ],
};

describe('written scenarios and training progress on the local stack', () => {
  it('a supervisor writes a scenario; the agent practises it; the result shows in both progress lists', async () => {
    const path = '/quality/training/written-scenarios';
    expect((await call('POST', path, { token: agent, body })).status).toBe(403);
    expect((await call('POST', path, { token: lead, body: { ...body, extra: 1 } })).status).toBe(400);
    expect((await call('POST', path, { token: lead, body: { ...body, teamId: 'no-such-team' } })).status).toBe(404);
    const blank = await call('POST', path, { token: lead, body: { ...body, lines: [{ customer: '  ' }] }, headers: { 'accept-language': 'zh-CN' } });
    expect(blank.status).toBe(400);
    expect(blank.json.details.fields).toEqual([expect.objectContaining({ path: 'lines.0.customer', message: '顾客的话不能为空' })]);
    const none = await call('POST', path, { token: lead, body: { ...body, lines: [] }, headers: { 'accept-language': 'zh-CN' } });
    expect(none.json.details.fields[0].message).toBe('请至少写一句顾客的话');

    const made = await call('POST', path, { token: lead, body });
    expect(made.status).toBe(201);
    expect(made.json.scenario).toMatchObject({ title: '退货运费', turns: 2, teamId: 'general' });
    const scenarioId: string = made.json.scenario.scenarioId;
    const list = await call('GET', '/quality/training/scenarios', { token: agent });
    expect(list.json.items.map((s: { scenarioId: string }) => s.scenarioId)).toContain(scenarioId);

    // the agent practises it: a reply off the key points is asked again, then it is scored
    const started = await call('POST', '/quality/training/sessions', { token: agent, body: { scenarioId } });
    expect(started.status).toBe(201);
    let session = started.json.session;
    expect(session.messages[0].text).toBe('我上周买的外套想退货，运费谁出？');
    const replies = `/quality/training/sessions/${session.sessionId}/replies`;
    const send = async (text: string) => {
      const res = await call('POST', replies, { token: agent, body: { text, version: session.version } });
      expect(res.status).toBe(200);
      session = res.json.session;
    };
    await send('您好，请稍等');
    expect(session.messages.at(-1).text).toBe('您还没回答我的问题：我上周买的外套想退货，运费谁出？');
    await send('您好，支持七天无理由退货，有运费险的话运费由保险公司承担。');
    await send('您在订单页申请退货后，系统会给出寄回地址。还有其他问题吗？祝您生活愉快！');
    expect(session.status).toBe('done');
    expect(session.result.debrief[0].modelAnswer).toBe('七天无理由退货；运费险');
    // beside the original agent's answer: what the help centre says about the question, in Chinese
    const knowledge = session.result.debrief[0].knowledge;
    expect(knowledge).toMatchObject({ articleId: expect.any(String), title: expect.stringMatching(/[\u3400-\u9fff]/u) });
    expect(knowledge.passage).toMatch(/退/);
    const { total, passed } = session.result;

    // an unfinished practice is in no progress list
    const other = await call('POST', '/quality/training/sessions', { token: agent, body: { scenarioId } });
    expect(other.status).toBe(201);

    const expected = { sessionId: session.sessionId, scenarioId, scenarioTitle: '退货运费', agent: agentSub, teamId: 'general', total, passed };
    const mine = await call('GET', '/quality/training/progress/mine', { token: agent });
    expect(mine.status).toBe(200);
    expect(mine.json.items).toEqual([expect.objectContaining(expected)]);
    expect(mine.json.items[0]).not.toHaveProperty('pk');
    expect(mine.json.agents[0]).toMatchObject({ agent: agentSub, practices: 1, practicesPassed: passed ? 1 : 0, scenariosPassed: passed ? 1 : 0 });
    expect(mine.json.agents[0].scenarios).toEqual([expect.objectContaining({ scenarioId, best: total, attempts: 1, passed })]);
    // the supervisor's own progress has none of it
    expect((await call('GET', '/quality/training/progress/mine', { token: lead })).json.items).toEqual([]);

    expect((await call('GET', '/quality/training/progress', { token: agent })).status).toBe(403);
    expect((await call('GET', '/quality/training/progress?limit=5', { token: lead })).status).toBe(400);
    for (const query of ['', '?teamId=general']) {
      const all = await call('GET', `/quality/training/progress${query}`, { token: lead });
      expect(all.status).toBe(200);
      expect(all.json.items).toEqual([expect.objectContaining(expected)]);
      expect(all.json.agents.map((a: { agent: string }) => a.agent)).toEqual([agentSub]);
      expect(all.json.agents[0].agentName).toBeTruthy();
    }
    expect((await call('GET', '/quality/training/progress?teamId=other', { token: lead })).json.items).toEqual([]);
  });
});
