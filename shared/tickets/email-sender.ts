/**
 * The email sender: drains the due outbox rows (ticket replies and campaign emails alike) through
 * one transport. Each attempt is claimed by a conditional write before a byte goes out, so two
 * runs, a redelivered trigger or a retried invocation send a row once; a transient failure is
 * tried again after a growing pause, a permanent one (or the last attempt) ends `failed` with the
 * error. A run that dies between the claim and its record leaves a lease that ends after
 * LEASE_SECONDS: the row is then tried again with the same Message-ID (docs/channels.md).
 */
import { randomUUID } from 'node:crypto';
import { type ComposedEmail, composeEmail, type OutboxEmail, UnsendableEmail } from '#shared/channels/mail-message.ts';
import { MailSendError, type MailTransport } from '#shared/channels/mail-transport.ts';
import type { DueEmail } from './email-sender-store.ts';

/** Attempts before a row is given up, unless KEFU_EMAIL_MAX_ATTEMPTS says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 8;
/** How long a claim holds a row (longer than the sender's function timeout). */
export const LEASE_SECONDS = 300;
/** Longest pause between two attempts. */
export const MAX_RETRY_DELAY_SECONDS = 3600;

/** The pause after attempt `n` (1-based) failed transiently: 1, 2, 4 … minutes, at most an hour. */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(MAX_RETRY_DELAY_SECONDS, 60 * 2 ** Math.max(0, attempt - 1));
}

export interface SenderPorts {
  now(): Date;
  due(now: Date, limit: number): Promise<DueEmail[]>;
  claim(due: DueEmail, token: string, now: Date, leaseUntil: Date): Promise<Record<string, unknown> | undefined>;
  sent(messageId: string, token: string, at: Date, via: string, providerId: string | undefined): Promise<boolean>;
  retry(messageId: string, token: string, error: string, nextAt: Date): Promise<boolean>;
  failed(messageId: string, token: string, error: string, at: Date): Promise<boolean>;
  /**
   * Records Message-IDs a provider gave the sent email in place of ours (SES does), so the
   * customer's answer, which refers to them, threads back onto the ticket.
   */
  alias(ticketId: string, messageIds: string[], at: Date): Promise<void>;
  /** When the address is on the suppression list (it bounced for good), since when. */
  suppressedSince(address: string): Promise<string | undefined>;
  /** The Message-IDs SES puts on a message it accepted with this id (its region's domain). */
  providerMessageIds(providerId: string): string[];
  transport: MailTransport;
  from: string;
  mailDomain: string;
  maxAttempts: number;
}

export type SendResult = 'sent' | 'retry' | 'failed' | 'skipped';

function asOutbox(row: Record<string, unknown>): OutboxEmail {
  return {
    messageId: String(row.messageId),
    kind: String(row.kind ?? ''),
    to: String(row.to ?? ''),
    subject: String(row.subject ?? ''),
    text: String(row.text ?? ''),
    ...(typeof row.html === 'string' ? { html: row.html } : {}),
    ...(typeof row.lang === 'string' ? { lang: row.lang } : {}),
    ...(row.headers && typeof row.headers === 'object' ? { headers: row.headers as Record<string, string> } : {}),
  };
}

/** One due row: claim, compose, send, record. `skipped` when another run holds (or finished) it. */
export async function sendDue(due: DueEmail, ports: SenderPorts): Promise<SendResult> {
  const now = ports.now();
  const token = randomUUID();
  const row = await ports.claim(due, token, now, new Date(now.getTime() + LEASE_SECONDS * 1000));
  if (!row) return 'skipped';
  const attempts = Number(row.attempts ?? 1);
  let composed: ComposedEmail;
  try {
    composed = await composeEmail(asOutbox(row), { from: ports.from, mailDomain: ports.mailDomain, now });
  } catch (error) {
    const reason = error instanceof UnsendableEmail ? error.message : `cannot compose: ${(error as Error).message}`.slice(0, 300);
    await ports.failed(due.messageId, token, reason, ports.now());
    return 'failed';
  }
  const suppressed = (await Promise.all(composed.to.map(async (to) => ({ to, since: await ports.suppressedSince(to) })))).find((r) => r.since);
  if (suppressed?.since) {
    const reason = `not sent: ${suppressed.to} is on the suppression list (mail to it bounced on ${suppressed.since.slice(0, 10)})`;
    await ports.failed(due.messageId, token, reason, ports.now());
    return 'failed';
  }
  try {
    const res = await ports.transport.send(composed);
    const at = ports.now();
    if (ports.transport.kind === 'ses' && res.providerId && typeof row.ticketId === 'string') {
      await ports.alias(row.ticketId, ports.providerMessageIds(res.providerId), at);
    }
    await ports.sent(due.messageId, token, at, ports.transport.kind, res.providerId);
    return 'sent';
  } catch (error) {
    const failure = error instanceof MailSendError ? error : new MailSendError(String((error as Error).message).slice(0, 300), false, 'error');
    const at = ports.now();
    if (failure.permanent || attempts >= ports.maxAttempts) {
      await ports.failed(due.messageId, token, failure.message, at);
      return 'failed';
    }
    // The pause counts from the attempt's start (its `lastAttemptAt`).
    await ports.retry(due.messageId, token, failure.message, new Date(now.getTime() + retryDelaySeconds(attempts) * 1000));
    return 'retry';
  }
}

export interface DrainSummary {
  sent: number;
  retry: number;
  failed: number;
  skipped: number;
}

/**
 * Sends due rows until none is left or `timeLeftMs()` drops under `reserveMs`, `concurrency` at a
 * time. A row that stays due (its claim was lost) is not read twice in one run.
 */
export async function drainOutbox(
  ports: SenderPorts,
  opts: { timeLeftMs: () => number; reserveMs?: number; concurrency?: number; page?: number },
): Promise<DrainSummary> {
  const summary: DrainSummary = { sent: 0, retry: 0, failed: 0, skipped: 0 };
  const seen = new Set<string>();
  const reserve = opts.reserveMs ?? 15_000;
  const concurrency = Math.max(1, opts.concurrency ?? 3);
  while (opts.timeLeftMs() > reserve) {
    const page = (await ports.due(ports.now(), opts.page ?? 50)).filter((d) => !seen.has(`${d.messageId}|${d.dueSk}`));
    if (page.length === 0) break;
    for (const d of page) seen.add(`${d.messageId}|${d.dueSk}`);
    const queue = [...page];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        if (opts.timeLeftMs() <= reserve) return;
        summary[await sendDue(next, ports)]++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  }
  return summary;
}
