/**
 * A team's training requirement (上岗要求) on the local stack: unknown scenarios are refused at the
 * field; auto-assignment skips an online member who has not passed the required scenario (a ticket
 * waits saying so while only they are online), the qualified member gets the tickets, and once the
 * first one passes the practice they are routed work again (new tickets at once, a waiting one when
 * they are next available).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLocalStack } from '#infra/local/stack.ts';
import { apiClient } from '../support/api.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
type Audit = { action: string; text: { 'zh-CN': string; en: string } };
let stack: Stack;
let call: ReturnType<typeof apiClient>['call'];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  call = apiClient(stack.urls.api).call;
});

afterAll(async () => {
  for (const ws of sockets) ws.close();
  await stack?.stop();
});

async function goOnline(token: string) {
  const ws = new WebSocket(`${stack.urls.ws}?staffToken=${token}`);
  sockets.push(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  expect((await call('POST', '/staff/presence', { token, body: { status: 'online' } })).status).toBe(204);
  await stack.quiesce();
}

/** Practises a written scenario to the end with the same replies; returns the score. */
async function practise(token: string, scenarioId: string): Promise<number> {
  const started = await call('POST', '/quality/training/sessions', { token, body: { scenarioId } });
  expect(started.status).toBe(201);
  let session = started.json.session;
  for (const text of [
    '您好，支持七天无理由退货，有运费险的话运费由保险公司承担。',
    '您在订单页申请退货后，系统会给出寄回地址。还有其他问题吗？祝您生活愉快！',
  ]) {
    const res = await call('POST', `/quality/training/sessions/${session.sessionId}/replies`, { token, body: { text, version: session.version } });
    expect(res.status).toBe(200);
    session = res.json.session;
  }
  expect(session.status).toBe('done');
  return session.result.total as number;
}

describe('training requirement gates auto-assignment', () => {
  it('skips the unqualified online agent until they pass the practice', async () => {
    const api = apiClient(stack.urls.api);
    const [lead, agent] = await Promise.all([api.staff('lead@demo.kefu'), api.staff('agent@demo.kefu')]);
    const [leadSub, agentSub] = await Promise.all([lead, agent].map(async (token) => (await call('GET', '/staff/me', { token })).json.sub as string));

    const made = await call('POST', '/quality/training/written-scenarios', {
      token: lead,
      body: {
        title: '退货运费',
        goal: '说明七天无理由退货和运费险',
        teamId: 'general',
        lines: [
          { customer: '我上周买的外套想退货，运费谁出？', keyPoints: ['七天无理由退货', '运费险'] },
          { customer: '好的，那我怎么寄回？', keyPoints: ['申请退货', '寄回地址'] },
        ],
      },
    });
    expect(made.status).toBe(201);
    const scenarioId: string = made.json.scenario.scenarioId;
    const passingScore = await practise(lead, scenarioId);

    const team = (training: unknown) => ({
      name: { 'zh-CN': '上岗组', en: 'Gated' },
      members: [agentSub, leadSub],
      mode: 'round_robin',
      capacity: 50,
      training,
    });
    const unknown = await call('PUT', '/ticket-config/teams/gated', {
      token: lead,
      body: team({ scenarioIds: [scenarioId, 'no-such-scenario'], passingScore }),
      headers: { 'accept-language': 'zh-CN' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.details.fields).toEqual([
      expect.objectContaining({ path: 'training.scenarioIds', message: expect.stringContaining('no-such-scenario') }),
    ]);
    expect(unknown.json.details.fields[0].message).toContain('不存在');
    const config = await call('GET', '/ticket-config', { token: lead });
    expect(config.json.teams.map((t: { teamId: string }) => t.teamId)).not.toContain('gated');
    expect((await call('PUT', '/ticket-config/teams/gated', { token: lead, body: team({ scenarioIds: [scenarioId], passingScore: 101 }) })).status).toBe(400);

    const saved = await call('PUT', '/ticket-config/teams/gated', { token: lead, body: team({ scenarioIds: [scenarioId], passingScore }) });
    expect(saved.status).toBe(200);
    expect(saved.json.team.training).toEqual({ scenarioIds: [scenarioId], passingScore });
    const rules = await call('PUT', '/ticket-config/routing-rules', {
      token: lead,
      body: { rules: [{ ruleId: 'gated', name: { 'zh-CN': '上岗', en: 'Gated' }, when: { tagsAny: ['gated'] }, then: { team: 'gated' } }] },
    });
    expect(rules.status).toBe(200);
    const open = async (subject: string) => {
      const res = await call('POST', '/tickets', {
        token: lead,
        body: { channel: 'phone', subject, text: subject, requester: { name: 'Zhao' }, tags: ['gated'], priority: 'normal' },
      });
      expect(res.status).toBe(201);
      return res.json.ticket as { ticketId: string; team: string; waiting: boolean; assignee?: { sub: string } };
    };

    // only the unqualified agent is online: the ticket waits, saying why
    await goOnline(agent);
    const first = await open('gate 1');
    expect(first).toMatchObject({ team: 'gated', waiting: true });
    expect(first.assignee).toBeUndefined();
    const audit = (await call('GET', `/tickets/${first.ticketId}`, { token: lead })).json.audit as Audit[];
    const queued = audit.find((a) => a.action === 'queued')!;
    expect(queued.text['zh-CN']).toContain('上岗要求');
    expect(queued.text.en).toContain('training requirement');

    // the qualified lead comes online and takes it; the next ticket skips the agent too
    await goOnline(lead);
    expect((await call('GET', `/tickets/${first.ticketId}`, { token: lead })).json.ticket).toMatchObject({ assignee: { sub: leadSub }, waiting: false });
    expect((await open('gate 2')).assignee?.sub).toBe(leadSub);
    expect((await open('gate 3')).assignee?.sub).toBe(leadSub);

    // a supervisor can still assign the unqualified agent by hand
    const manual = await open('gate manual');
    const patched = await call('PATCH', `/tickets/${manual.ticketId}`, {
      token: lead,
      body: { version: (await call('GET', `/tickets/${manual.ticketId}`, { token: lead })).json.ticket.version, assignee: agentSub },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.ticket.assignee.sub).toBe(agentSub);

    // the lead steps away: with only the unqualified agent online, a ticket waits again
    expect((await call('POST', '/staff/presence', { token: lead, body: { status: 'away' } })).status).toBe(204);
    const waiting = await open('gate waiting');
    expect(waiting).toMatchObject({ waiting: true });
    expect(waiting.assignee).toBeUndefined();

    // the agent passes the practice: routed again — new tickets at once, the waiting one when they are next available
    expect(await practise(agent, scenarioId)).toBeGreaterThanOrEqual(passingScore);
    expect((await open('gate 4')).assignee?.sub).toBe(agentSub);
    expect((await call('POST', '/staff/presence', { token: agent, body: { status: 'online' } })).status).toBe(204);
    expect((await call('GET', `/tickets/${waiting.ticketId}`, { token: lead })).json.ticket).toMatchObject({ assignee: { sub: agentSub }, waiting: false });

    expect((await call('PUT', '/ticket-config/routing-rules', { token: lead, body: { rules: [] } })).status).toBe(200);
  });
});
