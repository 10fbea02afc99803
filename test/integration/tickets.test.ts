import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLocalStack } from '#infra/local/stack.ts';
import { resetConfig } from '#shared/config.ts';
import { keys } from '#shared/store/keys.ts';
import { until } from '../support/until.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
let api: string;

async function call(method: string, path: string, init: { token?: string; body?: unknown } = {}) {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: {
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

async function staffToken(email = 'agent@demo.kefu') {
  const res = await call('POST', '/auth/login', { body: { email, password: 'kefu-demo' } });
  expect(res.status).toBe(200);
  return res.json.idToken as string;
}

async function visitor() {
  const res = await call('POST', '/widget/session', { body: { shopId: 'demo' } });
  expect(res.status).toBe(200);
  return res.json as { token: string; contactId: string };
}

function staffSocket(token: string) {
  const frames: Record<string, unknown>[] = [];
  const ws = new WebSocket(`${stack.urls.ws}?staffToken=${token}`);
  ws.on('message', (data) => frames.push(JSON.parse(String(data))));
  const open = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, frames, open };
}

/** The longest SQS hop of a timer chain in these tests (KEFU_SLA_MAX_DELAY_SECONDS). */
const HOP_MS = 1000;

/** Waits until every timer chain has made at least one more hop and everything it caused has settled. */
const oneHop = () => stack.quiesce({ until: Date.now() + HOP_MS });

/**
 * Asserts an instant is `expected` give or take the time the request took after `travelTo`. The
 * margin only absorbs a slow machine: the deadlines these tests tell apart are minutes or hours apart.
 */
function near(actual: string | undefined, expected: string, ms = 60_000) {
  expect(actual).toBeDefined();
  expect(Math.abs(Date.parse(actual as string) - Date.parse(expected)), `${actual} ≈ ${expected}`).toBeLessThan(ms);
}

/** Moves the clock tickets and SLA timers read (KEFU_CLOCK_OFFSET_MS, local stage only) to `at`. */
function travelTo(at: string) {
  process.env.KEFU_CLOCK_OFFSET_MS = String(Date.parse(at) - Date.now());
  resetConfig();
}

type Clock = { metric: string; state: string; dueAt?: string; warnedAt?: string; breachedAt?: string };
type Audit = { action: string; at: string; text: { en: string; 'zh-CN': string } };

beforeAll(async () => {
  process.env.KEFU_SLA_MAX_DELAY_SECONDS = String(HOP_MS / 1000);
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  api = stack.urls.api.replace(/\/$/, '');
  expect(stack.failedToLoad.filter((name) => /ticket|sla|conversation-messages-send|widget-messages-send/.test(name))).toEqual([]);
});
afterAll(async () => {
  delete process.env.KEFU_CLOCK_OFFSET_MS;
  delete process.env.KEFU_SLA_MAX_DELAY_SECONDS;
  resetConfig();
  await stack?.stop();
});

describe('tickets and SLA timers on the local stack', () => {
  it('17:55 with a 10-minute business-hours first response breaches at 09:05 next working day — fired once by chained SQS delays', async () => {
    const lead = await staffToken('lead@demo.kefu');
    const agent = await staffToken();
    const socket = staffSocket(agent);
    await socket.open;
    const saved = await call('PUT', '/ticket-config/sla-policies/default', {
      token: lead,
      body: {
        name: { 'zh-CN': '十分钟首响', en: 'Ten-minute first response' },
        calendarId: 'shop',
        targets: {
          low: { first_response: 60 },
          normal: { first_response: 10, next_response: 30, resolution: 600 },
          high: { first_response: 10 },
          urgent: { first_response: 5 },
        },
        breachActions: ['notify', 'raise_priority'],
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.json.policy.version).toBe(2);

    travelTo('2026-11-26T17:55:00+08:00'); // Thursday, shop hours 09:00–18:00 Asia/Shanghai
    const created = await call('POST', '/tickets', {
      token: agent,
      body: {
        channel: 'phone',
        subject: 'Refund not received',
        text: 'Customer called: refund for order 1001 not received',
        requester: { name: 'Wang Fang', phone: '+86 138 0000 0000' },
        priority: 'normal',
      },
    });
    expect(created.status).toBe(201);
    const ticketId = created.json.ticket.ticketId as string;
    expect(created.json.ticket.sla).toMatchObject({ policyId: 'default', policyVersion: 2, nextMetric: 'first_response' });
    const first = (created.json.clocks as Clock[]).find((c) => c.metric === 'first_response')!;
    near(first.dueAt, '2026-11-27T01:05:00.000Z'); // Friday 09:05 Shanghai

    await oneHop(); // every chain has checked its deadline again; nothing is due yet
    let got = await call('GET', `/tickets/${ticketId}`, { token: agent });
    expect((got.json.clocks as Clock[]).find((c) => c.metric === 'first_response')!.warnedAt).toBeUndefined();

    travelTo('2026-11-27T09:04:57+08:00');
    const breached = await until(async () => {
      got = await call('GET', `/tickets/${ticketId}`, { token: agent });
      return (got.json.clocks as Clock[]).find((c) => c.metric === 'first_response' && c.breachedAt);
    });
    // Fired by the chain once due (no sweep ran); how close to the due time is measured by bench/sla-timers.ts.
    expect(Date.parse(breached.breachedAt!)).toBeGreaterThanOrEqual(Date.parse(first.dueAt!));
    expect(breached.warnedAt! < breached.breachedAt!).toBe(true);
    await oneHop();
    got = await call('GET', `/tickets/${ticketId}`, { token: agent });
    const audit = got.json.audit as Audit[];
    expect(audit.filter((a) => a.action === 'sla_breach')).toHaveLength(1);
    expect(audit.filter((a) => a.action === 'sla_warning')).toHaveLength(1);
    expect(got.json.ticket.priority).toBe('high');
    expect(audit.find((a) => a.action === 'sla_breach')!.text.en).toMatch(/first response target missed: priority normal → high/);
    const frames = socket.frames.filter((f) => f.type === 'sla' && f.ticketId === ticketId);
    expect(frames.map((f) => f.kind)).toEqual(['warn', 'breach']);

    const risk = await call('GET', '/tickets?view=sla_at_risk&within=60', { token: agent });
    expect(risk.status).toBe(200);
    expect(risk.json.items.some((r: { ticketId: string; breached: boolean }) => r.ticketId === ticketId)).toBe(true);
    socket.ws.close();
  });

  it('a breach delivered several times (redelivery and duplicate chains) takes effect exactly once', async () => {
    const agent = await staffToken();
    travelTo('2026-11-30T10:00:00+08:00'); // Monday
    const created = await call('POST', '/tickets', {
      token: agent,
      body: {
        channel: 'api',
        subject: 'Order status',
        text: 'Where is order 2002?',
        requester: { name: 'Li Lei', email: 'lilei@example.com' },
        priority: 'normal',
      },
    });
    expect(created.status).toBe(201);
    const ticketId = created.json.ticket.ticketId as string;
    const clock = (created.json.clocks as (Clock & { timerVersion: number; policy: { version: number } })[]).find((c) => c.metric === 'first_response')!;
    near(clock.dueAt, '2026-11-30T02:10:00.000Z');
    const base = {
      ticketId,
      metric: 'first_response',
      kind: 'breach',
      dueAt: clock.dueAt,
      policyVersion: clock.policy.version,
      timerVersion: clock.timerVersion,
      hop: 0,
    };
    const chain = (n: number) => `tmr_${String(n).padStart(26, '0')}`;
    const messages = [
      { ...base, chain: chain(1) },
      { ...base, chain: chain(1) },
      { ...base, chain: chain(2) },
      { ...base, chain: chain(3) },
    ];
    travelTo('2026-11-30T10:10:01+08:00');
    await Promise.all(
      messages.map((m) => stack.sqs.client.send(new SendMessageCommand({ QueueUrl: stack.sqs.queueUrls['sla-timers'], MessageBody: JSON.stringify(m) }))),
    );
    await until(async () => {
      const got = await call('GET', `/tickets/${ticketId}`, { token: agent });
      return (got.json.clocks as Clock[]).find((c) => c.metric === 'first_response')?.breachedAt;
    });
    await oneHop(); // the organic chain and every copy have been delivered
    const got = await call('GET', `/tickets/${ticketId}`, { token: agent });
    const audit = got.json.audit as Audit[];
    expect(audit.filter((a) => a.action === 'sla_breach')).toHaveLength(1);
    const warnings = audit.filter((a) => a.action === 'sla_warning').length;
    expect(warnings).toBeLessThanOrEqual(1); // the warning may lose the race to the breach, which then counts as warned
    expect(got.json.ticket.version).toBe(created.json.ticket.version + 1 + warnings); // one write per fired timer, nothing more
  });

  it('convert a chat into a ticket: the first public agent reply stops first response, a customer reply after solve reopens it', async () => {
    travelTo('2026-11-30T11:00:00+08:00');
    const agent = await staffToken();
    const v = await visitor();
    const started = await call('POST', '/widget/conversations', { token: v.token, body: { clientMessageId: 'tkt-conv-0001', text: '我的快递三天没更新了' } });
    expect(started.status).toBe(201);
    const conversationId = started.json.conversation.conversationId as string;
    const converted = await call('POST', `/conversations/${conversationId}/ticket`, { token: agent, body: { tags: ['delivery'] } });
    expect(converted.status).toBe(201);
    const ticket = converted.json.ticket;
    expect(ticket).toMatchObject({ channel: 'chat', conversationId, status: 'new', language: 'zh', tags: ['delivery'] });
    expect(ticket.category).toMatch(/^(DELIVERY|ORDER)$/);
    expect((await call('POST', `/conversations/${conversationId}/ticket`, { token: agent, body: {} })).status).toBe(409);

    const note = await call('POST', `/conversations/${conversationId}/messages`, { token: agent, body: { text: 'checking with the courier', internal: true } });
    expect(note.status).toBe(201);
    let got = await call('GET', `/tickets/${ticket.ticketId}`, { token: agent });
    expect((got.json.clocks as Clock[]).find((c) => c.metric === 'first_response')!.state).toBe('running');
    const reply = await call('POST', `/conversations/${conversationId}/messages`, { token: agent, body: { text: '您好，已联系快递公司' } });
    expect(reply.status).toBe(201);
    got = await call('GET', `/tickets/${ticket.ticketId}`, { token: agent });
    expect(got.json.ticket.status).toBe('open');
    expect(got.json.ticket.firstRespondedAt).toBeDefined();
    expect((got.json.clocks as Clock[]).find((c) => c.metric === 'first_response')!.state).toBe('stopped');

    const solved = await call('PATCH', `/tickets/${ticket.ticketId}`, { token: agent, body: { version: got.json.ticket.version, status: 'solved' } });
    expect(solved.status).toBe(200);
    const stale = await call('PATCH', `/tickets/${ticket.ticketId}`, { token: agent, body: { version: got.json.ticket.version, priority: 'high' } });
    expect(stale.status).toBe(409);
    const again = await call('POST', `/widget/conversations/${conversationId}/messages`, { token: v.token, body: { text: '还是没有收到' } });
    expect(again.status).toBe(201);
    got = await call('GET', `/tickets/${ticket.ticketId}`, { token: agent });
    expect(got.json.ticket.status).toBe('open');
    expect((got.json.clocks as Clock[]).find((c) => c.metric === 'next_response')!.state).toBe('running');
    expect((got.json.audit as Audit[]).map((a) => a.action)).toEqual(expect.arrayContaining(['created', 'replied', 'updated', 'reopened']));
  });

  it('a chat and its ticket are one: assignee and status agree whichever screen changes them', async () => {
    travelTo('2026-11-30T11:30:00+08:00');
    const agent = await staffToken();
    const lead = await staffToken('lead@demo.kefu');
    const agentSub = (await call('GET', '/staff/me', { token: agent })).json.sub as string;
    const v = await visitor();
    const started = await call('POST', '/widget/conversations', { token: v.token, body: { clientMessageId: 'one-truth-001', text: '发票怎么开？' } });
    const conversationId = started.json.conversation.conversationId as string;
    const ticketId = (await call('POST', `/conversations/${conversationId}/ticket`, { token: lead, body: {} })).json.ticket.ticketId as string;
    const both = async () => {
      const [c, t] = await Promise.all([
        call('GET', `/conversations/${conversationId}`, { token: lead }),
        call('GET', `/tickets/${ticketId}`, { token: lead }),
      ]);
      return { conversation: c.json.conversation ?? c.json, ticket: t.json.ticket, clocks: t.json.clocks as Clock[] };
    };

    // "Assign to me" on the chat assigns the ticket too.
    expect((await call('POST', `/conversations/${conversationId}/assign`, { token: agent, body: { assignee: agentSub } })).status).toBe(200);
    let s = await both();
    expect(s.ticket).toMatchObject({ assignee: { sub: agentSub }, waiting: false });
    expect(s.conversation.assignee?.sub).toBe(agentSub);

    // Parking the ticket shows on the chat.
    expect((await call('PATCH', `/tickets/${ticketId}`, { token: agent, body: { version: s.ticket.version, status: 'pending' } })).status).toBe(200);
    s = await both();
    expect(s.conversation.status).toBe('pending');

    // Resolving the chat solves the ticket and stops its resolution clock.
    expect((await call('POST', `/conversations/${conversationId}/status`, { token: agent, body: { status: 'resolved' } })).status).toBe(200);
    s = await both();
    expect(s.ticket.status).toBe('solved');
    expect(s.conversation.status).toBe('resolved');
    expect(s.clocks.find((c) => c.metric === 'resolution')?.state).toBe('stopped');

    // Unassigning on the ticket side clears the chat's assignee.
    expect((await call('PATCH', `/tickets/${ticketId}`, { token: lead, body: { version: s.ticket.version, assignee: null } })).status).toBe(200);
    s = await both();
    expect(s.ticket.assignee).toBeUndefined();
    expect(s.conversation.assignee).toBeUndefined();
  });

  it('web form tickets: a shopper opens one; strict schemas; staff views list it; roles enforced', async () => {
    travelTo('2026-11-30T12:00:00+08:00');
    const v = await visitor();
    const agent = await staffToken();
    const marketing = await staffToken('marketing@demo.kefu');
    const bad = await call('POST', '/widget/tickets', { token: v.token, body: { subject: 'x', text: 'y', priority: 'urgent' } });
    expect(bad.status).toBe(400);
    const res = await call('POST', '/widget/tickets', {
      token: v.token,
      body: { subject: 'Wrong size', text: 'I received size M instead of L, I want to exchange', email: 'shopper@example.com' },
    });
    expect(res.status).toBe(201);
    expect(Object.keys(res.json.ticket).sort()).toEqual(['channel', 'conversationId', 'createdAt', 'status', 'subject', 'ticketId', 'updatedAt']);
    const ticketId = res.json.ticket.ticketId as string;
    const full = await call('GET', `/tickets/${ticketId}`, { token: agent });
    // The requester's email is a profile field: masked for staff until a reveal in the customer 360.
    expect(full.json.ticket).toMatchObject({ channel: 'web_form', status: 'new', requester: { email: 's***@example.com' } });
    expect(full.json.ticket.assignee).toBeUndefined();
    const unassigned = await call('GET', '/tickets?view=unassigned', { token: agent });
    expect(unassigned.status).toBe(200);
    expect(unassigned.json.items.map((t: { ticketId: string }) => t.ticketId)).toContain(ticketId);
    expect((await call('GET', `/tickets/${ticketId}`, { token: marketing })).status).toBe(403);
    expect((await call('GET', `/tickets/${ticketId}`, { token: v.token })).status).toBe(401);
    const mine = await call('PATCH', `/tickets/${ticketId}`, {
      token: agent,
      body: { version: 1, assignee: (await call('GET', '/staff/me', { token: agent })).json.sub },
    });
    expect(mine.status).toBe(200);
    const view = await call('GET', '/tickets?view=mine', { token: agent });
    expect(view.json.items.map((t: { ticketId: string }) => t.ticketId)).toContain(ticketId);
  });

  it('routing rule → team queue: a full agent leaves tickets waiting (most urgent first) until solving frees capacity', async () => {
    travelTo('2026-11-30T14:00:00+08:00');
    const admin = await staffToken('admin@demo.kefu');
    const lead = await staffToken('lead@demo.kefu');
    const adminSub = (await call('GET', '/staff/me', { token: admin })).json.sub as string;
    // Online first: opening the console takes waiting tickets of the admin's other teams, so the
    // returns team's capacity is set one above whatever load that leaves.
    const socket = staffSocket(admin);
    await socket.open;
    await stack.quiesce();
    const load = Number((await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: keys.agentLoad(adminSub), ConsistentRead: true }))).Item?.load ?? 0);
    const team = await call('PUT', '/ticket-config/teams/returns', {
      token: lead,
      body: { name: { 'zh-CN': '退货组', en: 'Returns' }, members: [adminSub], mode: 'least_loaded', capacity: load + 1 },
    });
    expect(team.status).toBe(200);
    const rules = await call('PUT', '/ticket-config/routing-rules', {
      token: lead,
      body: { rules: [{ ruleId: 'returns', name: { 'zh-CN': '退货', en: 'Returns' }, when: { tagsAny: ['returns'] }, then: { team: 'returns' } }] },
    });
    expect(rules.status).toBe(200);
    const badRule = await call('PUT', '/ticket-config/routing-rules', {
      token: lead,
      body: { rules: [{ ruleId: 'x', name: { 'zh-CN': 'x', en: 'x' }, when: {}, then: { team: 'nope' } }] },
    });
    expect(badRule.status).toBe(400);
    const open = (subject: string, priority: string) =>
      call('POST', '/tickets', { token: admin, body: { channel: 'phone', subject, text: subject, requester: { name: 'Zhao' }, tags: ['returns'], priority } });
    const a = await open('return A', 'normal');
    const b = await open('return B', 'low');
    const c = await open('return C', 'urgent');
    expect(a.json.ticket).toMatchObject({ team: 'returns', routedBy: 'returns', assignee: { sub: adminSub }, waiting: false });
    expect([b.json.ticket.waiting, c.json.ticket.waiting]).toEqual([true, true]);
    let queue = await call('GET', '/tickets?view=team&team=returns', { token: admin });
    expect(queue.json.items.map((t: { subject: string }) => t.subject)).toEqual(['return C', 'return B']);
    const solved = await call('PATCH', `/tickets/${a.json.ticket.ticketId}`, { token: admin, body: { version: a.json.ticket.version, status: 'solved' } });
    expect(solved.status).toBe(200);
    const assigned = await call('GET', `/tickets/${c.json.ticket.ticketId}`, { token: admin });
    expect(assigned.json.ticket).toMatchObject({ assignee: { sub: adminSub }, waiting: false });
    expect((assigned.json.audit as Audit[]).map((x) => x.action)).toEqual(['created', 'queued', 'assigned']);
    queue = await call('GET', '/tickets?view=team&team=returns', { token: admin });
    expect(queue.json.items.map((t: { subject: string }) => t.subject)).toEqual(['return B']);
    const clear = await call('PUT', '/ticket-config/routing-rules', { token: lead, body: { rules: [] } });
    expect(clear.status).toBe(200);
    socket.ws.close();
  });

  it('a ticket queued while nobody is online says so, and goes to the first agent who comes online', async () => {
    travelTo('2026-11-30T15:00:00+08:00');
    const lead = await staffToken('lead@demo.kefu');
    const agent = await staffToken();
    const agentSub = (await call('GET', '/staff/me', { token: agent })).json.sub as string;
    await stack.quiesce(); // sockets of earlier tests are gone: nobody is online
    expect(
      (
        await call('PUT', '/ticket-config/teams/night', {
          token: lead,
          body: { name: { 'zh-CN': '夜班组', en: 'Night shift' }, members: [agentSub], capacity: 5 },
        })
      ).status,
    ).toBe(200);
    const rules = await call('PUT', '/ticket-config/routing-rules', {
      token: lead,
      body: { rules: [{ ruleId: 'night', name: { 'zh-CN': '夜班', en: 'Night' }, when: { tagsAny: ['night'] }, then: { team: 'night' } }] },
    });
    expect(rules.status).toBe(200);
    const created = await call('POST', '/tickets', {
      token: lead,
      body: { channel: 'phone', subject: 'Parcel missing', text: 'Parcel missing', requester: { name: 'Qian' }, tags: ['night'], priority: 'normal' },
    });
    expect(created.json.ticket).toMatchObject({ team: 'night', waiting: true });
    const ticketId = created.json.ticket.ticketId as string;
    let got = await call('GET', `/tickets/${ticketId}`, { token: lead });
    const queued = (got.json.audit as Audit[]).find((a) => a.action === 'queued')!;
    expect(queued.text['zh-CN']).toContain('没有客服在线');
    expect(queued.text.en).toMatch(/Nobody in team Night shift is online/);
    expect(queued.text['zh-CN']).not.toContain('满负荷');

    const socket = staffSocket(agent);
    await socket.open;
    expect((await call('POST', '/staff/presence', { token: agent, body: { status: 'online' } })).status).toBe(204);
    got = await call('GET', `/tickets/${ticketId}`, { token: lead });
    expect(got.json.ticket).toMatchObject({ assignee: { sub: agentSub }, waiting: false });
    expect((got.json.audit as Audit[]).map((a) => a.action)).toEqual(['created', 'queued', 'assigned']);
    expect((await call('PUT', '/ticket-config/routing-rules', { token: lead, body: { rules: [] } })).status).toBe(200);
    socket.ws.close();
  });

  it('a timer lost with the in-memory queue is re-armed by the hourly housekeeping and still fires once', async () => {
    travelTo('2026-12-07T10:00:00+08:00'); // Monday
    const agent = await staffToken();
    const created = await call('POST', '/tickets', {
      token: agent,
      body: { channel: 'phone', subject: 'Lost timer', text: 'Invoice question', requester: { name: 'Sun Li' }, priority: 'normal' },
    });
    const ticketId = created.json.ticket.ticketId as string;
    const key = keys.ticketSla(ticketId, 'first_response');
    const item = (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: key, ConsistentRead: true }))).Item!;
    // Simulate the loss: bump the clock's timer version so every chain in flight ends as stale.
    await stack.db.send(new PutCommand({ TableName: 'Kefu', Item: { ...item, timerVersion: Number(item.timerVersion) + 1 } }));
    travelTo('2026-12-07T10:15:00+08:00'); // 5 minutes past the 10:10 deadline
    await oneHop(); // the stale chains check in and end
    let got = await call('GET', `/tickets/${ticketId}`, { token: agent });
    expect((got.json.clocks as Clock[]).find((c) => c.metric === 'first_response')!.breachedAt).toBeUndefined();
    await stack.scheduler.runNow('tickets-housekeeping');
    const breached = await until(async () => {
      got = await call('GET', `/tickets/${ticketId}`, { token: agent });
      return (got.json.clocks as Clock[]).find((c) => c.metric === 'first_response' && c.breachedAt);
    });
    expect(breached.breachedAt! >= '2026-12-07T02:15:00.000Z').toBe(true);
    await stack.scheduler.runNow('tickets-housekeeping');
    await oneHop();
    got = await call('GET', `/tickets/${ticketId}`, { token: agent });
    expect((got.json.audit as Audit[]).filter((a) => a.action === 'sla_breach')).toHaveLength(1);
  });
});
