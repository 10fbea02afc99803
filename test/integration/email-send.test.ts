/**
 * Email really sent and received on the local stack: an agent's reply to an email ticket goes out
 * over SMTP to the stack's mail server (threading headers, text + HTML), once however often the
 * sender runs; the customer's answer — posted to /email/inbound or sent by SMTP to the support
 * address — lands on the same ticket; refusals end `failed` (550 at once, 451 after the last
 * attempt) with the error; campaign rows written without a due key are enrolled and sent too.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { sesMessageIds } from '#shared/channels/mail-transport.ts';
import { resetConfig } from '#shared/config.ts';
import { keys } from '#shared/store/keys.ts';
import { recordSentAliases } from '#shared/tickets/email-store.ts';
import { apiClient } from '../support/api.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
let client: ReturnType<typeof apiClient>;
let agent: string;
let lead: string;
let secret: string;

const uniq = () => Math.random().toString(36).slice(2, 10);

function mime(m: { from: string; to?: string; subject: string; messageId: string; text: string; inReplyTo?: string; references?: string[] }): string {
  return [
    `From: ${m.from}`,
    `To: ${m.to ?? 'support@demo.example'}`,
    `Subject: ${m.subject}`,
    `Message-ID: <${m.messageId}>`,
    ...(m.inReplyTo ? [`In-Reply-To: <${m.inReplyTo}>`] : []),
    ...(m.references ? [`References: ${m.references.map((r) => `<${r}>`).join(' ')}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    m.text,
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

async function visitorTexts(ticketId: string): Promise<string[]> {
  const t = await client.call('GET', `/tickets/${ticketId}`, { token: agent });
  const msgs = await client.call('GET', `/conversations/${t.json.ticket.conversationId}/messages`, { token: agent });
  return (msgs.json.items as { text: string; author: { kind: string } }[]).filter((m) => m.author.kind === 'visitor').map((m) => m.text);
}

/** Opens an email ticket from `from` and has the agent answer it; the reply's outbox row. */
async function ticketWithReply(from: string, replyText: string) {
  const first = `first-${uniq()}@mail.example.com`;
  const subject = `Parcel ${uniq()} missing`;
  const opened = await inbound(mime({ from, subject, messageId: first, text: 'Where is my parcel?' }));
  expect(opened.status).toBe(201);
  const ticketId = opened.json.ticketId as string;
  const t = await client.call('GET', `/tickets/${ticketId}`, { token: agent });
  const sent = await client.call('POST', `/conversations/${t.json.ticket.conversationId}/messages`, { token: agent, body: { text: replyText } });
  expect(sent.status).toBeLessThan(300);
  return { ticketId, first, subject };
}

async function emailsOf(ticketId: string): Promise<Record<string, any>[]> {
  const res = await client.call('GET', `/email/outbox?ticketId=${ticketId}`, { token: lead });
  expect(res.status).toBe(200);
  return res.json.items;
}

const runSender = () => stack.scheduler.runNow('email-sender');
/** Captured mail with this Message-ID (header lines unfolded first: long ids wrap). */
const captured = (messageId: string) =>
  stack.mail!.messages().filter((m) => {
    const head = m.raw
      .toString()
      .split('\r\n\r\n')[0]!
      .replace(/\r\n[ \t]+/g, ' ');
    return head.split('\r\n').includes(`Message-ID: <${messageId}>`);
  });

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  client = apiClient(stack.urls.api);
  expect(stack.failedToLoad.filter((name) => /email/.test(name))).toEqual([]);
  secret = (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: keys.shop('demo') }))).Item!.webhookSecret as string;
  [agent, lead] = await Promise.all([client.staff(), client.staff('lead@demo.kefu')]);
});
afterAll(async () => {
  delete process.env.KEFU_CLOCK_OFFSET_MS;
  delete process.env.KEFU_EMAIL_MAX_ATTEMPTS;
  resetConfig();
  await stack?.stop();
});

describe('email sent over SMTP and answered back onto the ticket', () => {
  const customer = `li.${uniq()}@example.com`;
  let ticketId: string;
  let first: string;
  let ourId: string;

  it('an agent reply is sent once to the local SMTP server, threaded, text + HTML', async () => {
    expect(stack.mail).toBeDefined();
    ({ ticketId, first } = await ticketWithReply(`"Li Lei" <${customer}>`, '您好，包裹今天发出。\nYour parcel ships today.'));
    await Promise.all([runSender(), runSender()]);
    await runSender();
    const [row] = await emailsOf(ticketId);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, sentVia: 'smtp', to: customer });
    expect(row!.sentAt).toEqual(expect.any(String));
    ourId = String(row!.headers['Message-ID']).slice(1, -1);
    const mails = captured(ourId);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.envelope).toEqual({ from: 'support@mail.kefu.local', to: [customer] });
    const parsed = await simpleParser(mails[0]!.raw);
    expect(parsed.messageId).toBe(`<${ourId}>`);
    expect(parsed.inReplyTo).toBe(`<${first}>`);
    expect(parsed.references).toBe(`<${first}>`);
    expect(parsed.subject).toMatch(/^Re: Parcel \w+ missing$/);
    expect(parsed.text?.trim()).toBe('您好，包裹今天发出。\nYour parcel ships today.');
    expect(parsed.html).toContain('您好，包裹今天发出。<br>Your parcel ships today.');
  });

  it('the customer’s answer posted to /email/inbound threads onto the same ticket', async () => {
    const res = await inbound(
      mime({
        from: customer,
        subject: 'Re: parcel',
        messageId: `a-${uniq()}@mail.example.com`,
        inReplyTo: ourId,
        references: [first, ourId],
        text: 'Thanks, got the tracking number.',
      }),
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ outcome: 'threaded', ticketId });
    expect(await visitorTexts(ticketId)).toContain('Thanks, got the tracking number.');
  });

  it('in AWS SES renames our Message-ID: an answer to SES’s id threads back too (recorded at send time)', async () => {
    await recordSentAliases(ticketId, sesMessageIds('0100018f-7c1e-4f6a-9d2b-000000000001-000000', 'eu-west-1'), new Date().toISOString());
    const res = await inbound(
      mime({
        from: customer,
        subject: 'Re: parcel',
        messageId: `s-${uniq()}@mail.example.com`,
        inReplyTo: '0100018f-7c1e-4f6a-9d2b-000000000001-000000@eu-west-1.amazonses.com',
        text: 'Answering the SES copy.',
      }),
    );
    expect(res.json).toMatchObject({ outcome: 'threaded', ticketId });
  });

  it('the customer’s answer sent by SMTP to the support address lands on the ticket too', async () => {
    const smtp = createTransport({ host: '127.0.0.1', port: stack.mail!.port, secure: false });
    try {
      await smtp.sendMail({
        from: customer,
        to: 'support@mail.kefu.local',
        subject: 'Re: parcel',
        text: '包裹收到了，谢谢！',
        messageId: `<b-${uniq()}@mail.example.com>`,
        inReplyTo: `<${ourId}>`,
        references: `<${first}> <${ourId}>`,
      });
    } finally {
      smtp.close();
    }
    // The SMTP server answers only after /email/inbound did: the message is there now.
    expect(await visitorTexts(ticketId)).toContain('包裹收到了，谢谢！');
    expect(stack.mail!.messages().some((m) => m.envelope.to.includes('support@mail.kefu.local'))).toBe(false);
  });
});

describe('refusals, retries and campaign rows', () => {
  it('an out-of-office reply opens no ticket and adds nothing to the thread (no auto-reply loop)', async () => {
    const customer = `away.${uniq()}@example.com`;
    const { ticketId } = await ticketWithReply(customer, '您好，我们正在处理。');
    await runSender();
    const ourId = String((await emailsOf(ticketId))[0]!.headers['Message-ID']).slice(1, -1);
    const before = await visitorTexts(ticketId);
    const res = await inbound(
      [
        `From: ${customer}`,
        'To: support@demo.example',
        'Subject: 自动回复：Re: parcel',
        `Message-ID: <ooo-${uniq()}@mail.example.com>`,
        `In-Reply-To: <${ourId}>`,
        'Auto-Submitted: auto-replied',
        'Content-Type: text/plain; charset=utf-8',
        '',
        '我正在休假，12 月 10 日回来。',
        '',
      ].join('\r\n'),
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ outcome: 'auto_reply' });
    expect(res.json.ticketId).toBeUndefined();
    expect(await visitorTexts(ticketId)).toEqual(before);
  });

  it('a bounce puts the address on the suppression list: the next reply to it is not sent, and says why', async () => {
    const gone = `gone.${uniq()}@example.com`;
    const { ticketId: deadTicket } = await ticketWithReply(gone, '您好，已收到。');
    const bounce = [
      'From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>',
      'To: support@mail.kefu.local',
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <dsn-${uniq()}@mx.example.net>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Your message could not be delivered.',
      '',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.net',
      '',
      `Final-Recipient: rfc822; ${gone}`,
      'Action: failed',
      'Status: 5.1.1',
      '',
      '--b1--',
      '',
    ].join('\r\n');
    const res = await inbound(bounce);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ outcome: 'bounce', suppressed: [gone] });
    await runSender();
    const [row] = await emailsOf(deadTicket);
    expect(row).toMatchObject({ status: 'failed', to: gone });
    expect(String(row!.lastError)).toContain('suppression list');
    expect(stack.mail!.messages().some((m) => m.envelope.to.includes(gone))).toBe(false);
  });

  it('a 550 fails the email at once with the server’s words', async () => {
    const { ticketId } = await ticketWithReply(`bounce.${uniq()}@example.com`, 'We are on it.');
    await runSender();
    const [row] = await emailsOf(ticketId);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row!.lastError).toMatch(/^smtp 550: .*mailbox does not exist/);
  });

  it('a 451 is retried after a pause; the last allowed attempt fails it', async () => {
    const { ticketId } = await ticketWithReply(`tempfail.${uniq()}@example.com`, 'Checking now.');
    await runSender();
    const [first] = await emailsOf(ticketId);
    expect(first).toMatchObject({ status: 'pending', attempts: 1 });
    expect(first!.lastError).toMatch(/^smtp 451/);
    expect(Date.parse(first!.nextAttemptAt) - Date.parse(first!.lastAttemptAt)).toBe(60_000);
    await runSender(); // not due yet
    expect((await emailsOf(ticketId))[0]).toMatchObject({ status: 'pending', attempts: 1 });

    process.env.KEFU_EMAIL_MAX_ATTEMPTS = '2';
    process.env.KEFU_CLOCK_OFFSET_MS = String(2 * 60_000);
    resetConfig();
    try {
      await runSender();
    } finally {
      delete process.env.KEFU_EMAIL_MAX_ATTEMPTS;
      delete process.env.KEFU_CLOCK_OFFSET_MS;
      resetConfig();
    }
    const [last] = await emailsOf(ticketId);
    expect(last).toMatchObject({ status: 'failed', attempts: 2 });
    expect(last!.lastError).toMatch(/^smtp 451/);
    expect(last!.nextAttemptAt).toBeUndefined();
  });

  it('a campaign email written without a due key is enrolled and sent with its List-Unsubscribe headers', async () => {
    const id = `cmp-${uniq()}`;
    const at = new Date().toISOString();
    await stack.db.send(
      new PutCommand({
        TableName: 'Kefu',
        Item: {
          ...keys.emailOutbox(id),
          ...keys.emailOutboxPending(at, id),
          messageId: id,
          kind: 'marketing',
          campaignId: 'cmp_test',
          contactId: 'con_test',
          to: `member.${uniq()}@example.com`,
          lang: 'zh',
          subject: '会员专享',
          text: '本周会员加赠 100 积分。',
          html: '<div lang="zh-CN">本周会员加赠 100 积分。</div>',
          headers: { 'List-Unsubscribe': '<https://shop.example/u?t=1>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
          status: 'pending',
          createdAt: at,
        },
      }),
    );
    await runSender();
    const row = (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: keys.emailOutbox(id), ConsistentRead: true }))).Item!;
    expect(row).toMatchObject({ status: 'sent', attempts: 1, gsi1pk: 'EMAILOUT#PENDING' });
    expect(row.gsi2pk).toBeUndefined();
    const [mail] = captured(`${id}@mail.kefu.local`);
    const parsed = await simpleParser(mail!.raw);
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail!.raw.toString()).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  });

  it('the mailbox pages list what was sent and show its source', async () => {
    const list = await fetch(stack.urls.mail!);
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain('会员专享');
    const last = stack.mail!.messages().at(-1)!;
    const one = await fetch(`${stack.urls.mail}${last.id}`);
    expect(one.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await one.text()).toContain('Message-ID');
    const raw = await fetch(`${stack.urls.mail}${last.id}.eml`);
    expect(Buffer.from(await raw.arrayBuffer()).equals(last.raw)).toBe(true);
    expect((await fetch(`${stack.urls.mail}999999`)).status).toBe(404);
  });
});
