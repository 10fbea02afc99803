import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { keys } from '#shared/store/keys.ts';
import { maskEmail } from '#shared/text/masking.ts';
import { apiClient } from '../support/api.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
let api: string;
let secret: string;
let client: ReturnType<typeof apiClient>;
let agent: string;
let lead: string;

/** A small MIME message (multipart with text + HTML when `html` is given). */
function mime(m: { from: string; subject: string; messageId: string; text?: string; html?: string; inReplyTo?: string; references?: string[] }): string {
  const head = [
    `From: ${m.from}`,
    'To: support@demo.example',
    `Subject: ${m.subject}`,
    `Message-ID: <${m.messageId}>`,
    'Date: Thu, 26 Nov 2026 09:00:00 +0800',
    'MIME-Version: 1.0',
  ];
  if (m.inReplyTo) head.push(`In-Reply-To: <${m.inReplyTo}>`);
  if (m.references) head.push(`References: ${m.references.map((r) => `<${r}>`).join(' ')}`);
  if (!m.html) return [...head, 'Content-Type: text/plain; charset=utf-8', '', m.text ?? '', ''].join('\r\n');
  return [
    ...head,
    'Content-Type: multipart/alternative; boundary="alt"',
    '',
    '--alt',
    'Content-Type: text/html; charset=utf-8',
    '',
    m.html,
    '--alt--',
    '',
  ].join('\r\n');
}

async function inbound(raw: string) {
  const body = JSON.stringify({ raw: Buffer.from(raw).toString('base64') });
  const ts = String(Math.floor(Date.now() / 1000));
  return client.call('POST', '/email/inbound', {
    body,
    headers: { 'x-kefu-shop': 'demo', 'x-kefu-timestamp': ts, 'x-kefu-signature': hmacHex(secret, `${ts}.${body}`) },
  });
}

async function thread(ticketId: string) {
  const t = await client.call('GET', `/tickets/${ticketId}`, { token: agent });
  const msgs = await client.call('GET', `/conversations/${t.json.ticket.conversationId}/messages`, { token: agent });
  return { ticket: t.json.ticket, messages: msgs.json.items as { text: string; author: { kind: string } }[] };
}

async function outboxFor(ticketId: string) {
  const res = await client.call('GET', '/email/outbox?kind=ticket_reply', { token: lead });
  expect(res.status).toBe(200);
  return (res.json.items as Record<string, any>[]).filter((e) => e.ticketId === ticketId);
}

const uniq = () => Math.random().toString(36).slice(2, 10);

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  api = stack.urls.api.replace(/\/$/, '');
  client = apiClient(api);
  expect(stack.failedToLoad.filter((name) => /email|macro|ticket/.test(name))).toEqual([]);
  secret = (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: keys.shop('demo') }))).Item!.webhookSecret as string;
  [agent, lead] = await Promise.all([client.staff(), client.staff('lead@demo.kefu')]);
});
afterAll(async () => {
  await stack?.stop();
});

describe('email tickets, replies by email, macros and search on the local stack', () => {
  let ticketId: string;
  const first = `first-${uniq()}@mail.example.com`;
  const email = `wang.${uniq()}@example.com`;

  it('an inbound email creates an email ticket for the sender; HTML-only mail becomes text', async () => {
    const res = await inbound(
      mime({
        from: `"Wang Fang" <${email}>`,
        subject: 'Refund not received for parcel',
        messageId: first,
        html: '<p>Hello,</p><p>my refund &amp; parcel are <b>missing</b>.</p>',
      }),
    );
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ outcome: 'created', messageId: first, attachments: [] });
    ticketId = res.json.ticketId;
    const { ticket, messages } = await thread(ticketId);
    expect(ticket).toMatchObject({ channel: 'email', subject: 'Refund not received for parcel', requester: { email: maskEmail(email), name: 'Wang Fang' } });
    expect(messages.map((m) => m.text)).toEqual(['Hello,\nmy refund & parcel are missing.']);
  });

  it('the same Message-ID twice is one message; unsigned delivery is refused', async () => {
    const again = await inbound(mime({ from: email, subject: 'Refund not received for parcel', messageId: first, text: 'dup' }));
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ outcome: 'duplicate', ticketId });
    expect((await thread(ticketId)).messages).toHaveLength(1);
    const unsigned = await client.call('POST', '/email/inbound', { body: { raw: 'eA==' } });
    expect(unsigned.status).toBe(401);
  });

  it('an agent reply on an email ticket lands in the outbox with To, Re: subject, In-Reply-To and References', async () => {
    const { ticket } = await thread(ticketId);
    const sent = await client.call('POST', `/conversations/${ticket.conversationId}/messages`, {
      token: agent,
      body: { text: 'Sorry! Checking your refund now.' },
    });
    expect(sent.status).toBeLessThan(300);
    const note = await client.call('POST', `/conversations/${ticket.conversationId}/messages`, {
      token: agent,
      body: { text: 'internal: check with finance', internal: true },
    });
    expect(note.status).toBeLessThan(300);
    const out = await outboxFor(ticketId);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      kind: 'ticket_reply',
      status: 'pending',
      to: email,
      subject: 'Re: Refund not received for parcel',
      text: 'Sorry! Checking your refund now.',
    });
    expect(out[0]!.headers['In-Reply-To']).toBe(`<${first}>`);
    expect(out[0]!.headers.References).toBe(`<${first}>`);
    expect(out[0]!.headers['Message-ID']).toMatch(/^<msg_[0-9a-z]+\.tkt_[0-9a-z]+@mail\.kefu\.local>$/);
    expect((await client.call('GET', '/email/outbox', { token: agent })).status).toBe(403);
  });

  it('a reply email with In-Reply-To (to our reply) threads onto the ticket, once', async () => {
    const [ours] = await outboxFor(ticketId);
    const ourId = String(ours!.headers['Message-ID']).slice(1, -1);
    const replyId = `reply-${uniq()}@mail.example.com`;
    const raw = mime({
      from: email,
      subject: 'Re: Refund not received for parcel',
      messageId: replyId,
      inReplyTo: ourId,
      references: [first, ourId],
      text: 'Still nothing arrived.\n\nOn Thu, 26 Nov 2026, Kefu wrote:\n> Sorry! Checking your refund now.',
    });
    const res = await inbound(raw);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ outcome: 'threaded', ticketId });
    expect((await inbound(raw)).json).toMatchObject({ outcome: 'duplicate', ticketId });
    const { messages } = await thread(ticketId);
    expect(messages.filter((m) => m.author.kind === 'visitor').map((m) => m.text)).toEqual([
      'Hello,\nmy refund & parcel are missing.',
      'Still nothing arrived.',
    ]);
    // The next agent reply answers the customer's latest email and carries the whole thread.
    const { ticket } = await thread(ticketId);
    await client.call('POST', `/conversations/${ticket.conversationId}/messages`, { token: agent, body: { text: 'Refund re-sent.' } });
    const latest = (await outboxFor(ticketId)).find((e) => e.text === 'Refund re-sent.')!;
    expect(latest.headers['In-Reply-To']).toBe(`<${replyId}>`);
    expect(latest.headers.References).toBe(`<${first}> <${ourId}> <${replyId}>`);
  });

  it('a stranger quoting the Message-ID gets their own ticket', async () => {
    const res = await inbound(
      mime({
        from: `other.${uniq()}@example.com`,
        subject: 'Re: Refund not received for parcel',
        messageId: `x-${uniq()}@e.com`,
        inReplyTo: first,
        text: 'me too',
      }),
    );
    expect(res.status).toBe(201);
    expect(res.json.ticketId).not.toBe(ticketId);
  });

  it('a macro posts its rendered reply (requester locale, latest order) and applies status and tags in one call', async () => {
    const { ticket } = await thread(ticketId);
    const contactId = ticket.requester.contactId as string;
    await stack.db.send(
      new UpdateCommand({ TableName: 'Kefu', Key: keys.contact(contactId), UpdateExpression: 'SET locale = :l', ExpressionAttributeValues: { ':l': 'en-US' } }),
    );
    const at = new Date().toISOString();
    await stack.db.send(
      new PutCommand({
        TableName: 'Kefu',
        Item: { ...keys.order('SO-9001'), ...keys.orderOfContact(contactId, at, 'SO-9001'), orderId: 'SO-9001', contactId, placedAt: at },
      }),
    );
    const body = {
      scope: 'shared',
      name: { 'zh-CN': '退款已处理', en: 'Refund done' },
      text: {
        'zh-CN': '{{customer.name}}您好，订单 {{order.id}} 已退款（{{ticket.id}}）。',
        en: 'Hi {{customer.name}}, order {{order.id}} is refunded ({{ticket.id}}).',
      },
      actions: { status: 'pending', addTags: ['refund', 'macro-used'] },
    };
    expect((await client.call('POST', '/macros', { token: agent, body })).status).toBe(403);
    const saved = await client.call('POST', '/macros', { token: lead, body });
    expect(saved.status).toBe(201);
    const macroId = saved.json.macro.macroId as string;
    const personal = await client.call('POST', '/macros', { token: agent, body: { ...body, scope: 'personal' } });
    expect(personal.status).toBe(201);
    const listed = await client.call('GET', '/macros', { token: lead });
    expect(listed.json.macros.map((m: { macroId: string }) => m.macroId)).toContain(macroId);
    expect(listed.json.macros.map((m: { macroId: string }) => m.macroId)).not.toContain(personal.json.macro.macroId);
    expect((await client.call('DELETE', `/macros/${personal.json.macro.macroId}`, { token: lead })).status).toBe(404);

    const applied = await client.call('POST', `/tickets/${ticketId}/macros/${macroId}/apply`, { token: agent, body: { version: ticket.version } });
    expect(applied.status).toBe(200);
    expect(applied.json).toMatchObject({ lang: 'en', missing: [], ticket: { status: 'pending' } });
    expect(applied.json.ticket.tags).toEqual(expect.arrayContaining(['refund', 'macro-used']));
    const text = `Hi Wang Fang, order SO-9001 is refunded (${ticketId}).`;
    expect(applied.json.message.text).toBe(text);
    expect((await thread(ticketId)).messages.at(-1)!.text).toBe(text);
    expect((await outboxFor(ticketId)).some((e) => e.text === text)).toBe(true);
    const stale = await client.call('POST', `/tickets/${ticketId}/macros/${macroId}/apply`, { token: agent, body: { version: ticket.version } });
    expect(stale.status).toBe(409);
  });

  it('search finds tickets by subject word, tag, requester email and id — and forgets removed tags', async () => {
    const ids = async (q: string) => {
      const res = await client.call('GET', `/tickets/search?q=${encodeURIComponent(q)}`, { token: agent });
      expect(res.status).toBe(200);
      return (res.json.tickets as { ticketId: string }[]).map((t) => t.ticketId);
    };
    expect(await ids('parcel')).toContain(ticketId);
    expect(await ids('REFUND parcel')).toContain(ticketId);
    expect(await ids('macro-used')).toContain(ticketId);
    expect(await ids(email.toUpperCase())).toEqual([ticketId]);
    expect(await ids(ticketId)).toEqual([ticketId]);
    expect(await ids('nonexistentword')).toEqual([]);
    const zh = await client.call('POST', '/tickets', {
      token: agent,
      body: { channel: 'phone', subject: '退款未到账', text: '客户来电', requester: { name: '李雷' } },
    });
    expect(await ids('到账')).toContain(zh.json.ticket.ticketId);
    const { ticket } = await thread(ticketId);
    const patched = await client.call('PATCH', `/tickets/${ticketId}`, { token: agent, body: { version: ticket.version, tags: ['refund'] } });
    expect(patched.status).toBe(200);
    expect(await ids('#macro-used')).not.toContain(ticketId);
  });
});
