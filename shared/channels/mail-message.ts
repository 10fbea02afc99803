/**
 * One outbox email as it goes on the wire: RFC 5322 / MIME built once (nodemailer's MailComposer),
 * so SMTP and SES send the same bytes. multipart/alternative text + HTML (the HTML is the text,
 * escaped, when the row has none), the row's threading and list headers, and headers that keep
 * auto-responders quiet.
 */
import MailComposer from 'nodemailer/lib/mail-composer';

/** What the sender needs of an outbox row (`EMAILOUT#{id}`), whatever wrote it (ticket reply, campaign). */
export interface OutboxEmail {
  /** The outbox id (`tkr-…`, `cmp-…`). */
  messageId: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  lang?: string;
  /** Wire headers chosen by the writer (Message-ID, In-Reply-To, References, List-Unsubscribe…). */
  headers?: Record<string, string>;
}

/** A message ready for a transport. */
export interface ComposedEmail {
  raw: Buffer;
  /** SMTP envelope / SES addresses. */
  from: string;
  to: string[];
  /** The Message-ID on the wire, without angle brackets. */
  messageId: string;
}

/** A row that can never be sent as it is (retrying would not help). */
export class UnsendableEmail extends Error {
  override readonly name = 'UnsendableEmail';
}

/** Headers the composer sets from its own fields (a row's copy of them is used through those fields). */
const OWN = new Set(['message-id', 'in-reply-to', 'references', 'from', 'to', 'cc', 'bcc', 'subject', 'date', 'mime-version', 'content-type']);
const HEADER_NAME = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;
const ADDRESS = /^[^\s@<>(),;:"[\]\\]{1,64}@[A-Za-z0-9.-]{1,253}$/;

/** The bare address of a From value (`Name <a@b>` → `a@b`). */
export function bareAddress(from: string): string {
  const angled = /<([^<>]+)>\s*$/.exec(from);
  return (angled ? angled[1]! : from).trim();
}

/** True for one plain address (what a row's `to` must be). */
export function isAddress(value: string): boolean {
  return ADDRESS.test(value) && !/\.\./.test(value);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The HTML part of a text-only email: the text escaped, line breaks kept, in the email's language. */
export function textToHtml(text: string, lang: string | undefined): string {
  const tag = lang === 'en' ? 'en' : lang === 'zh' || lang === 'zh-CN' ? 'zh-CN' : undefined;
  return `<div${tag ? ` lang="${tag}"` : ''} style="white-space:normal">${escapeHtml(text).replace(/\r?\n/g, '<br>')}</div>`;
}

function angled(id: string): string {
  const bare = id.trim().replace(/^<|>$/g, '');
  return `<${bare}>`;
}

/**
 * Builds the raw MIME of an outbox row. The Message-ID is the row's own (ticket replies: the one
 * their thread recorded, so the customer's answer threads back) or `<{outbox id}@{mailDomain}>`.
 * Throws UnsendableEmail when the recipient is not one plain address.
 */
export async function composeEmail(row: OutboxEmail, opts: { from: string; mailDomain: string; now: Date }): Promise<ComposedEmail> {
  const to = row.to.trim().toLowerCase();
  if (!isAddress(to)) throw new UnsendableEmail('recipient is not a single valid address');
  const from = bareAddress(opts.from);
  if (!isAddress(from)) throw new UnsendableEmail('KEFU_EMAIL_FROM is not a valid address');
  const given = Object.fromEntries(Object.entries(row.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const messageId = angled(given['message-id'] ?? `${row.messageId}@${opts.mailDomain}`);
  const extra: Record<string, string> = {};
  for (const [name, value] of Object.entries(row.headers ?? {})) {
    if (OWN.has(name.toLowerCase()) || !HEADER_NAME.test(name) || /[\r\n]/.test(String(value))) continue;
    extra[name] = String(value);
  }
  // Out-of-office and other robots should not answer Kefu's mail (RFC 3834; Exchange's own header).
  extra['X-Auto-Response-Suppress'] ??= 'OOF, AutoReply';
  if (row.kind !== 'ticket_reply') extra['Auto-Submitted'] ??= 'auto-generated';
  const composer = new MailComposer({
    from: opts.from,
    to,
    subject: row.subject.replace(/[\r\n]+/g, ' '),
    text: row.text,
    html: row.html ?? textToHtml(row.text, row.lang),
    messageId,
    ...(given['in-reply-to'] ? { inReplyTo: given['in-reply-to'] } : {}),
    ...(given.references ? { references: given.references } : {}),
    date: opts.now,
    headers: extra,
  });
  const raw = await composer.compile().build();
  return { raw, from, to: [to], messageId: messageId.slice(1, -1) };
}
