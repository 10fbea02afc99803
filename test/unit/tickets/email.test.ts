import { describe, expect, it } from 'vitest';
import {
  bodyText,
  decideThread,
  htmlToText,
  type KnownTicket,
  parseEmail,
  replyHeaders,
  replyReferences,
  replySubject,
  stripQuoted,
  threadCandidates,
  ticketSubject,
} from '#shared/tickets/email.ts';
import { messageText } from '#shared/tickets/email-channel.ts';

const T1: KnownTicket = { ticketId: 'tkt_1', status: 'open', requesterEmail: 'wang@example.com' };
const from = { address: 'wang@example.com' };

describe('email threading decisions', () => {
  it('prefers In-Reply-To, then References newest first, and never the message itself', () => {
    expect(threadCandidates({ messageId: 'c@x', inReplyTo: ['b@x'], references: ['a@x', 'b@x', 'c@x'] })).toEqual(['b@x', 'a@x']);
  });

  it('threads onto the referenced ticket when its requester wrote', () => {
    const d = decideThread({ messageId: 'n@x', inReplyTo: ['a@x'], references: [], from }, new Map([['a@x', T1]]), new Map());
    expect(d).toEqual({ kind: 'reply', ticketId: 'tkt_1' });
  });

  it('opens a new ticket when nothing is referenced, the ticket is closed, or a stranger quotes its Message-ID', () => {
    expect(decideThread({ messageId: 'n@x', inReplyTo: ['zzz@x'], references: [], from }, new Map([['a@x', T1]]), new Map())).toEqual({
      kind: 'new',
      reason: 'no_reference',
    });
    expect(decideThread({ messageId: 'n@x', inReplyTo: ['a@x'], references: [], from }, new Map([['a@x', { ...T1, status: 'closed' }]]), new Map())).toEqual({
      kind: 'new',
      reason: 'closed',
    });
    expect(
      decideThread({ messageId: 'n@x', inReplyTo: ['a@x'], references: [], from: { address: 'mallory@example.com' } }, new Map([['a@x', T1]]), new Map()),
    ).toEqual({ kind: 'new', reason: 'other_sender' });
  });

  it('follows a merged ticket to its target, and falls back to an older reference', () => {
    const merged: KnownTicket = { ...T1, ticketId: 'tkt_old', status: 'closed', mergedInto: 'tkt_1' };
    expect(decideThread({ messageId: 'n@x', inReplyTo: ['a@x'], references: [], from }, new Map([['a@x', merged]]), new Map([['tkt_1', T1]]))).toEqual({
      kind: 'reply',
      ticketId: 'tkt_1',
    });
    const closed = { ...T1, ticketId: 'tkt_2', status: 'closed' };
    expect(
      decideThread(
        { messageId: 'n@x', inReplyTo: ['b@x'], references: ['a@x', 'b@x'], from },
        new Map([
          ['b@x', closed],
          ['a@x', T1],
        ]),
        new Map(),
      ),
    ).toEqual({ kind: 'reply', ticketId: 'tkt_1' });
  });
});

describe('email bodies and headers', () => {
  it('reduces HTML to text and drops quoted history', () => {
    expect(htmlToText('<html><head><style>p{}</style></head><body><p>Hello &amp; 你好</p><p>Line&nbsp;2<br>three</p><script>x()</script></body></html>')).toBe(
      'Hello & 你好\nLine 2\nthree',
    );
    expect(stripQuoted('Still waiting.\n\nOn Tue, 24 Nov 2026 at 10:00, Kefu <support@shop.cn> wrote:\n> Your refund is on its way\n> thanks')).toBe(
      'Still waiting.',
    );
    expect(stripQuoted('还没收到\n\n在 2026年11月24日 写道：\n> 已退款')).toBe('还没收到');
    expect(bodyText({ text: '  ', html: '<b>bold</b> only' })).toBe('bold only');
  });

  it('builds Re: subjects without stacking, and References with the root kept', () => {
    expect(replySubject('Re: RE: Refund')).toBe('Re: Refund');
    expect(replySubject('回复：退款')).toBe('Re: 退款');
    expect(ticketSubject({ subject: 'Fwd: Where is my parcel', text: '' })).toBe('Where is my parcel');
    const ids = Array.from({ length: 30 }, (_, i) => `m${i}@x`);
    const refs = replyReferences([...ids, 'm0@x']);
    expect(refs).toHaveLength(20);
    expect(refs[0]).toBe('m0@x');
    expect(refs.at(-1)).toBe('m29@x');
    expect(replyHeaders('out@k', ['a@x', 'b@x'], 'b@x')).toEqual({ 'Message-ID': '<out@k>', 'In-Reply-To': '<b@x>', References: '<a@x> <b@x>' });
  });

  it('parses MIME: text/plain preferred over HTML, attachments listed by name and size only', async () => {
    const raw = [
      'From: "Wang Fang" <Wang@Example.com>',
      'To: support@shop.example',
      'Subject: =?UTF-8?B?6YCA5qy+?= refund',
      'Message-ID: <abc123@mail.example.com>',
      'In-Reply-To: <root@kefu>',
      'References: <root@kefu> <mid@kefu>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: multipart/alternative; boundary="b2"',
      '',
      '--b2',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Plain body',
      '--b2',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>HTML body</p>',
      '--b2--',
      '--b1',
      'Content-Type: application/pdf; name="invoice.pdf"',
      'Content-Disposition: attachment; filename="invoice.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('x'.repeat(2048)).toString('base64'),
      '--b1--',
      '',
    ].join('\r\n');
    const mail = await parseEmail(Buffer.from(raw));
    expect(mail.messageId).toBe('abc123@mail.example.com');
    expect(mail.from).toEqual({ address: 'wang@example.com', name: 'Wang Fang' });
    expect(mail.subject).toBe('退款 refund');
    expect(mail.inReplyTo).toEqual(['root@kefu']);
    expect(mail.references).toEqual(['root@kefu', 'mid@kefu']);
    expect(mail.text).toBe('Plain body');
    expect(mail.attachments).toEqual([{ filename: 'invoice.pdf', size: 2048, contentType: 'application/pdf' }]);
    expect(messageText({ text: mail.text, attachments: mail.attachments })).toBe('Plain body\n\n[附件未导入 / Attachments not imported: invoice.pdf (2 KB)]');
  });
});

const mime = (headers: string, body: string) => Buffer.from(`${headers.trim().replace(/\n/g, '\r\n')}\r\n\r\n${body.replace(/\n/g, '\r\n')}`);

describe('automated mail (no tickets, no answers, no loops)', () => {
  it('recognises an out-of-office reply by Auto-Submitted, X-Autoreply, Precedence or its subject, in Chinese too', async () => {
    const base = 'From: Wang <wang@example.com>\nTo: support@shop.example\nMessage-ID: <oo1@example.com>';
    expect((await parseEmail(mime(`${base}\nSubject: Re: your order\nAuto-Submitted: auto-replied`, 'I am away'))).automated).toBe('auto_reply');
    expect((await parseEmail(mime(`${base}\nSubject: Re: 订单\nX-Autoreply: yes`, '休假中'))).automated).toBe('auto_reply');
    expect((await parseEmail(mime(`${base}\nSubject: news\nPrecedence: bulk`, 'newsletter'))).automated).toBe('auto_reply');
    expect((await parseEmail(mime(`${base}\nSubject: 自动回复：关于您的订单`, '我正在休假'))).automated).toBe('auto_reply');
    expect((await parseEmail(mime(`${base}\nSubject: Out of Office: Re: refund`, 'back Monday'))).automated).toBe('auto_reply');
    // A person's mail, even one that says "Auto-Submitted: no" or mentions an auto reply in its body, is not.
    expect((await parseEmail(mime(`${base}\nSubject: 我的退款\nAuto-Submitted: no`, '你们的自动回复没解决我的问题'))).automated).toBeUndefined();
  });

  it('reads a delivery-status notification as a bounce and finds the recipients that failed for good', async () => {
    const dsn = `From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>
To: support@shop.example
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce1@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"`;
    const body = `--b1
Content-Type: text/plain; charset=utf-8

Your message could not be delivered.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; Gone@Example.com
Action: failed
Status: 5.1.1

Final-Recipient: rfc822; slow@example.com
Action: delayed
Status: 4.4.1

--b1--
`;
    const parsed = await parseEmail(mime(dsn, body));
    expect(parsed.automated).toBe('bounce');
    expect(parsed.bounced).toEqual(['gone@example.com']);
  });
});
