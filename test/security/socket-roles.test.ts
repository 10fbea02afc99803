/**
 * Sockets carry exactly what the same role may read over HTTP, refuse what it may not do over
 * HTTP, and only staff who may serve conversations count as online agents.
 *
 * No role list lives in this file: every expectation is an HTTP probe with the same token against
 * the same stack (403 → not allowed). To prove a frame did not arrive, `settle()` waits until the
 * stack is idle (every push posted) and then for the pong of a ping on the same socket, which
 * the gateway delivers after everything posted before it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type LocalStack, startLocalStack } from '#infra/local/stack.ts';
import { STAFF_ROLES } from '#infra/manifest.ts';
import { contactTopic, pushToTopic, STAFF_TOPIC } from '#shared/realtime.ts';
import { type ApiResponse, apiClient } from '../support/api.ts';
import { until } from '../support/until.ts';

type Frame = { type: string; [field: string]: unknown };
type Role = (typeof STAFF_ROLES)[number];

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;
const tokens = {} as Record<Role, string>;
let markers = 0;
const opened: Sock[] = [];

interface Sock {
  frames: Frame[];
  send(frame: unknown): void;
  /** Everything pushed to this socket so far has arrived. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

async function socket(query: string): Promise<Sock> {
  const frames: Frame[] = [];
  const ws = new WebSocket(`${stack.urls.ws}?${query}`);
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused ${res.statusCode}`)));
  });
  const sock: Sock = {
    frames,
    send: (frame) => ws.send(JSON.stringify(frame)),
    async settle() {
      await stack.quiesce();
      const id = `marker-${++markers}`;
      ws.send(JSON.stringify({ type: 'ping', id }));
      await until(() => frames.some((f) => f.type === 'pong' && f.id === id), { what: `the pong of ${id}` });
    },
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
      });
      await stack.quiesce();
    },
  };
  opened.push(sock);
  return sock;
}

const staffSocket = (role: Role, token = tokens[role]) => socket(`staffToken=${token}`);
/** A one-role staff token of its own (typing is throttled per sender, presence is kept per sender). */
const tokenOf = (role: Role, tag: string) =>
  stack.issuer.token({ sub: `sec-${role}-${tag}`, email: `sec-${role}-${tag}@example.test`, name: `Sec ${role} ${tag}`, groups: [role] });
const settleAll = async (socks: Sock[]) => {
  for (const s of socks) await s.settle();
};

/** 403 means the role may not; any other answer (200, 204, or 400 for an empty body) means it may. */
function allowed(res: ApiResponse): boolean {
  if (res.status === 401 || res.status >= 500) throw new Error(`probe failed: ${res.status} ${JSON.stringify(res.json)}`);
  return res.status !== 403;
}

const CARD = 'my card is 4111 1111 1111 1111, exp 12/29';
const NOTE = 'INTERNAL: refund approved, do not tell the shopper yet';

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  api = apiClient(stack.urls.api);
  for (const role of STAFF_ROLES) {
    tokens[role] = await stack.issuer.token({ sub: `sec-${role}`, email: `sec-${role}@example.test`, name: `Sec ${role}`, groups: [role] });
  }
}, 120_000);
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});
afterAll(async () => {
  await stack?.stop();
});

/** A shopper's conversation with a bot-free history: the first message carries a card number, an agent adds an internal note. */
async function conversationWithSecrets() {
  const shopper = await api.visitor();
  const started = await api.call('POST', '/widget/conversations', {
    token: shopper.token,
    body: { clientMessageId: `sec-${Math.random().toString(36).slice(2, 12)}`, text: CARD },
  });
  expect(started.status).toBe(201);
  return { shopper, id: started.json.conversation.conversationId as string, firstMessageId: started.json.message.messageId as string };
}

describe('server → client frames follow HTTP read access', () => {
  it('from real events: each staff role receives a frame kind exactly when its token may read the same data over HTTP', async () => {
    const shopper = await api.visitor();
    const stranger = await api.visitor();
    const staff = {} as Record<Role, Sock>;
    for (const role of STAFF_ROLES) staff[role] = await staffSocket(role);
    const mine = await socket(`token=${shopper.token}`);
    const theirs = await socket(`token=${stranger.token}`);

    const started = await api.call('POST', '/widget/conversations', { token: shopper.token, body: { clientMessageId: 'sec-real-0001', text: CARD } });
    expect(started.status).toBe(201);
    const id = started.json.conversation.conversationId as string;
    expect((await api.call('POST', `/conversations/${id}/messages`, { token: tokens.agent, body: { text: NOTE, internal: true } })).status).toBe(201);
    const reply = await api.call('POST', `/conversations/${id}/messages`, { token: tokens.agent, body: { text: 'We are checking your order' } });
    expect(reply.status).toBe(201);
    mine.send({ type: 'typing', conversationId: id });
    staff.agent.send({ type: 'typing', conversationId: id });
    expect(
      (await api.call('POST', `/widget/conversations/${id}/read`, { token: shopper.token, body: { messageId: reply.json.message.messageId } })).status,
    ).toBe(204);
    expect((await api.call('POST', `/conversations/${id}/read`, { token: tokens.agent, body: { messageId: started.json.message.messageId } })).status).toBe(
      204,
    );
    expect((await api.call('POST', '/staff/presence', { token: tokens.agent, body: { status: 'online' } })).status).toBe(204);
    const ticket = await api.call('POST', '/widget/tickets', { token: shopper.token, body: { subject: 'Wrong size', text: 'I received size M instead of L' } });
    expect(ticket.status).toBe(201);
    const ticketId = ticket.json.ticket.ticketId as string;
    await settleAll([...Object.values(staff), mine, theirs]);

    const staffReads: Record<string, (token: string) => Promise<ApiResponse>> = {
      message: (token) => api.call('GET', `/conversations/${id}/messages`, { token }),
      conversation: (token) => api.call('GET', `/conversations/${id}`, { token }),
      typing: (token) => api.call('GET', `/conversations/${id}`, { token }),
      read: (token) => api.call('GET', `/conversations/${id}`, { token }),
      presence: (token) => api.call('GET', '/staff', { token }),
      ticket: (token) => api.call('GET', `/tickets/${ticketId}`, { token }),
    };
    const seen: Record<string, boolean>[] = [];
    const expected: Record<string, boolean>[] = [];
    for (const role of STAFF_ROLES) {
      for (const [kind, probe] of Object.entries(staffReads)) {
        seen.push({ [`${role} ${kind}`]: staff[role].frames.some((f) => f.type === kind) });
        expected.push({ [`${role} ${kind}`]: allowed(await probe(tokens[role])) });
      }
      const text = JSON.stringify(staff[role].frames);
      const mayReadThread = allowed(await staffReads.message!(tokens[role]));
      expect({ role, card: text.includes('4111'), note: text.includes(NOTE) }).toEqual({ role, card: mayReadThread, note: mayReadThread });
    }
    expect(seen).toEqual(expected);

    // The shopper gets their own conversation's frames, never the internal note, never staff-only kinds.
    expect(new Set(mine.frames.map((f) => f.type))).toEqual(new Set(['message', 'conversation', 'typing', 'read', 'pong']));
    expect(JSON.stringify(mine.frames)).not.toContain(NOTE);
    // Another shopper gets nothing of it.
    expect(theirs.frames.map((f) => f.type)).toEqual(['pong']);
  });

  it('every frame kind, pushed to the staff topic and to a visitor topic, reaches only sockets whose role may read it over HTTP', async () => {
    const { shopper, id } = await conversationWithSecrets();
    const stranger = await api.visitor();
    const ticket = await api.call('POST', '/widget/tickets', { token: shopper.token, body: { subject: 'Broken zip', text: 'The zip broke on day one' } });
    const ticketId = ticket.json.ticket.ticketId as string;
    const staff = {} as Record<Role, Sock>;
    for (const role of STAFF_ROLES) staff[role] = await staffSocket(role);
    const mine = await socket(`token=${shopper.token}`);
    const theirs = await socket(`token=${stranger.token}`);

    // The HTTP route that reads the same data, per kind and side; null: no route reads it, nobody may receive it.
    type Probe = ((token: string) => Promise<ApiResponse>) | null;
    const kinds: Record<string, { staff: Probe; visitor: Probe }> = {
      message: {
        staff: (t) => api.call('GET', `/conversations/${id}/messages`, { token: t }),
        visitor: (t) => api.call('GET', `/widget/conversations/${id}/messages`, { token: t }),
      },
      conversation: {
        staff: (t) => api.call('GET', `/conversations/${id}`, { token: t }),
        visitor: (t) => api.call('GET', '/widget/conversations', { token: t }),
      },
      typing: {
        staff: (t) => api.call('GET', `/conversations/${id}`, { token: t }),
        visitor: (t) => api.call('GET', `/widget/conversations/${id}/messages`, { token: t }),
      },
      read: {
        staff: (t) => api.call('GET', `/conversations/${id}`, { token: t }),
        visitor: (t) => api.call('GET', `/widget/conversations/${id}/messages`, { token: t }),
      },
      presence: { staff: (t) => api.call('GET', '/staff', { token: t }), visitor: (t) => api.call('GET', '/widget/status', { token: t }) },
      ticket: { staff: (t) => api.call('GET', `/tickets/${ticketId}`, { token: t }), visitor: null },
      sla: { staff: (t) => api.call('GET', `/tickets/${ticketId}`, { token: t }), visitor: null },
      bot_delta: { staff: null, visitor: (t) => api.call('GET', `/widget/conversations/${id}/messages`, { token: t }) },
      survey: { staff: null, visitor: (t) => api.call('GET', '/widget/surveys', { token: t }) },
      campaign_message: { staff: null, visitor: (t) => api.call('GET', '/widget/campaign-messages', { token: t }) },
      not_a_known_kind: { staff: null, visitor: null },
    };
    for (const kind of Object.keys(kinds)) {
      await pushToTopic(STAFF_TOPIC, { type: kind, probe: `staff-${kind}` });
      await pushToTopic(contactTopic(shopper.contactId), { type: kind, probe: `visitor-${kind}` });
    }
    await settleAll([...Object.values(staff), mine, theirs]);

    const probes = (s: Sock) => new Set(s.frames.map((f) => f.probe).filter(Boolean));
    const seen: Record<string, boolean>[] = [];
    const expected: Record<string, boolean>[] = [];
    for (const [kind, { staff: staffProbe, visitor: visitorProbe }] of Object.entries(kinds)) {
      for (const role of STAFF_ROLES) {
        seen.push({ [`${role} ${kind}`]: probes(staff[role]).has(`staff-${kind}`) });
        expected.push({ [`${role} ${kind}`]: staffProbe ? allowed(await staffProbe(tokens[role])) : false });
      }
      seen.push({ [`visitor ${kind}`]: probes(mine).has(`visitor-${kind}`) });
      expected.push({ [`visitor ${kind}`]: visitorProbe ? allowed(await visitorProbe(shopper.token)) : false });
    }
    expect(seen).toEqual(expected);
    for (const role of STAFF_ROLES) expect([...probes(staff[role])].filter((p) => String(p).startsWith('visitor-'))).toEqual([]);
    expect([...probes(mine)].filter((p) => String(p).startsWith('staff-'))).toEqual([]);
    expect(probes(theirs).size).toBe(0);
  });
});

describe('client → server frames follow HTTP write access', () => {
  it('a role may send typing and read exactly when its token may reply and mark read over HTTP; a refused frame gets an error frame and reaches nobody', async () => {
    const { shopper, id, firstMessageId } = await conversationWithSecrets();
    const mine = await socket(`token=${shopper.token}`);
    const watcher = await staffSocket('agent');
    const senders: { who: string; sock: Sock; token: string; side: 'staff' | 'visitor' }[] = [];
    for (const role of STAFF_ROLES) {
      const token = await tokenOf(role, 'sender');
      senders.push({ who: role, sock: await staffSocket(role, token), token, side: 'staff' });
    }
    senders.push({ who: 'visitor', sock: mine, token: shopper.token, side: 'visitor' });

    const seen: Record<string, unknown>[] = [];
    const expected: Record<string, unknown>[] = [];
    for (const { who, sock, token, side } of senders) {
      // Empty bodies: 400 when the role may call the route, 403 when it may not; nothing changes either way.
      const base = side === 'staff' ? `/conversations/${id}` : `/widget/conversations/${id}`;
      const mayReply = allowed(await api.call('POST', `${base}/messages`, { token, body: {} }));
      const mayRead = allowed(await api.call('POST', `${base}/read`, { token, body: {} }));
      const receiver = side === 'staff' ? mine : watcher;
      const from = receiver.frames.length;
      const errorsFrom = sock.frames.length;
      sock.send({ type: 'typing', conversationId: id });
      sock.send({ type: 'read', conversationId: id, messageId: firstMessageId });
      sock.send({ type: 'subscribe', topic: 'staff' });
      await sock.settle();
      await receiver.settle();
      const arrived = receiver.frames
        .slice(from)
        .filter((f) => f.conversationId === id)
        .map((f) => f.type);
      const errors = sock.frames.slice(errorsFrom).filter((f) => f.type === 'error');
      seen.push({ who, typing: arrived.includes('typing'), read: arrived.includes('read'), refused: errors.map((e) => e.code).sort() });
      expected.push({
        who,
        typing: mayReply,
        read: mayRead,
        refused: [...(mayReply ? [] : ['forbidden']), ...(mayRead ? [] : ['forbidden']), 'unsupported_frame'].sort(),
      });
      for (const e of errors) expect(typeof e.message).toBe('string');
    }
    expect(seen).toEqual(expected);
  });
});

describe('presence', () => {
  it('only staff who may serve conversations count as online agents, whatever presence they set', async () => {
    const shopper = await api.visitor();
    const online = async () => (await api.call('GET', '/widget/status', { token: shopper.token })).json.agentsOnline as number;
    expect(await online()).toBe(0);
    const open: Sock[] = [];
    const own = {} as Record<Role, string>;
    let agents = 0;
    for (const role of STAFF_ROLES) {
      own[role] = await tokenOf(role, 'presence');
      open.push(await staffSocket(role, own[role]));
      expect((await api.call('POST', '/staff/presence', { token: own[role], body: { status: 'online' } })).status).toBe(204);
      if (allowed(await api.call('GET', '/conversations', { token: own[role] }))) agents += 1;
      expect({ role, agentsOnline: await online() }).toEqual({ role, agentsOnline: agents });
    }
    await open[0]!.settle();
    const lastPresence = open[0]!.frames.filter((f) => f.type === 'presence').at(-1);
    expect(lastPresence?.agentsOnline).toBe(agents);
    expect((await api.call('POST', '/staff/presence', { token: own.agent, body: { status: 'away' } })).status).toBe(204);
    expect(await online()).toBe(agents - 1);
    for (const s of open) await s.close();
    await until(async () => (await online()) === 0, { what: 'nobody online once every socket closed' });
  });
});
