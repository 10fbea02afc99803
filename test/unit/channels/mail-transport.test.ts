/**
 * The email wire format and both transports: MIME composed once (threading and list headers,
 * text + HTML), SMTP over a real socket to the local SMTP server (acceptance, a 550 that is final,
 * a 451 and a refused connection that are not), and SESv2 SendEmail with the raw bytes.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeEmail, isAddress, type OutboxEmail, textToHtml, UnsendableEmail } from '#shared/channels/mail-message.ts';
import {
  classifySesError,
  classifySmtpError,
  MailSendError,
  sesMessageIds,
  sesTransport,
  smtpTransport,
  transportKind,
} from '#shared/channels/mail-transport.ts';
import { type SmtpSink, startSmtpSink } from '#shared/channels/smtp-sink.ts';
import type { Config } from '#shared/config.ts';

const reply: OutboxEmail = {
  messageId: 'tkr-msg_1',
  kind: 'ticket_reply',
  to: 'Wang.Fang@Example.com',
  subject: 'Re: 退款没有到账',
  text: '您好，\n退款已重新发起 <today> & 3–5 天到账。',
  headers: { 'Message-ID': '<msg_1.tkt_1@mail.kefu.local>', 'In-Reply-To': '<first@mail.example.com>', References: '<first@mail.example.com>' },
};
const now = new Date('2026-11-26T01:00:00.000Z');
const opts = { from: '小店客服 <support@mail.kefu.local>', mailDomain: 'mail.kefu.local', now };

describe('composeEmail', () => {
  it('keeps the row’s Message-ID and threading headers, sends text + escaped HTML, From with its name', async () => {
    const mail = await composeEmail(reply, opts);
    expect(mail).toMatchObject({ from: 'support@mail.kefu.local', to: ['wang.fang@example.com'], messageId: 'msg_1.tkt_1@mail.kefu.local' });
    const parsed = await simpleParser(mail.raw);
    expect(parsed.messageId).toBe('<msg_1.tkt_1@mail.kefu.local>');
    expect(parsed.inReplyTo).toBe('<first@mail.example.com>');
    expect(parsed.references).toBe('<first@mail.example.com>');
    expect(parsed.subject).toBe('Re: 退款没有到账');
    expect(parsed.from?.value[0]).toEqual({ address: 'support@mail.kefu.local', name: '小店客服' });
    expect(parsed.text?.trim()).toBe(reply.text);
    expect(parsed.html).toContain('&lt;today&gt; &amp; 3–5');
    expect(parsed.html).toContain('<br>');
    expect(parsed.headers.get('x-auto-response-suppress')).toBe('OOF, AutoReply');
    expect(parsed.headers.has('auto-submitted')).toBe(false);
    expect(parsed.date?.toISOString()).toBe(now.toISOString());
  });

  it('marketing: a Message-ID from the outbox id, List-Unsubscribe kept, Auto-Submitted, the row’s HTML', async () => {
    const mail = await composeEmail(
      {
        messageId: 'cmp-abc',
        kind: 'marketing',
        to: 'a@b.example',
        subject: 'Offer',
        text: 'Hi',
        html: '<p>Hi</p>',
        headers: {
          'List-Unsubscribe': '<https://x.example/u?t=1>',
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'Bad Header': 'x',
          'X-Evil': 'a\r\nBcc: c@d',
        },
      },
      opts,
    );
    const parsed = await simpleParser(mail.raw);
    expect(mail.messageId).toBe('cmp-abc@mail.kefu.local');
    const head = mail.raw.toString().split('\r\n\r\n')[0]!.split('\r\n');
    expect(head).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(head).toContain('List-Unsubscribe: <https://x.example/u?t=1>');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(parsed.html).toBe('<p>Hi</p>');
    expect(parsed.headers.has('x-evil')).toBe(false);
    expect(parsed.bcc).toBeUndefined();
  });

  it('refuses a recipient that is not one plain address, and a bad From', async () => {
    for (const to of ['', 'a@b.com, c@d.com', 'Name <a@b.com>', 'a@b.com\r\nBcc: x@y.com', 'no-at-sign'])
      await expect(composeEmail({ ...reply, to }, opts)).rejects.toBeInstanceOf(UnsendableEmail);
    await expect(composeEmail(reply, { ...opts, from: 'nobody' })).rejects.toBeInstanceOf(UnsendableEmail);
    expect(isAddress('wang@example.com')).toBe(true);
    expect(textToHtml('a\nb', 'en')).toBe('<div lang="en" style="white-space:normal">a<br>b</div>');
  });
});

describe('SMTP transport against the local SMTP server', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink.stop();
  });

  it('delivers the exact bytes with the envelope', async () => {
    const transport = smtpTransport({ host: '127.0.0.1', port: sink.port, secure: false });
    const mail = await composeEmail(reply, opts);
    try {
      const sent = await transport.send(mail);
      expect(sent.providerId).toMatch(/^250/);
    } finally {
      transport.close();
    }
    const got = sink.messages().at(-1)!;
    expect(got.envelope).toEqual({ from: 'support@mail.kefu.local', to: ['wang.fang@example.com'] });
    expect((await simpleParser(got.raw)).messageId).toBe('<msg_1.tkt_1@mail.kefu.local>');
  });

  it('a 550 is permanent, a 451 transient, a refused connection transient', async () => {
    const transport = smtpTransport({ host: '127.0.0.1', port: sink.port, secure: false });
    try {
      const bounce = await transport.send(await composeEmail({ ...reply, to: 'bounce@example.com' }, opts)).catch((e: unknown) => e);
      expect(bounce).toBeInstanceOf(MailSendError);
      expect(bounce).toMatchObject({ permanent: true, code: 'smtp_550' });
      const busy = await transport.send(await composeEmail({ ...reply, to: 'tempfail@example.com' }, opts)).catch((e: unknown) => e);
      expect(busy).toMatchObject({ permanent: false, code: 'smtp_451' });
    } finally {
      transport.close();
    }
    const closed = await startSmtpSink();
    const port = closed.port;
    await closed.stop();
    const nowhere = smtpTransport({ host: '127.0.0.1', port, secure: false });
    const refused = await nowhere.send(await composeEmail(reply, opts)).catch((e: unknown) => e);
    nowhere.close();
    expect(refused).toMatchObject({ permanent: false });
  });

  it('classifies SMTP replies by RFC 5321 (503 and auth failures are not the message’s fault)', () => {
    expect(classifySmtpError({ responseCode: 554, response: '554 no' }).permanent).toBe(true);
    expect(classifySmtpError({ responseCode: 503, response: '503 bad sequence' }).permanent).toBe(false);
    expect(classifySmtpError({ responseCode: 421 }).permanent).toBe(false);
    expect(classifySmtpError({ code: 'EAUTH', responseCode: 535 }).permanent).toBe(false);
    expect(classifySmtpError({ code: 'ETIMEDOUT' }).permanent).toBe(false);
  });
});

describe('SES transport (SESv2 SendEmail, raw content)', () => {
  const ses = mockClient(SESv2Client);
  afterAll(() => ses.restore());

  it('sends the raw MIME from the envelope address, in the configuration set', async () => {
    ses.reset();
    ses.on(SendEmailCommand).resolves({ MessageId: '0100018f-abc' });
    const mail = await composeEmail(reply, opts);
    const sent = await sesTransport(new SESv2Client({ region: 'us-east-1' }), 'kefu-events').send(mail);
    expect(sent.providerId).toBe('0100018f-abc');
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      FromEmailAddress: 'support@mail.kefu.local',
      Destination: { ToAddresses: ['wang.fang@example.com'] },
      ConfigurationSetName: 'kefu-events',
    });
    expect(Buffer.from(input.Content!.Raw!.Data!).equals(mail.raw)).toBe(true);
    expect(input.Content?.Simple).toBeUndefined();
  });

  it('a rejected message is permanent; throttling is not', async () => {
    ses.reset();
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }));
    const rejected = await sesTransport(new SESv2Client({ region: 'us-east-1' }))
      .send(await composeEmail(reply, opts))
      .catch((e: unknown) => e);
    expect(rejected).toMatchObject({ permanent: true, code: 'ses_MessageRejected' });
    expect(classifySesError({ name: 'TooManyRequestsException' }).permanent).toBe(false);
    expect(classifySesError({ name: 'SendingPausedException' }).permanent).toBe(false);
  });
});

describe('which transport', () => {
  const cfg = (extra: Partial<Config>) => ({ KEFU_STAGE: 'prod', queueUrls: {}, ...extra }) as Config;
  it('SMTP with a host, SES in Lambda only once a From is configured, else none', () => {
    const lambda = process.env.AWS_LAMBDA_FUNCTION_NAME;
    try {
      delete process.env.AWS_LAMBDA_FUNCTION_NAME;
      expect(transportKind(cfg({}))).toBe('none');
      expect(transportKind(cfg({ KEFU_SMTP_HOST: 'smtp.example.com' }))).toBe('smtp');
      process.env.AWS_LAMBDA_FUNCTION_NAME = 'kefu-email-sender';
      expect(transportKind(cfg({}))).toBe('none');
      expect(transportKind(cfg({ KEFU_EMAIL_FROM: 'support@shop.example' }))).toBe('ses');
      expect(transportKind(cfg({ KEFU_EMAIL_FROM: 'support@shop.example', KEFU_STAGE: 'local' }))).toBe('none');
      expect(transportKind(cfg({ KEFU_EMAIL_TRANSPORT: 'none', KEFU_EMAIL_FROM: 'support@shop.example' }))).toBe('none');
    } finally {
      if (lambda === undefined) delete process.env.AWS_LAMBDA_FUNCTION_NAME;
      else process.env.AWS_LAMBDA_FUNCTION_NAME = lambda;
    }
  });

  it('names the Message-IDs SES gives a message in its region', () => {
    expect(sesMessageIds('0100-abc', 'us-east-1')).toEqual(['0100-abc@email.amazonses.com', '0100-abc@us-east-1.amazonses.com']);
    expect(sesMessageIds('0100-abc', 'eu-west-1')).toEqual(['0100-abc@email.amazonses.com', '0100-abc@eu-west-1.amazonses.com']);
  });
});
