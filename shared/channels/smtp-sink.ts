/**
 * The local stack's mail server (`smtp-server`, in-process, 127.0.0.1 only): it speaks real SMTP
 * to Kefu's sender and keeps what arrives in memory, as MailHog does, so `npm start` shows the
 * emails Kefu sent and tests read them. Mail for the shop's support address is handed to the
 * inbound pipeline instead (`onInbound`). Two kinds of test address answer like a real server
 * would: a local part starting with `bounce` is refused for good (550), one starting with
 * `tempfail` for now (451). No TLS, no authentication: it never leaves the machine.
 */
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

/** One message the server accepted. */
export interface CapturedMail {
  id: number;
  receivedAt: string;
  envelope: { from: string; to: string[] };
  raw: Buffer;
}

export interface SmtpSinkOptions {
  /** 0 = any free port. */
  port?: number;
  /** True for a recipient whose mail goes to the inbound pipeline, not the mailbox. */
  isInbound?: (address: string) => boolean;
  /** Receives inbound mail; a throw answers the client 451 (it may try again), or 554 when it carries `responseCode: 554`. */
  onInbound?: (raw: Buffer, envelope: { from: string; to: string[] }) => Promise<void>;
  /** Messages kept (oldest dropped first). Default 1000. */
  keep?: number;
}

export interface SmtpSink {
  port: number;
  /** Captured messages, oldest first. */
  messages(): readonly CapturedMail[];
  message(id: number): CapturedMail | undefined;
  clear(): void;
  stop(): Promise<void>;
}

/** Largest message accepted (bytes). */
export const SINK_MAX_BYTES = 10 * 1024 * 1024;

function refusal(address: string): { code: number; text: string } | undefined {
  const local = address.split('@')[0]?.toLowerCase() ?? '';
  if (local.startsWith('bounce')) return { code: 550, text: '5.1.1 mailbox does not exist (local test address)' };
  if (local.startsWith('tempfail')) return { code: 451, text: '4.3.0 mailbox busy, try again later (local test address)' };
  return undefined;
}

const smtpError = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

/** Starts the server on 127.0.0.1. */
export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const captured: CapturedMail[] = [];
  const keep = opts.keep ?? 1000;
  let next = 1;
  const server = new SMTPServer({
    name: 'kefu-local-smtp',
    banner: 'Kefu local mail server',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: SINK_MAX_BYTES,
    logger: false,
    closeTimeout: 1000,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const refused = refusal(address.address);
      callback(refused ? smtpError(refused.code, refused.text) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(smtpError(552, '5.3.4 message too big'));
        const raw = Buffer.concat(chunks);
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const to = session.envelope.rcptTo.map((r) => r.address);
        const inbound = to.filter((a) => opts.isInbound?.(a));
        const mailbox = to.filter((a) => !opts.isInbound?.(a));
        const deliver = async () => {
          if (inbound.length > 0 && opts.onInbound) await opts.onInbound(raw, { from, to: inbound });
          if (mailbox.length > 0) {
            captured.push({ id: next++, receivedAt: new Date().toISOString(), envelope: { from, to: mailbox }, raw });
            if (captured.length > keep) captured.splice(0, captured.length - keep);
          }
        };
        deliver().then(
          () => callback(null, 'queued'),
          (error: unknown) => {
            const code = (error as { responseCode?: number }).responseCode;
            callback(
              smtpError(code === 554 ? 554 : 451, `${code === 554 ? '5.6.0' : '4.3.0'} inbound delivery failed: ${(error as Error).message}`.slice(0, 200)),
            );
          },
        );
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  return {
    port,
    messages: () => captured,
    message: (id) => captured.find((m) => m.id === id),
    clear: () => void captured.splice(0),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
