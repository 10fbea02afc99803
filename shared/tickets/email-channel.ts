/**
 * Inbound email as a ticket channel: an email opens a ticket or threads onto one (idempotent on
 * Message-ID); replies go out through email-reply.ts. The HTTP route
 * (`POST /email/inbound`) calls `receiveEmail`; in AWS an SES receipt rule (S3 action + Lambda)
 * would hand the stored raw MIME to the same function.
 */
import { createHash } from 'node:crypto';
import { announce } from '#shared/chat/service.ts';
import { badRequest } from '#shared/http/errors.ts';
import { appendMessageWithRetry, getConversation } from '#shared/store/conversations.ts';
import { decideThread, type InboundEmail, type KnownTicket, parseEmail, threadCandidates, ticketSubject } from './email.ts';
import { claimMailId, getMailClaim, lookupMailIds, type MailClaim, recordInbound, suppressAddress } from './email-store.ts';
import { resolveRequester } from './intake.ts';
import type { Ticket } from './model.ts';
import { CommitConflict, type TicketPorts } from './ports.ts';
import { createTicket, recordThreadMessage } from './service.ts';

/** What an inbound email did (`bounce` and `auto_reply`: nothing, beyond suppressing a bounced address). */
export type IntakeOutcome = 'created' | 'threaded' | 'duplicate' | 'bounce' | 'auto_reply';

/** The answer of `POST /email/inbound`. */
export interface IntakeResult {
  outcome: IntakeOutcome;
  /** The ticket opened or threaded onto (none for automated mail). */
  ticketId?: string;
  /** Addresses a bounce put on the suppression list. */
  suppressed?: string[];
  messageId: string;
  /** Attachments are not imported: listed by name and size (also in the thread message). */
  attachments: InboundEmail['attachments'];
}

function kb(size: number): string {
  return size < 1024 ? `${size} B` : `${Math.round(size / 1024)} KB`;
}

/** The thread message of an email: its text plus a bilingual note naming attachments that were not imported. */
export function messageText(email: Pick<InboundEmail, 'text' | 'attachments'>): string {
  const list = email.attachments.map((a) => `${a.filename} (${kb(a.size)})`).join(', ');
  const note = list ? `\n\n[附件未导入 / Attachments not imported: ${list}]` : '';
  return `${email.text || '(空邮件 / empty email)'}${note}`;
}

function guardId(messageId: string): string {
  return `mail-${createHash('sha256').update(messageId).digest('base64url').slice(0, 40)}`;
}

async function known(ports: TicketPorts, email: InboundEmail, shopId: string): Promise<{ ids: Map<string, KnownTicket>; tickets: Map<string, KnownTicket> }> {
  const claims = await lookupMailIds(threadCandidates(email).slice(0, 50));
  const view = (t: Ticket): KnownTicket => ({
    ticketId: t.ticketId,
    status: t.status,
    ...(t.requester.email ? { requesterEmail: t.requester.email } : {}),
    ...(t.mergedInto ? { mergedInto: t.mergedInto } : {}),
  });
  const tickets = new Map<string, KnownTicket>();
  const load = async (ids: string[]) => {
    for (const state of await Promise.all(ids.filter((id) => !tickets.has(id)).map((id) => ports.store.get(id)))) {
      if (state && state.ticket.shopId === shopId) tickets.set(state.ticket.ticketId, view(state.ticket));
    }
  };
  await load([...new Set(claims.values())]);
  await load([...tickets.values()].flatMap((t) => (t.mergedInto ? [t.mergedInto] : [])));
  const ids = new Map<string, KnownTicket>();
  for (const [messageId, ticketId] of claims) {
    const t = tickets.get(ticketId);
    if (t) ids.set(messageId, t);
  }
  return { ids, tickets };
}

async function openTicket(ports: TicketPorts, email: InboundEmail, claim: MailClaim, shopId: string): Promise<IntakeOutcome> {
  if (await ports.store.get(claim.ticketId)) return 'duplicate';
  const { shopId: shop, requester } = await resolveRequester(
    { email: email.from.address, ...(email.from.name ? { name: email.from.name } : {}) },
    shopId,
    ports.now(),
  );
  try {
    await createTicket(
      ports,
      { ticketId: claim.ticketId, shopId: shop, channel: 'email', subject: ticketSubject(email), text: messageText(email), requester },
      { kind: 'visitor', ...(email.from.name ? { name: email.from.name } : {}) },
    );
  } catch (error) {
    if (error instanceof CommitConflict && error.reason === 'exists') return 'duplicate';
    throw error;
  }
  await recordInbound(claim.ticketId, email.messageId);
  return 'created';
}

async function threadOnto(ports: TicketPorts, email: InboundEmail, claim: MailClaim): Promise<IntakeOutcome> {
  const state = await ports.store.get(claim.ticketId);
  const conversation = state ? await getConversation(state.ticket.conversationId) : undefined;
  if (!state || !conversation) throw new Error('email claim points at a ticket without a thread');
  const now = ports.now();
  const result = await appendMessageWithRetry(conversation, (c) => ({
    messageId: ports.ids('msg'),
    conversationId: c.conversationId,
    clientMessageId: guardId(email.messageId),
    author: { kind: 'visitor', ...(email.from.name ? { name: email.from.name } : {}) },
    text: messageText(email),
    internal: false,
    createdAt: now.toISOString(),
  }));
  if (result.created) await announce(result.conversation, result.message);
  await recordThreadMessage(ports, result.conversation, result.message);
  await recordInbound(claim.ticketId, email.messageId);
  return result.created ? 'threaded' : 'duplicate';
}

async function resume(ports: TicketPorts, email: InboundEmail, claim: MailClaim, shopId: string): Promise<IntakeOutcome> {
  if (claim.role === 'opened') return openTicket(ports, email, claim, shopId);
  if (claim.role === 'reply') return threadOnto(ports, email, claim);
  return 'duplicate';
}

/**
 * Turns one raw email into ticket work: a new ticket (requester found or created by the From
 * address), or a message on the ticket its In-Reply-To / References point to. The Message-ID is
 * claimed first, so the same email delivered twice (or concurrently) yields one message; a retry
 * after a crash resumes the claimed decision. An email without a Message-ID gets one derived from
 * its bytes.
 */
export async function receiveEmail(ports: TicketPorts, raw: Buffer, shopId: string): Promise<IntakeResult> {
  const parsed = await parseEmail(raw);
  if (!parsed.from) throw badRequest({ en: 'the email has no From address; it cannot become a ticket', zh: '该邮件没有发件人（From）地址，无法生成工单' });
  const email: InboundEmail = {
    ...parsed,
    from: parsed.from,
    messageId: parsed.messageId ?? `sha256-${createHash('sha256').update(raw).digest('hex').slice(0, 40)}@kefu.invalid`,
  };
  const done = (outcome: IntakeOutcome, ticketId: string): IntakeResult => ({ outcome, ticketId, messageId: email.messageId, attachments: email.attachments });
  // Mail no person wrote opens no ticket and gets no answer (no auto-reply loops); a bounce puts
  // the failed address on the suppression list, so the sender stops mailing it.
  if (parsed.automated) {
    const suppressed = parsed.bounced ?? [];
    const at = ports.now().toISOString();
    await Promise.all(suppressed.map((address) => suppressAddress({ address, reason: 'bounce', at, source: email.messageId })));
    return { outcome: parsed.automated, messageId: email.messageId, attachments: email.attachments, ...(suppressed.length ? { suppressed } : {}) };
  }
  const existing = await getMailClaim(email.messageId);
  if (existing) return done(await resume(ports, email, existing, shopId), existing.ticketId);
  const { ids, tickets } = await known(ports, email, shopId);
  const decision = decideThread(email, ids, tickets);
  const claim: MailClaim =
    decision.kind === 'reply'
      ? { messageId: email.messageId, ticketId: decision.ticketId, role: 'reply' }
      : { messageId: email.messageId, ticketId: ports.ids('tkt'), role: 'opened' };
  const won = await claimMailId(claim, ports.now().toISOString());
  const final = won ? claim : await getMailClaim(email.messageId);
  if (!final) throw new Error('email claim vanished');
  return done(await resume(ports, email, final, shopId), final.ticketId);
}
