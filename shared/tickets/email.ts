/**
 * Email as a ticket channel, the pure part: MIME parsed into what a ticket needs (mailparser;
 * text/plain preferred, HTML reduced to text, attachments listed by name and size only — their
 * content is not stored), the threading decision (Message-ID / In-Reply-To / References) and the
 * shape of an outbound reply (Re: subject, In-Reply-To, References).
 */
import { type AddressObject, simpleParser } from 'mailparser';

// The reply side lives apart so the chat path can reach it without bundling mailparser.
export { MAX_REFERENCES, replyHeaders, replyReferences, replySubject } from './email-headers.ts';

/** Longest thread message kept from an email (the rest is cut with a marker). */
export const MAX_EMAIL_TEXT = 30_000;

/** What a ticket needs of a parsed email. */
export interface InboundEmail {
  messageId: string;
  inReplyTo: string[];
  references: string[];
  from: { address: string; name?: string };
  subject: string;
  text: string;
  attachments: { filename: string; size: number; contentType: string }[];
  date?: string;
}

/** `<abc@host>` → `abc@host`; undefined for anything that is not a plausible Message-ID. */
export function normalizeMessageId(raw: string | undefined): string | undefined {
  const id = raw?.trim().replace(/^<|>$/g, '').trim();
  return id && id.length <= 400 && /^[^\s<>]+$/.test(id) ? id : undefined;
}

function idList(raw: string | string[] | undefined): string[] {
  const parts = (Array.isArray(raw) ? raw : raw ? [raw] : []).flatMap((r) => r.match(/<[^<>]+>|[^\s<>,]+/g) ?? []);
  return [...new Set(parts.map(normalizeMessageId).filter((x): x is string => !!x))];
}

/** Crude but safe HTML → text: drops scripts/styles, keeps line breaks of block elements, decodes entities. */
export function htmlToText(html: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6]|blockquote)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|\w+);/gi, (all, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : all;
      }
      return entities[e.toLowerCase()] ?? all;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The new part of a reply: drops the quoted history a mail client appends (`> ` lines and the
 * "On … wrote:" / "在 … 写道：" line introducing them). Keeps everything when nothing would remain.
 */
export function stripQuoted(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const intro = /^(On .{3,200} wrote:|在.{2,200}写道[:：]?|-{2,}\s*(Original Message|原始邮件)\s*-{2,})\s*$/i;
  let cut = lines.findIndex((l, i) => intro.test(l.trim()) && lines.slice(i + 1).every((r) => r.trim() === '' || r.startsWith('>')));
  if (cut < 0) {
    let end = lines.length;
    while (end > 0 && (lines[end - 1]!.startsWith('>') || lines[end - 1]!.trim() === '')) end--;
    cut = lines.slice(end).some((l) => l.startsWith('>')) ? end : -1;
  }
  const kept = (cut >= 0 ? lines.slice(0, cut) : lines).join('\n').trim();
  return kept || text.trim();
}

/** The body a ticket keeps of an email: text/plain preferred, else the HTML as text; quotes dropped; capped. */
export function bodyText(parts: { text?: string; html?: string }): string {
  const plain = parts.text?.trim() ? parts.text : parts.html ? htmlToText(parts.html) : '';
  const text = stripQuoted(plain);
  return text.length > MAX_EMAIL_TEXT ? `${text.slice(0, MAX_EMAIL_TEXT)}\n…[truncated]` : text;
}

function firstAddress(from: AddressObject | AddressObject[] | undefined): { address: string; name?: string } | undefined {
  const list = (Array.isArray(from) ? from : from ? [from] : []).flatMap((a) => a.value);
  const first = list.find((a) => a.address);
  if (!first?.address) return undefined;
  return { address: first.address.toLowerCase(), ...(first.name ? { name: first.name.slice(0, 200) } : {}) };
}

/** Mail no person wrote: a delivery-status notification (bounce) or an automatic reply. */
export type AutomatedKind = 'bounce' | 'auto_reply';

/** Senders that only ever send delivery-status notifications. */
const BOUNCE_SENDER = /^(mailer-daemon|postmaster|mail-daemon)@/i;
/** Subjects of automatic replies (out of office, 自动回复), in the languages our shops' customers write. */
const AUTO_SUBJECT =
  /^\s*(auto(matic)?[ -]?(reply|response)|autoreply|out of (the )?office|abwesenheitsnotiz|自动回复|自動回覆|自动答复|休假自动回复)\b|^\s*(auto|自动回复)\s*[:：]/i;

/**
 * Whether an email is automated, from its headers (lower-case names) and sender, by the signals
 * RFC 3834 and the big providers use: `Auto-Submitted` other than `no`, `X-Autoreply` /
 * `X-Autorespond`, `Precedence: auto_reply|bulk|junk|list`, a `multipart/report` delivery status,
 * a MAILER-DAEMON sender, an out-of-office subject. An automated mail never opens a ticket and
 * never gets an answer: that is how two auto-responders end up in a loop.
 */
export function automatedKind(headers: ReadonlyMap<string, unknown>, from: string, subject: string): AutomatedKind | undefined {
  const header = (name: string) => {
    const v = headers.get(name);
    if (v === undefined || v === null) return '';
    if (typeof v === 'string') return v.toLowerCase();
    const value = (v as { value?: unknown }).value;
    return typeof value === 'string' ? `${value} ${JSON.stringify((v as { params?: unknown }).params ?? {})}`.toLowerCase() : String(v).toLowerCase();
  };
  const contentType = header('content-type');
  if (BOUNCE_SENDER.test(from) || (contentType.includes('multipart/report') && contentType.includes('delivery-status'))) return 'bounce';
  const autoSubmitted = header('auto-submitted');
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return 'auto_reply';
  if (header('x-autoreply') || header('x-autorespond') || header('x-auto-response-suppress').includes('all')) return 'auto_reply';
  if (/^(auto_reply|bulk|junk|list)\b/.test(header('precedence'))) return 'auto_reply';
  if (AUTO_SUBJECT.test(subject)) return 'auto_reply';
  return undefined;
}

/**
 * The recipients a delivery-status notification reports as failed (RFC 3464: a `Final-Recipient`
 * or `Original-Recipient` field with `Action: failed` in the same recipient block), lower-cased.
 */
export function failedRecipients(deliveryStatus: string): string[] {
  const out = new Set<string>();
  for (const block of deliveryStatus.replace(/\r\n/g, '\n').split(/\n\s*\n/)) {
    if (!/^action:\s*failed\b/im.test(block)) continue;
    const m = /^(?:final|original)-recipient:\s*(?:rfc822\s*;)?\s*<?([^\s<>;]+@[^\s<>;]+)>?/im.exec(block);
    if (m) out.add((m[1] as string).toLowerCase());
  }
  return [...out];
}

/** Parses raw MIME; undefined `messageId` or `from` means the email cannot become a ticket. */
export async function parseEmail(
  raw: Buffer,
): Promise<
  Partial<InboundEmail> &
    Pick<InboundEmail, 'inReplyTo' | 'references' | 'attachments' | 'subject' | 'text'> & { automated?: AutomatedKind; bounced?: string[] }
> {
  const mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  const messageId = normalizeMessageId(mail.messageId);
  const from = firstAddress(mail.from);
  const automated = automatedKind(mail.headers, from?.address ?? '', mail.subject ?? '');
  const status = mail.attachments.filter((a) => /^message\/(global-)?delivery-status$/i.test(a.contentType)).map((a) => a.content.toString('utf8'));
  const bounced = automated === 'bounce' ? failedRecipients([...status, mail.text ?? ''].join('\n\n')) : [];
  return {
    ...(automated ? { automated } : {}),
    ...(bounced.length ? { bounced } : {}),
    ...(messageId ? { messageId } : {}),
    ...(from ? { from } : {}),
    inReplyTo: idList(mail.inReplyTo),
    references: idList(mail.references),
    subject: (mail.subject ?? '').replace(/\s+/g, ' ').trim().slice(0, 200),
    text: bodyText({ ...(mail.text ? { text: mail.text } : {}), ...(typeof mail.html === 'string' ? { html: mail.html } : {}) }),
    attachments: mail.attachments.map((a) => ({ filename: (a.filename ?? 'attachment').slice(0, 200), size: a.size, contentType: a.contentType })),
    ...(mail.date ? { date: mail.date.toISOString() } : {}),
  };
}

/** Message-IDs an email refers to, most specific first: In-Reply-To, then References newest first. */
export function threadCandidates(email: Pick<InboundEmail, 'messageId' | 'inReplyTo' | 'references'>): string[] {
  return [...new Set([...email.inReplyTo, ...[...email.references].reverse()])].filter((id) => id !== email.messageId);
}

/** What threading needs to know of a referenced ticket. */
export interface KnownTicket {
  ticketId: string;
  status: string;
  requesterEmail?: string;
  mergedInto?: string;
}

/** Where an inbound email goes. */
export type ThreadDecision = { kind: 'reply'; ticketId: string } | { kind: 'new'; reason: 'no_reference' | 'closed' | 'other_sender' };

/**
 * Where an email goes: onto the first referenced ticket that is not closed and whose requester
 * sent it (someone else quoting a Message-ID gets their own ticket; a merged ticket redirects to
 * its target), else a new ticket. `known` maps a referenced Message-ID to its ticket.
 */
export function decideThread(
  email: Pick<InboundEmail, 'messageId' | 'inReplyTo' | 'references' | 'from'>,
  known: Map<string, KnownTicket>,
  tickets: Map<string, KnownTicket>,
): ThreadDecision {
  let reason: ThreadDecision & { kind: 'new' } = { kind: 'new', reason: 'no_reference' };
  for (const id of threadCandidates(email)) {
    const hit = known.get(id);
    if (!hit) continue;
    const ticket = hit.mergedInto ? (tickets.get(hit.mergedInto) ?? hit) : hit;
    if (ticket.requesterEmail && ticket.requesterEmail.toLowerCase() !== email.from.address.toLowerCase()) {
      reason = { kind: 'new', reason: 'other_sender' };
      continue;
    }
    if (ticket.status === 'closed') {
      reason = { kind: 'new', reason: 'closed' };
      continue;
    }
    return { kind: 'reply', ticketId: ticket.ticketId };
  }
  return reason;
}

/** A subject for a ticket opened by email (the subject line, else the first words of the body). */
export function ticketSubject(email: Pick<InboundEmail, 'subject' | 'text'>): string {
  const subject = email.subject.replace(/^\s*((re|fw|fwd|aw|回复|转发)\s*[:：]\s*)+/i, '').trim();
  if (subject) return subject.slice(0, 200);
  const words = email.text.replace(/\s+/g, ' ').trim().slice(0, 60);
  return words || '(no subject)';
}
