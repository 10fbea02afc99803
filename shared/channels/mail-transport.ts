/**
 * Where outbound email goes: SMTP (nodemailer, any relay or the local stack's SMTP server) or
 * Amazon SES (SESv2 `SendEmail` with the raw MIME, so both send the same bytes). A failure says
 * whether trying again can help (`permanent`), which decides between a retry and `failed`.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { createTransport } from 'nodemailer';
import { type Config, config } from '#shared/config.ts';

/** A transport's answer to one message. */
export interface MailSent {
  /** The provider's id (SES MessageId; SMTP: the server's queue reply). */
  providerId?: string;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'ses';
  send(mail: { raw: Buffer; from: string; to: string[] }): Promise<MailSent>;
  /** Releases pooled connections (end of a sender run). */
  close(): void;
}

/** A failed send: `permanent` when the same message would be refused again. */
export class MailSendError extends Error {
  override readonly name = 'MailSendError';
  readonly permanent: boolean;
  readonly code: string;
  constructor(message: string, permanent: boolean, code: string) {
    super(message);
    this.permanent = permanent;
    this.code = code;
  }
}

const clip = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 300);

/**
 * An SMTP failure judged by RFC 5321: a 5yz reply is permanent (503, a command out of sequence,
 * is not about the message); 4yz, connection and timeout errors are transient. Authentication
 * failures are configuration, not the message: transient, so fixed credentials still deliver.
 */
export function classifySmtpError(error: unknown): MailSendError {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string };
  const code = e.code ?? 'ESMTP';
  if (code === 'EAUTH') return new MailSendError(`smtp authentication failed: ${clip(e.response ?? e.message ?? '')}`, false, code);
  if (typeof e.responseCode === 'number') {
    const permanent = e.responseCode >= 500 && e.responseCode < 600 && e.responseCode !== 503;
    return new MailSendError(`smtp ${e.responseCode}: ${clip(e.response ?? e.message ?? '')}`, permanent, `smtp_${e.responseCode}`);
  }
  if (code === 'EENVELOPE') return new MailSendError(`smtp envelope refused: ${clip(e.message ?? '')}`, true, code);
  return new MailSendError(`smtp ${code}: ${clip(e.message ?? 'connection failed')}`, false, code);
}

/** SES errors that the same request would get again (the message or identity is wrong). */
const SES_PERMANENT = new Set(['MessageRejected', 'MailFromDomainNotVerifiedException', 'BadRequestException', 'NotFoundException']);

/** An SES failure: rejected message or unverified identity are permanent; throttling, limits, outages transient. */
export function classifySesError(error: unknown): MailSendError {
  const e = error as { name?: string; message?: string };
  const name = e.name ?? 'Error';
  return new MailSendError(`ses ${name}: ${clip(e.message ?? '')}`, SES_PERMANENT.has(name), `ses_${name}`);
}

export interface SmtpOptions {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
}

/** SMTP through nodemailer, a small pool per sender run (closed by `close`). */
export function smtpTransport(opts: SmtpOptions): MailTransport {
  const transporter = createTransport({
    pool: true,
    maxConnections: 3,
    host: opts.host,
    port: opts.port,
    secure: opts.secure,
    ...(opts.user ? { auth: { user: opts.user, pass: opts.password ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    kind: 'smtp',
    async send(mail) {
      try {
        const info = await transporter.sendMail({ envelope: { from: mail.from, to: mail.to }, raw: mail.raw });
        if (info.rejected.length > 0) throw Object.assign(new Error('recipient rejected'), { code: 'EENVELOPE' });
        return { providerId: clip(String(info.response ?? '')) };
      } catch (error) {
        throw error instanceof MailSendError ? error : classifySmtpError(error);
      }
    },
    close: () => transporter.close(),
  };
}

/** Amazon SES v2: `SendEmail` with `Content.Raw` (our MIME, headers included), in a configuration set when one is named. */
export function sesTransport(client: SESv2Client, configurationSet?: string): MailTransport {
  return {
    kind: 'ses',
    async send(mail) {
      try {
        const res = await client.send(
          new SendEmailCommand({
            FromEmailAddress: mail.from,
            Destination: { ToAddresses: mail.to },
            Content: { Raw: { Data: mail.raw } },
            ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
          }),
        );
        return res.MessageId ? { providerId: res.MessageId } : {};
      } catch (error) {
        throw classifySesError(error);
      }
    },
    close: () => {},
  };
}

/** Which transport the configuration asks for (see KEFU_EMAIL_TRANSPORT), `none` when nothing is set up. */
export function transportKind(cfg: Config = config()): 'smtp' | 'ses' | 'none' {
  if (cfg.KEFU_EMAIL_TRANSPORT) return cfg.KEFU_EMAIL_TRANSPORT;
  if (cfg.KEFU_SMTP_HOST) return 'smtp';
  // In AWS, SES once a verified From is configured (without one every send would be refused).
  if (process.env.AWS_LAMBDA_FUNCTION_NAME && cfg.KEFU_STAGE !== 'local' && cfg.KEFU_EMAIL_FROM) return 'ses';
  return 'none';
}

let ses: SESv2Client | undefined;

/** The transport of this configuration, or undefined (`none`, or SMTP without a host: emails stay pending). */
export function transportFromConfig(cfg: Config = config()): MailTransport | undefined {
  const kind = transportKind(cfg);
  if (kind === 'ses') {
    ses ??= new SESv2Client({});
    return sesTransport(ses, cfg.KEFU_SES_CONFIGURATION_SET);
  }
  if (kind === 'smtp' && cfg.KEFU_SMTP_HOST) {
    const port = Number(cfg.KEFU_SMTP_PORT ?? (cfg.KEFU_SMTP_SECURE === 'true' ? 465 : 587));
    return smtpTransport({
      host: cfg.KEFU_SMTP_HOST,
      port,
      secure: cfg.KEFU_SMTP_SECURE === 'true',
      ...(cfg.KEFU_SMTP_USER ? { user: cfg.KEFU_SMTP_USER } : {}),
      ...(cfg.KEFU_SMTP_PASSWORD ? { password: cfg.KEFU_SMTP_PASSWORD } : {}),
    });
  }
  return undefined;
}

/**
 * The Message-IDs SES gives a message it accepted as `providerId`: SES replaces the Message-ID
 * header with `<{MessageId}@email.amazonses.com>` in us-east-1 and `@{region}.amazonses.com`
 * elsewhere (both are recorded: an unused one costs one item).
 */
export function sesMessageIds(providerId: string, region = process.env.AWS_REGION ?? 'us-east-1'): string[] {
  return [...new Set([`${providerId}@email.amazonses.com`, `${providerId}@${region}.amazonses.com`])];
}
