/**
 * WebSocket fan-out on the local stack, counted at the gateway (PostToConnection calls): a socket
 * that subscribed gets one message per event and only what it asked for (an inbox console gets the
 * conversation header, the console with the conversation open also its message), masked per reader
 * as over HTTP; a socket that never subscribed gets every frame its role admits as before; a gone
 * socket is dropped from the registry at its first 410.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLocalStack } from '#infra/local/stack.ts';
import { getConnection, pushToTopic, registerConnection, STAFF_TOPIC } from '#shared/realtime.ts';
import { apiClient } from '../support/api.ts';
import { until } from '../support/until.ts';

type Frame = { type: string; [field: string]: unknown };
type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
let api: ReturnType<typeof apiClient>;
let agent: string;
let lead: string;
const PHONE = '13912345678';

interface Sock {
  ws: WebSocket;
  /** Wire messages as received (a `batch` counts once). */
  raw: Frame[];
  /** Frames with batches unwrapped, as the web clients hand them on. */
  frames(): Frame[];
}

async function socket(query: string, subscribe?: { views: string[]; conversations?: string[] }): Promise<Sock> {
  const raw: Frame[] = [];
  const ws = new WebSocket(`${stack.urls.ws}?${query}`);
  ws.on('message', (data) => raw.push(JSON.parse(String(data)) as Frame));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const sock = { ws, raw, frames: () => raw.flatMap((f) => (f.type === 'batch' ? (f.frames as Frame[]) : [f])) };
  if (subscribe) {
    ws.send(JSON.stringify({ type: 'subscribe', ...subscribe }));
    await until(() => raw.find((f) => f.type === 'subscribed'));
  }
  return sock;
}

/** A conversation an agent has taken over (the bot no longer answers), with its visitor token. */
async function takenOver(): Promise<{ id: string; token: string }> {
  const v = await api.visitor();
  const started = await api.call('POST', '/widget/conversations', { token: v.token, body: { clientMessageId: `fo-${Date.now()}`, text: '你好' } });
  const id = started.json.conversation.conversationId as string;
  expect((await api.call('POST', `/conversations/${id}/messages`, { token: agent, body: { text: '您好，请讲' } })).status).toBe(201);
  await stack.quiesce();
  return { id, token: v.token };
}

let sent = 0;
/** PostToConnection calls caused by one visitor message (everything it set off, once the stack is idle). */
async function pushesOfOneVisitorMessage(c: { id: string; token: string }, text: string): Promise<number> {
  await stack.quiesce();
  const before = stack.ws.pushes().delivered;
  const res = await api.call('POST', `/widget/conversations/${c.id}/messages`, { token: c.token, body: { clientMessageId: `fo-msg-${++sent}`, text } });
  expect(res.status).toBe(201);
  await stack.quiesce();
  return stack.ws.pushes().delivered - before;
}

const close = (...socks: Sock[]) => {
  for (const s of socks) s.ws.close();
};

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  api = apiClient(stack.urls.api);
  [agent, lead] = await Promise.all([api.staff('agent@demo.kefu'), api.staff('lead@demo.kefu')]);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('fan-out', () => {
  const counts: Record<string, number> = {};

  it('sockets that never subscribed get every frame their role admits, one message per frame (older clients)', async () => {
    const c = await takenOver();
    const shopper = await socket(`token=${c.token}`);
    const staff = [await socket(`staffToken=${agent}`)];
    counts['unsubscribed, 1 staff socket'] = await pushesOfOneVisitorMessage(c, 'hello one');
    for (let i = 0; i < 4; i++) staff.push(await socket(`staffToken=${agent}`));
    counts['unsubscribed, 5 staff sockets'] = await pushesOfOneVisitorMessage(c, 'hello five');
    for (const s of staff) expect(s.frames().filter((f) => f.type === 'message' && f.conversationId === c.id).length).toBeGreaterThan(0);
    expect(counts['unsubscribed, 5 staff sockets'] - counts['unsubscribed, 1 staff socket']).toBe(4 * 2);
    close(shopper, ...staff);
  });

  it('a subscribed socket gets one message per event, and a message only where the conversation is open', async () => {
    const c = await takenOver();
    const shopper = await socket(`token=${c.token}`, { views: ['conversations', 'presence', 'offers'] });
    const open = await socket(`staffToken=${agent}`, { views: ['conversations', 'presence', 'tickets'], conversations: [c.id] });
    counts['subscribed, 1 staff socket'] = await pushesOfOneVisitorMessage(c, 'hello one');
    const inboxOnly: Sock[] = [];
    for (let i = 0; i < 4; i++) inboxOnly.push(await socket(`staffToken=${agent}`, { views: ['conversations', 'presence', 'tickets'] }));
    counts['subscribed, 5 staff sockets (1 with it open)'] = await pushesOfOneVisitorMessage(c, 'hello five');
    console.log('PostToConnection calls per visitor message', counts);

    // One push per socket: 1 to the shopper, 1 to each staff socket.
    expect(counts['subscribed, 1 staff socket']).toBe(2);
    expect(counts['subscribed, 5 staff sockets (1 with it open)']).toBe(6);
    const last = open.raw.at(-1) as Frame;
    expect(last).toMatchObject({ type: 'batch', frames: [{ type: 'message', conversationId: c.id }, { type: 'conversation' }] });
    for (const s of inboxOnly) {
      expect(s.frames().some((f) => f.type === 'conversation' && (f.conversation as { conversationId: string }).conversationId === c.id)).toBe(true);
      expect(s.frames().some((f) => f.type === 'message')).toBe(false);
    }
    expect(shopper.raw.at(-1)).toMatchObject({ type: 'batch', frames: [{ type: 'message' }, { type: 'conversation' }] });

    // Typing reaches only the console with the conversation open.
    shopper.ws.send(JSON.stringify({ type: 'typing', conversationId: c.id }));
    await until(() => open.frames().find((f) => f.type === 'typing' && f.conversationId === c.id));
    await stack.quiesce();
    for (const s of inboxOnly) expect(s.frames().some((f) => f.type === 'typing')).toBe(false);

    // Closing the conversation (subscribing without it) stops its messages.
    open.ws.send(JSON.stringify({ type: 'subscribe', views: ['conversations'], conversations: [] }));
    await until(() => open.raw.filter((f) => f.type === 'subscribed').length === 2);
    await pushesOfOneVisitorMessage(c, 'after close');
    expect(open.frames().filter((f) => f.type === 'message' && (f.message as { text: string }).text === 'after close')).toEqual([]);
    close(shopper, open, ...inboxOnly);
  });

  it('a whole conversation (5 visitor messages, a bot reply, 4 agent replies, reads, resolve) costs one push per event per interested socket', async () => {
    const views = ['conversations', 'presence', 'tickets'];
    /** Pushes of the whole conversation with `staffSockets` consoles; `subscribed`: as the console and widget do (the first console opens it). */
    async function conversationPushes(staffSockets: number, subscribed: boolean) {
      const v = await api.visitor();
      const shopper = await socket(`token=${v.token}`, subscribed ? { views: ['conversations', 'presence', 'offers'] } : undefined);
      const consoles: Sock[] = [];
      for (let i = 0; i < staffSockets; i++) consoles.push(await socket(`staffToken=${agent}`, subscribed ? { views } : undefined));
      await stack.quiesce();
      const before = stack.ws.pushes().delivered;
      const started = await api.call('POST', '/widget/conversations', {
        token: v.token,
        body: { clientMessageId: `fanout-conv-${++sent}`, text: '我的订单什么时候发货？' },
      });
      expect(started.status, JSON.stringify(started.json)).toBe(201);
      const id = started.json.conversation.conversationId as string;
      await stack.quiesce();
      const opened = consoles[0] as Sock;
      if (subscribed) {
        opened.ws.send(JSON.stringify({ type: 'subscribe', views, conversations: [id] }));
        await until(() => opened.raw.filter((f) => f.type === 'subscribed').length === 2);
      }
      const acks = subscribed ? 1 : 0;
      for (let i = 0; i < 4; i++) {
        const m = await api.call('POST', `/widget/conversations/${id}/messages`, {
          token: v.token,
          body: { clientMessageId: `fanout-conv-${++sent}`, text: `第${i + 2}条` },
        });
        expect(m.status).toBe(201);
        const r = await api.call('POST', `/conversations/${id}/messages`, { token: agent, body: { text: `回复${i + 1}` } });
        expect(r.status).toBe(201);
        await api.call('POST', `/conversations/${id}/read`, { token: agent, body: { messageId: m.json.message.messageId } });
        await api.call('POST', `/widget/conversations/${id}/read`, { token: v.token, body: { messageId: r.json.message.messageId } });
      }
      expect((await api.call('POST', `/conversations/${id}/status`, { token: agent, body: { status: 'resolved' } })).status).toBe(200);
      await stack.quiesce();
      const total = stack.ws.pushes().delivered - before - acks;
      const seenByOpened = opened.frames().filter((f) => f.type === 'message' && f.conversationId === id).length;
      close(shopper, ...consoles);
      return { total, seenByOpened };
    }
    const table: Record<string, number> = {};
    for (const subscribed of [false, true]) {
      const one = await conversationPushes(1, subscribed);
      const five = await conversationPushes(5, subscribed);
      const mode = subscribed ? 'subscribed' : 'unsubscribed';
      table[`${mode}: 1 staff socket`] = one.total;
      table[`${mode}: each further staff socket`] = (five.total - one.total) / 4;
      // The console with the conversation open sees every message of it (1 + bot + 4 + 4 at least).
      expect(five.seenByOpened).toBeGreaterThanOrEqual(subscribed ? 8 : 10);
    }
    console.log('PostToConnection calls per conversation', table);
    expect(table['subscribed: each further staff socket']).toBeLessThan((table['unsubscribed: each further staff socket'] ?? 0) / 2);
  });

  it('masking holds per reader inside a batch: masked for an agent, as written for a supervisor', async () => {
    const c = await takenOver();
    const view = (id: string) => ({ views: ['conversations'], conversations: [id] });
    const [asAgent, asLead] = [await socket(`staffToken=${agent}`, view(c.id)), await socket(`staffToken=${lead}`, view(c.id))];
    await pushesOfOneVisitorMessage(c, `请回电 ${PHONE}`);
    const said = (s: Sock) => JSON.stringify(s.frames().filter((f) => f.type === 'message' || f.type === 'conversation'));
    await until(() => said(asAgent).includes('139****5678') && said(asLead).includes(PHONE));
    expect(said(asAgent)).not.toContain(PHONE);
    close(asAgent, asLead);
  });

  it('a subscription is checked like every frame: strict, bounded, and it never widens what the role receives', async () => {
    const marketing = await api.staff('marketing@demo.kefu');
    const c = await takenOver();
    const s = await socket(`staffToken=${marketing}`, { views: ['conversations', 'presence', 'tickets'], conversations: [c.id] });
    await pushesOfOneVisitorMessage(c, 'not for marketing');
    expect(s.frames().filter((f) => f.type === 'message' || f.type === 'conversation')).toEqual([]);
    s.ws.send(JSON.stringify({ type: 'subscribe', views: ['everything'] }));
    s.ws.send(JSON.stringify({ type: 'subscribe', views: [], conversations: Array.from({ length: 21 }, (_, i) => `cnv_${i}`) }));
    await until(() => s.raw.filter((f) => f.type === 'error' && f.code === 'unsupported_frame').length === 2);
    close(s);
  });

  it('a socket API Gateway calls gone (410) leaves the registry at the first push', async () => {
    const id = 'fanoutGone0=';
    await registerConnection(id, { kind: 'staff', sub: 'gone', roles: ['agent'] }, new Date(Date.now() - 60_000));
    expect(await getConnection(id)).toBeDefined();
    const gone = stack.ws.pushes().gone;
    await pushToTopic(STAFF_TOPIC, { type: 'ticket', ticket: { ticketId: 'tk_probe' } });
    expect(stack.ws.pushes().gone).toBe(gone + 1);
    expect(await getConnection(id)).toBeUndefined();
    await pushToTopic(STAFF_TOPIC, { type: 'ticket', ticket: { ticketId: 'tk_probe2' } });
    expect(stack.ws.pushes().gone).toBe(gone + 1);
  });
});
