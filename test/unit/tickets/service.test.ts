import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type SlaPolicy } from '#shared/sla/policy.ts';
import type { Message } from '#shared/store/conversations.ts';
import type { Person } from '#shared/tickets/model.ts';
import { type CreateTicketInput, createTicket, drainQueue, fireTimer, mergeTickets, recordThreadMessage, updateTicket } from '#shared/tickets/service.ts';
import { handleTimer } from '#shared/tickets/timers.ts';
import { fakeWorld } from './fake-ports.ts';

const agent: Person = { kind: 'staff', sub: 'a1', name: 'Agent One' };
const input = (over: Partial<CreateTicketInput> = {}): CreateTicketInput => ({
  shopId: 'demo',
  channel: 'phone',
  subject: 'Parcel late',
  text: 'Where is my parcel?',
  requester: { contactId: 'con_1' },
  ...over,
});
const sh = (hhmm: string, day = 26) => new Date(`2026-11-${day}T${hhmm}:00+08:00`);
const message = (kind: 'agent' | 'visitor', text = 'hi', internal = false): Message => ({
  messageId: `msg_${Math.random()}`,
  conversationId: 'cnv_x',
  author: kind === 'agent' ? { kind, sub: 'a1', name: 'Agent One' } : { kind },
  text,
  internal,
  createdAt: new Date().toISOString(),
});

describe('creating tickets', () => {
  it('classifies, routes, starts SLA clocks, creates the thread and assigns the least-loaded online agent', async () => {
    const w = fakeWorld();
    w.loads.set('a1', 1);
    const state = await createTicket(w.ports, input({ text: '我要退款，东西坏了' }), agent);
    expect(state.ticket).toMatchObject({
      status: 'new',
      priority: 'high',
      category: 'REFUND',
      language: 'zh',
      team: 'general',
      assignee: { sub: 'a2' },
      waiting: false,
    });
    expect(state.clocks.map((c) => c.metric)).toEqual(['first_response', 'resolution']);
    expect(w.linked.get(state.ticket.conversationId)).toBe(state.ticket.ticketId);
    expect(w.loads.get('a2')).toBe(1);
    expect(w.timers.map((t) => `${t.metric}:${t.kind}`)).toEqual(['first_response:warn', 'first_response:breach', 'resolution:warn', 'resolution:breach']);
    expect(w.audit.map((a) => a.action)).toEqual(['created', 'assigned']);
    expect(w.audit[0]!.text['zh-CN']).toContain('电话');
  });

  it('waits in the team queue when every online agent is at capacity; solving frees capacity and the most urgent waiting ticket is assigned', async () => {
    const w = fakeWorld();
    w.online = new Set(['a1']);
    const first = await createTicket(w.ports, input(), agent);
    const second = await createTicket(w.ports, input(), agent);
    expect([first.ticket.assignee?.sub, second.ticket.assignee?.sub]).toEqual(['a1', 'a1']);
    const low = await createTicket(w.ports, input({ priority: 'low' }), agent);
    w.clock.now = new Date(w.clock.now.getTime() + 60_000);
    const urgent = await createTicket(w.ports, input({ priority: 'urgent' }), agent);
    expect(low.ticket).toMatchObject({ waiting: true });
    expect(low.ticket.assignee).toBeUndefined();
    expect(urgent.ticket.waiting).toBe(true);
    expect(w.audit.filter((a) => a.action === 'queued')).toHaveLength(2);

    await updateTicket(w.ports, first.ticket.ticketId, { version: first.ticket.version, status: 'solved' }, agent);
    expect(w.tickets.get(urgent.ticket.ticketId)!.ticket).toMatchObject({ assignee: { sub: 'a1' }, waiting: false });
    expect(w.tickets.get(low.ticket.ticketId)!.ticket.waiting).toBe(true);
    expect(w.loads.get('a1')).toBe(2);
  });

  it('a concurrent assignment that fills an agent is detected by the capacity condition and the next agent is used', async () => {
    const w = fakeWorld();
    w.online = new Set(['a1', 'a2']);
    w.beforeCommit = () => w.loads.set('a1', 2);
    const state = await createTicket(w.ports, input(), agent);
    expect(state.ticket.assignee?.sub).toBe('a2');
    expect(w.loads.get('a1')).toBe(2);
  });

  it('a conversation can become one ticket only', async () => {
    const w = fakeWorld();
    const conversation = {
      conversationId: 'cnv_1',
      contactId: 'con_1',
      status: 'open',
      channel: 'chat',
      verified: false,
      lastMessageAt: '',
      lastMessagePreview: '',
      unreadByAgent: 0,
      unreadByVisitor: 0,
      createdAt: '',
      version: 1,
    } as const;
    await createTicket(w.ports, input({ channel: 'chat', conversation: { ...conversation } }), agent);
    await expect(createTicket(w.ports, input({ channel: 'chat', conversation: { ...conversation } }), agent)).rejects.toMatchObject({ status: 409 });
    await expect(createTicket(w.ports, input({ channel: 'chat', conversation: { ...conversation, ticketId: 'tkt_x' } }), agent)).rejects.toMatchObject({
      status: 409,
    });
  });
});

describe('updating tickets', () => {
  it('rejects a stale version with 409 and writes nothing', async () => {
    const w = fakeWorld();
    const { ticket } = await createTicket(w.ports, input(), agent);
    await updateTicket(w.ports, ticket.ticketId, { version: ticket.version, tags: ['a'] }, agent);
    const commits = w.commits;
    await expect(updateTicket(w.ports, ticket.ticketId, { version: ticket.version, tags: ['b'] }, agent)).rejects.toMatchObject({ status: 409 });
    expect(w.commits).toBe(commits);
  });

  it('pending pauses the clocks (no timers), open resumes them with new timers; every change is audited with who and what', async () => {
    const w = fakeWorld();
    let { ticket } = await createTicket(w.ports, input(), agent);
    w.timers.length = 0;
    w.clock.now = sh('10:20');
    ({ ticket } = await updateTicket(w.ports, ticket.ticketId, { version: ticket.version, status: 'pending' }, agent));
    expect(w.timers).toEqual([]);
    w.clock.now = sh('14:00');
    const resumed = await updateTicket(w.ports, ticket.ticketId, { version: ticket.version, status: 'open' }, agent);
    expect(resumed.clocks.find((c) => c.metric === 'first_response')!.dueAt).toBe(sh('14:40').toISOString());
    expect(w.timers.map((t) => t.metric)).toContain('first_response');
    const trail = w.audit.filter((a) => a.action === 'updated');
    expect(trail.map((a) => a.changes?.status)).toEqual([
      { from: 'new', to: 'pending' },
      { from: 'pending', to: 'open' },
    ]);
    expect(trail[0]!.actor).toEqual(agent);
  });

  it('raising the priority re-evaluates the clocks against the current policy version', async () => {
    const v2: SlaPolicy = { ...DEFAULT_POLICY, version: 2, targets: { ...DEFAULT_POLICY.targets, urgent: { first_response: 5, resolution: 60 } } };
    const w = fakeWorld({ policies: [DEFAULT_POLICY] });
    const { ticket } = await createTicket(w.ports, input({ priority: 'normal' }), agent);
    w.policies.push(v2);
    w.config.policies.set('default', v2);
    w.clock.now = sh('10:02');
    const next = await updateTicket(w.ports, ticket.ticketId, { version: ticket.version, priority: 'urgent' }, agent);
    expect(next.ticket.sla.policyVersion).toBe(2);
    expect(next.clocks.find((c) => c.metric === 'first_response')).toMatchObject({ targetMinutes: 5, dueAt: sh('10:05').toISOString() });
  });
});

describe('thread messages', () => {
  it('the first public agent reply stops first response; internal notes and bots do not', async () => {
    const w = fakeWorld();
    const { ticket } = await createTicket(w.ports, input(), agent);
    const conv = { ticketId: ticket.ticketId };
    await recordThreadMessage(w.ports, conv, message('agent', 'note', true));
    await recordThreadMessage(w.ports, conv, { ...message('agent'), author: { kind: 'bot' } });
    expect(w.tickets.get(ticket.ticketId)!.clocks[0]!.state).toBe('running');
    w.clock.now = sh('10:07');
    const answered = await recordThreadMessage(w.ports, conv, message('agent'));
    expect(answered!.ticket).toMatchObject({ status: 'open', firstRespondedAt: sh('10:07').toISOString() });
    expect(answered!.clocks.find((c) => c.metric === 'first_response')).toMatchObject({ state: 'stopped', consumedMs: 7 * 60_000 });
    const commits = w.commits;
    await recordThreadMessage(w.ports, conv, message('agent'));
    expect(w.commits).toBe(commits);
  });

  it('a customer reply reopens a solved ticket and starts next response', async () => {
    const w = fakeWorld();
    let { ticket } = await createTicket(w.ports, input(), agent);
    const conv = { ticketId: ticket.ticketId };
    ({ ticket } = (await recordThreadMessage(w.ports, conv, message('agent')))!);
    ({ ticket } = await updateTicket(w.ports, ticket.ticketId, { version: ticket.version, status: 'solved' }, agent));
    expect(w.loads.get(ticket.assignee!.sub)).toBe(0);
    w.clock.now = sh('11:00');
    const reopened = (await recordThreadMessage(w.ports, conv, message('visitor', 'still broken')))!;
    expect(reopened.ticket.status).toBe('open');
    expect(reopened.ticket.solvedAt).toBeUndefined();
    expect(reopened.clocks.find((c) => c.metric === 'next_response')).toMatchObject({ state: 'running', dueAt: sh('13:00').toISOString() });
    expect(reopened.clocks.find((c) => c.metric === 'resolution')!.state).toBe('running');
    expect(w.loads.get(ticket.assignee!.sub)).toBe(1);
    expect(w.audit.at(-1)!.action).toBe('reopened');
    expect(w.events.filter((e) => e.type === 'solved').map((e) => e.ticket.ticketId)).toEqual([ticket.ticketId]);
  });
});

describe('SLA timers', () => {
  it('fires a breach exactly once even when delivered twice, and runs the policy actions', async () => {
    const policy: SlaPolicy = { ...DEFAULT_POLICY, breachActions: ['notify', 'raise_priority', 'reassign_to_queue', 'escalate'], escalateTo: 'sup' };
    const w = fakeWorld({ policies: [policy] });
    w.online = new Set(['a1']);
    const { ticket } = await createTicket(w.ports, input(), agent);
    const breach = w.timers.find((t) => t.metric === 'first_response' && t.kind === 'breach')!;
    w.clock.now = new Date(breach.dueAt);
    const outcomes = await Promise.all([fireTimer(w.ports, breach), fireTimer(w.ports, breach)]);
    expect(outcomes.sort()).toEqual(['duplicate', 'fired']);
    expect(await fireTimer(w.ports, breach)).toBe('duplicate');
    expect(w.audit.filter((a) => a.action === 'sla_breach')).toHaveLength(1);
    expect(w.frames.filter((f) => f.type === 'sla')).toHaveLength(1);
    const after = w.tickets.get(ticket.ticketId)!;
    expect(after.ticket).toMatchObject({ priority: 'high', escalatedTo: 'sup', sla: { breached: ['first_response'] } });
    expect(after.ticket.assignee).toBeUndefined();
    expect(after.ticket.waiting).toBe(true);
    expect(w.loads.get('a1')).toBe(0);
    const text = w.audit.find((a) => a.action === 'sla_breach')!.text;
    expect(text.en).toMatch(/first response target missed: priority normal → high, back to the team queue, escalated/);
    expect(text['zh-CN']).toMatch(/首次响应已超时/);
    expect(w.events.filter((e) => e.type === 'sla_breached')).toMatchObject([{ metric: 'first_response', ticket: { ticketId: ticket.ticketId } }]);
  });

  it('a timer whose deadline moved (pause, reply) is dropped; an early delivery re-enqueues the next hop', async () => {
    const w = fakeWorld();
    let { ticket } = await createTicket(w.ports, input(), agent);
    const warn = w.timers.find((t) => t.metric === 'first_response' && t.kind === 'warn')!;
    const hops: unknown[] = [];
    expect(await handleTimer(w.ports, warn, async (next) => void hops.push(next))).toBe('requeued');
    expect(hops).toEqual([{ ...warn, hop: 1 }]);
    ({ ticket } = await updateTicket(w.ports, ticket.ticketId, { version: ticket.version, status: 'on_hold' }, agent));
    expect(await handleTimer(w.ports, warn, async (next) => void hops.push(next))).toBe('stale');
    w.clock.now = new Date(warn.dueAt);
    expect(await fireTimer(w.ports, warn)).toBe('stale');
    expect(w.audit.some((a) => a.action === 'sla_warning')).toBe(false);
  });

  it('a warning fires at 80 % and leaves the breach armed', async () => {
    const w = fakeWorld();
    const { ticket } = await createTicket(w.ports, input(), agent);
    const warn = w.timers.find((t) => t.metric === 'first_response' && t.kind === 'warn')!;
    expect(warn.dueAt).toBe(sh('10:48').toISOString());
    w.clock.now = new Date(warn.dueAt);
    expect(await fireTimer(w.ports, warn)).toBe('fired');
    const clock = w.tickets.get(ticket.ticketId)!.clocks.find((c) => c.metric === 'first_response')!;
    expect(clock.warnedAt).toBeDefined();
    expect(clock.breachedAt).toBeUndefined();
    expect(w.frames.find((f) => f.type === 'sla')).toMatchObject({ kind: 'warn', metric: 'first_response' });
  });
});

describe('merge and queue', () => {
  it('merging closes the source, links both ways and frees the agent', async () => {
    const w = fakeWorld();
    const a = await createTicket(w.ports, input({ tags: ['x'] }), agent);
    const b = await createTicket(w.ports, input({ tags: ['y'] }), agent);
    const held = a.ticket.assignee!.sub;
    const before = w.loads.get(held)!;
    const { source, target } = await mergeTickets(w.ports, a.ticket.ticketId, b.ticket.ticketId, a.ticket.version, agent);
    expect(source.ticket).toMatchObject({ status: 'closed', mergedInto: b.ticket.ticketId });
    expect(source.clocks.every((c) => c.state === 'stopped')).toBe(true);
    expect(target.ticket).toMatchObject({ mergedFrom: [a.ticket.ticketId], tags: ['y', 'x'] });
    expect(w.loads.get(held)).toBe(before - 1);
    await expect(mergeTickets(w.ports, b.ticket.ticketId, b.ticket.ticketId, 2, agent)).rejects.toMatchObject({ status: 400 });
  });

  it('draining assigns nothing when nobody is online', async () => {
    const w = fakeWorld();
    w.online = new Set();
    await createTicket(w.ports, input(), agent);
    expect(await drainQueue(w.ports, 'demo', 'general')).toBe(0);
    w.online = new Set(['a3']);
    expect(await drainQueue(w.ports, 'demo', 'general')).toBe(1);
  });
});

describe('auto-close', () => {
  it('closes tickets solved longer ago than the window, leaves recent and reopened ones', async () => {
    const { closeSolved } = await import('#shared/tickets/service.ts');
    const w = fakeWorld();
    const old = await createTicket(w.ports, input(), agent);
    const recent = await createTicket(w.ports, input(), agent);
    await updateTicket(w.ports, old.ticket.ticketId, { version: old.ticket.version, status: 'solved' }, agent);
    w.clock.now = new Date(w.clock.now.getTime() + 3 * 86_400_000);
    await updateTicket(w.ports, recent.ticket.ticketId, { version: w.tickets.get(recent.ticket.ticketId)!.ticket.version, status: 'solved' }, agent);
    w.clock.now = new Date(w.clock.now.getTime() + 2 * 86_400_000);
    const candidates = [...w.tickets.values()].map((s) => s.ticket);
    expect(await closeSolved(w.ports, candidates, 4)).toBe(1);
    expect(w.tickets.get(old.ticket.ticketId)!.ticket).toMatchObject({ status: 'closed' });
    expect(w.tickets.get(recent.ticket.ticketId)!.ticket.status).toBe('solved');
    expect(w.audit.at(-1)).toMatchObject({ action: 'closed', actor: { kind: 'system' } });
    await expect(
      updateTicket(w.ports, old.ticket.ticketId, { version: w.tickets.get(old.ticket.ticketId)!.ticket.version, status: 'open' }, agent),
    ).rejects.toMatchObject({ status: 400 });
  });
});

describe('member tiers change the service a ticket gets', () => {
  const vipPolicy: SlaPolicy = {
    ...DEFAULT_POLICY,
    policyId: 'vip',
    name: { 'zh-CN': 'VIP', en: 'VIP' },
    targets: { ...DEFAULT_POLICY.targets, normal: { first_response: 15 } },
  };
  const teams = [
    { teamId: 'general', name: { 'zh-CN': '客服组', en: 'Support' }, members: ['a1', 'a2'], mode: 'least_loaded' as const, capacity: 2 },
    { teamId: 'vip', name: { 'zh-CN': 'VIP 组', en: 'VIP' }, members: ['a3'], mode: 'least_loaded' as const, capacity: 2 },
  ];

  it('a platinum shopper gets the tier’s SLA policy, its dedicated team and a raised priority; an anonymous one does not', async () => {
    const w = fakeWorld({ teams, policies: [DEFAULT_POLICY, vipPolicy] });
    w.requester = { name: 'Gold Shopper', tier: 'platinum', benefits: { slaPolicyId: 'vip', priorityBoost: 3, routingTeam: 'vip' } };
    const vip = await createTicket(w.ports, input({ text: 'Where is my parcel?' }), agent);
    expect(vip.ticket).toMatchObject({ tier: 'platinum', team: 'vip', priority: 'high', sla: { policyId: 'vip' }, assignee: { sub: 'a3' } });
    w.requester = { name: 'Anonymous' };
    const plain = await createTicket(w.ports, input({ text: 'Where is my parcel?' }), agent);
    expect(plain.ticket.team).toBe('general');
    expect(plain.ticket.sla.policyId).toBe('default');
    expect(plain.ticket.priority).not.toBe('high');
  });

  it('a tier naming a policy or team that does not exist falls back to the defaults; an explicit priority is kept', async () => {
    const w = fakeWorld({ teams });
    w.requester = { tier: 'gold', benefits: { slaPolicyId: 'missing', priorityBoost: 2, routingTeam: 'nope' } };
    const t = await createTicket(w.ports, input({ priority: 'low' }), agent);
    expect(t.ticket).toMatchObject({ team: 'general', priority: 'low', sla: { policyId: 'default' } });
  });
});
