/**
 * Masking on every staff path, not only the conversation screen: the inbox list, the live socket
 * frames, the ticket (read, list, search, update) and its frames give an agent a shopper's phone
 * number, card number and email masked and a supervisor the text as written — the same answer over
 * HTTP and over the socket for the same caller. The requester's email and phone on a ticket are
 * profile fields: masked for every role until a reveal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLocalStack } from '#infra/local/stack.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { getShop } from '#shared/store/shops.ts';
import { apiClient } from '../support/api.ts';
import { until } from '../support/until.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
type Frame = Record<string, unknown>;
let stack: Stack;
let api: ReturnType<typeof apiClient>;
let identitySecret: string;
let agent: string;
let lead: string;

const stamp = Date.now().toString(36);
const PHONE = '13912345678';
const CARD = '6222021234567894';
const TEXT = `请回电 ${PHONE}，退款到卡号 ${CARD}`;
const SUBJECT = `退款 回电 ${PHONE}`;

function socket(token: string) {
  const frames: Frame[] = [];
  const ws = new WebSocket(`${stack.urls.ws}?staffToken=${token}`);
  ws.on('message', (data) => frames.push(JSON.parse(String(data))));
  const open = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, frames, open };
}

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  api = apiClient(stack.urls.api);
  const shop = await getShop('demo');
  if (!shop) throw new Error('the demo shop was not seeded');
  identitySecret = shop.identitySecret;
  [agent, lead] = await Promise.all([api.staff('agent@demo.kefu'), api.staff('lead@demo.kefu')]);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('masking on every staff path', () => {
  let conversationId: string;
  let ticketId: string;
  const agentSocket = () => sockets.agent;
  const sockets = {} as Record<'agent' | 'lead', ReturnType<typeof socket>>;

  it('the inbox list and the live frames carry the shopper’s message masked for an agent and as written for a supervisor', async () => {
    sockets.agent = socket(agent);
    sockets.lead = socket(lead);
    await Promise.all([sockets.agent.open, sockets.lead.open]);
    const customerId = `mv-${stamp}`;
    const me = await api.visitor({ id: customerId, hmac: hmacHex(identitySecret, customerId) });
    const started = await api.call('POST', '/widget/conversations', { token: me.token, body: { clientMessageId: `mv-${stamp}-1`, text: '你好，想退款' } });
    expect(started.status).toBe(201);
    conversationId = started.json.conversation.conversationId;
    // An agent takes the conversation over from the bot, so the shopper's next message stays the last one.
    const reply = await api.call('POST', `/conversations/${conversationId}/messages`, {
      token: agent,
      body: { clientMessageId: `mv-${stamp}-2`, text: '您好，请留下联系方式' },
    });
    expect(reply.status).toBe(201);
    await stack.quiesce();
    const sent = await api.call('POST', `/widget/conversations/${conversationId}/messages`, {
      token: me.token,
      body: { clientMessageId: `mv-${stamp}-3`, text: TEXT },
    });
    expect(sent.status).toBe(201);

    const messageFrame = (frames: Frame[]) =>
      frames.find((f) => f.type === 'message' && (f.message as { clientMessageId?: string }).clientMessageId === `mv-${stamp}-3`);
    const [toAgent, toLead] = await Promise.all([until(() => messageFrame(agentSocket().frames)), until(() => messageFrame(sockets.lead.frames))]);
    expect((toAgent.message as { text: string }).text).toBe('请回电 139****5678，退款到卡号 6222 **** **** 7894');
    expect((toLead.message as { text: string }).text).toBe(TEXT);

    const conversationFrames = (frames: Frame[]) =>
      frames.filter((f) => f.type === 'conversation' && (f.conversation as { conversationId: string }).conversationId === conversationId);
    await until(() => conversationFrames(agentSocket().frames).length > 0 && conversationFrames(sockets.lead.frames).length > 0);
    for (const f of conversationFrames(agentSocket().frames)) expect(JSON.stringify(f)).not.toContain(PHONE);
    expect(conversationFrames(sockets.lead.frames).some((f) => JSON.stringify(f).includes(PHONE))).toBe(true);

    const listed = async (token: string) => {
      const pages = await Promise.all(['open'].map((view) => api.call('GET', `/conversations?view=${view}`, { token })));
      for (const res of pages) expect(res.status).toBe(200);
      const rows = pages.flatMap((res) => res.json.items as { conversationId: string; lastMessagePreview: string }[]);
      return rows.find((c) => c.conversationId === conversationId);
    };
    await stack.quiesce();
    const [agentRow, leadRow] = await Promise.all([until(() => listed(agent)), until(() => listed(lead))]);
    expect(agentRow.lastMessagePreview).not.toContain(PHONE);
    expect(agentRow.lastMessagePreview).toContain('139****5678');
    expect(leadRow.lastMessagePreview).toContain(PHONE);
  });

  it('a ticket is masked alike: subject for agents, the requester’s phone and email for everyone, over HTTP and the socket', async () => {
    const made = await api.call('POST', '/tickets', {
      token: lead,
      body: { channel: 'phone', subject: SUBJECT, text: `顾客来电：${TEXT}`, requester: { email: `mv-${stamp}@example.com`, phone: PHONE, name: '李雷' } },
    });
    expect(made.status).toBe(201);
    ticketId = made.json.ticket.ticketId;
    expect(made.json.ticket.subject).toBe(SUBJECT);
    expect(made.json.ticket.requester.phone).toBe('139****5678');
    expect(made.json.ticket.requester.email).toBe('m***@example.com');

    const [asAgent, asLead] = await Promise.all([
      api.call('GET', `/tickets/${ticketId}`, { token: agent }),
      api.call('GET', `/tickets/${ticketId}`, { token: lead }),
    ]);
    expect(asAgent.status).toBe(200);
    expect(asAgent.json.ticket.subject).toBe('退款 回电 139****5678');
    expect(asAgent.json.ticket.requester.phone).toBe('139****5678');
    expect(asLead.json.ticket.subject).toBe(SUBJECT);
    expect(asLead.json.ticket.requester.phone).toBe('139****5678');

    const searched = await api.call('GET', `/tickets/search?q=${encodeURIComponent('退款')}`, { token: agent });
    expect(searched.status).toBe(200);
    const hit = (searched.json.tickets as { ticketId: string; subject: string }[]).find((t) => t.ticketId === ticketId);
    if (hit) expect(hit.subject).not.toContain(PHONE);

    const updated = await api.call('PATCH', `/tickets/${ticketId}`, { token: agent, body: { version: asAgent.json.ticket.version, priority: 'high' } });
    expect(updated.status).toBe(200);
    expect(updated.json.ticket.subject).not.toContain(PHONE);
    expect(updated.json.ticket.priority).toBe('high');

    const ticketFrame = (frames: Frame[]) =>
      frames.find(
        (f) =>
          f.type === 'ticket' &&
          (f.ticket as { ticketId: string; priority: string }).ticketId === ticketId &&
          (f.ticket as { priority: string }).priority === 'high',
      );
    const [agentFrame, leadFrame] = await Promise.all([until(() => ticketFrame(agentSocket().frames)), until(() => ticketFrame(sockets.lead.frames))]);
    expect((agentFrame.ticket as { subject: string }).subject).toBe('退款 回电 139****5678');
    expect((leadFrame.ticket as { subject: string }).subject).toBe(SUBJECT);
    expect(JSON.stringify(agentFrame)).not.toContain(PHONE);
    expect(JSON.stringify(leadFrame.ticket)).not.toContain(`"phone":"${PHONE}"`);

    const stored = await api.call('GET', `/tickets/${ticketId}`, { token: lead });
    expect(stored.json.ticket.subject).toBe(SUBJECT);
  });

  afterAll(() => {
    for (const s of Object.values(sockets)) s.ws.close();
  });
});
