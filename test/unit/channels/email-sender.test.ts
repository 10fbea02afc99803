/**
 * The sender's rules on fake ports (an in-memory outbox with the table's claim semantics, a
 * scripted transport, a clock the test moves): sent once, transient failures retried after a
 * growing pause until the last attempt, permanent failures final at once, a lost claim sends
 * nothing, a lapsed lease is taken over.
 */
import { describe, expect, it } from 'vitest';
import { MailSendError, type MailTransport } from '#shared/channels/mail-transport.ts';
import { drainOutbox, LEASE_SECONDS, retryDelaySeconds, type SenderPorts, sendDue } from '#shared/tickets/email-sender.ts';
import type { DueEmail } from '#shared/tickets/email-sender-store.ts';

type Row = Record<string, unknown> & { messageId: string; status: string; dueAt?: string; leaseUntil?: string; claimToken?: string; attempts?: number };

function world(outcomes: (MailSendError | 'ok')[], maxAttempts = 3, kind: 'smtp' | 'ses' = 'smtp') {
  let clock = new Date('2026-11-26T00:00:00.000Z');
  const rows = new Map<string, Row>();
  const wire: string[] = [];
  const aliases: { ticketId: string; ids: string[] }[] = [];
  const suppressed = new Map<string, string>();
  const transport: MailTransport = {
    kind,
    async send(mail) {
      const next = outcomes.shift() ?? 'ok';
      if (next !== 'ok') throw next;
      wire.push(mail.raw.toString());
      return { providerId: `250 ok ${wire.length}` };
    },
    close() {},
  };
  const sk = (r: Row) => `${r.dueAt}#${r.messageId}`;
  const finish = (id: string, token: string, patch: Partial<Row>) => {
    const r = rows.get(id);
    if (!r || r.claimToken !== token) return Promise.resolve(false);
    delete r.leaseUntil;
    delete r.claimToken;
    Object.assign(r, patch);
    return Promise.resolve(true);
  };
  const ports: SenderPorts = {
    now: () => clock,
    async due(now, limit) {
      return [...rows.values()]
        .filter((r) => r.dueAt && r.dueAt <= now.toISOString())
        .sort((a, b) => sk(a).localeCompare(sk(b)))
        .slice(0, limit)
        .map((r) => ({ messageId: r.messageId, dueSk: sk(r) }));
    },
    async claim(due, token, now, lease) {
      const r = rows.get(due.messageId);
      if (!r?.dueAt || sk(r) !== due.dueSk || r.status !== 'pending' || (r.leaseUntil && r.leaseUntil > now.toISOString())) return undefined;
      Object.assign(r, { leaseUntil: lease.toISOString(), claimToken: token, attempts: (r.attempts ?? 0) + 1, dueAt: lease.toISOString() });
      return { ...r };
    },
    sent: (id, token, at, via, providerId) => finish(id, token, { status: 'sent', sentAt: at.toISOString(), via, providerId, dueAt: undefined }),
    retry: (id, token, error, next) => finish(id, token, { lastError: error, nextAttemptAt: next.toISOString(), dueAt: next.toISOString() }),
    failed: (id, token, error, at) => finish(id, token, { status: 'failed', lastError: error, failedAt: at.toISOString(), dueAt: undefined }),
    alias: async (ticketId, ids) => void aliases.push({ ticketId, ids }),
    providerMessageIds: (id) => [`${id}@email.amazonses.com`],
    suppressedSince: async (address) => suppressed.get(address),
    transport,
    from: 'support@mail.kefu.local',
    mailDomain: 'mail.kefu.local',
    maxAttempts,
  };
  const add = (id: string, to = 'wang@example.com') =>
    rows.set(id, {
      messageId: id,
      kind: 'ticket_reply',
      ticketId: 'tkt_1',
      to,
      subject: 'Re: x',
      text: 'hello',
      status: 'pending',
      dueAt: clock.toISOString(),
    });
  const run = () => drainOutbox(ports, { timeLeftMs: () => 60_000 });
  return {
    ports,
    rows,
    wire,
    aliases,
    suppressed,
    add,
    run,
    advance: (seconds: number) => {
      clock = new Date(clock.getTime() + seconds * 1000);
    },
  };
}

const transient = () => new MailSendError('smtp 451: busy', false, 'smtp_451');
const permanent = () => new MailSendError('smtp 550: no such user', true, 'smtp_550');

describe('email sender', () => {
  it('sends nothing to an address on the suppression list: the row fails with the reason, the wire stays empty', async () => {
    const w = world([]);
    w.suppressed.set('dead@example.com', '2026-11-20T08:00:00.000Z');
    w.add('tkr-dead', 'dead@example.com');
    w.add('tkr-live');
    expect(await w.run()).toMatchObject({ sent: 1, failed: 1 });
    expect(w.rows.get('tkr-dead')).toMatchObject({ status: 'failed', lastError: expect.stringContaining('suppression list') });
    expect(w.wire).toHaveLength(1);
    expect(w.wire[0]).not.toContain('dead@example.com');
  });

  it('sends a due email once: a second run and a stale index entry send nothing', async () => {
    const w = world([]);
    w.add('tkr-1');
    const staleEntry: DueEmail = { messageId: 'tkr-1', dueSk: `${w.rows.get('tkr-1')!.dueAt}#tkr-1` };
    expect(await w.run()).toMatchObject({ sent: 1, retry: 0, failed: 0 });
    expect(await w.run()).toMatchObject({ sent: 0 });
    expect(await sendDue(staleEntry, w.ports)).toBe('skipped');
    expect(w.wire).toHaveLength(1);
    expect(w.rows.get('tkr-1')).toMatchObject({ status: 'sent', attempts: 1, providerId: '250 ok 1', via: 'smtp' });
    expect(w.rows.get('tkr-1')!.claimToken).toBeUndefined();
  });

  it('two runs racing for the same row: one claim wins, one email goes out', async () => {
    const w = world([]);
    w.add('tkr-2');
    const due = (await w.ports.due(w.ports.now(), 10))[0]!;
    const results = await Promise.all([sendDue(due, w.ports), sendDue(due, w.ports)]);
    expect(results.sort()).toEqual(['sent', 'skipped']);
    expect(w.wire).toHaveLength(1);
  });

  it('transient failures wait 1, 2 … minutes; the last attempt fails the row with the last error', async () => {
    const w = world([transient(), transient(), new MailSendError('smtp ETIMEDOUT: timeout', false, 'ETIMEDOUT')], 3);
    w.add('tkr-3');
    expect(await w.run()).toMatchObject({ retry: 1 });
    const first = w.rows.get('tkr-3')!;
    expect(first).toMatchObject({ status: 'pending', attempts: 1, lastError: 'smtp 451: busy' });
    expect(Date.parse(String(first.nextAttemptAt)) - Date.parse(w.ports.now().toISOString())).toBe(60_000);
    expect(await w.run()).toMatchObject({ sent: 0, retry: 0 }); // not due yet
    w.advance(60);
    expect(await w.run()).toMatchObject({ retry: 1 });
    expect(Date.parse(String(w.rows.get('tkr-3')!.nextAttemptAt)) - w.ports.now().getTime()).toBe(120_000);
    w.advance(120);
    expect(await w.run()).toMatchObject({ failed: 1 });
    expect(w.rows.get('tkr-3')).toMatchObject({ status: 'failed', attempts: 3, lastError: 'smtp ETIMEDOUT: timeout' });
    w.advance(3600);
    expect(await w.run()).toMatchObject({ sent: 0, failed: 0, retry: 0 });
    expect(w.wire).toHaveLength(0);
  });

  it('a permanent refusal fails at once; an unsendable row fails without touching the transport', async () => {
    const w = world([permanent()]);
    w.add('tkr-4');
    w.add('tkr-5', 'not an address');
    expect(await w.run()).toMatchObject({ failed: 2 });
    expect(w.rows.get('tkr-4')).toMatchObject({ status: 'failed', attempts: 1, lastError: 'smtp 550: no such user' });
    expect(w.rows.get('tkr-5')).toMatchObject({ status: 'failed', lastError: 'recipient is not a single valid address' });
    expect(w.wire).toHaveLength(0);
  });

  it('a claim whose run died is taken over once its lease ends, as a new attempt', async () => {
    const w = world([]);
    w.add('tkr-6');
    const due = (await w.ports.due(w.ports.now(), 10))[0]!;
    expect(await w.ports.claim(due, 'dead-run', w.ports.now(), new Date(w.ports.now().getTime() + LEASE_SECONDS * 1000))).toBeDefined();
    expect(await w.run()).toMatchObject({ sent: 0 });
    w.advance(LEASE_SECONDS);
    expect(await w.run()).toMatchObject({ sent: 1 });
    expect(w.rows.get('tkr-6')).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await w.ports.sent('tkr-6', 'dead-run', w.ports.now(), 'smtp', undefined)).toBe(false);
  });

  it('SES replaces the Message-ID: the one it gives a ticket reply is recorded for threading (SMTP keeps ours)', async () => {
    const ses = world([], 3, 'ses');
    ses.add('tkr-7');
    expect(await ses.run()).toMatchObject({ sent: 1 });
    expect(ses.aliases).toEqual([{ ticketId: 'tkt_1', ids: ['250 ok 1@email.amazonses.com'] }]);
    const smtp = world([]);
    smtp.add('tkr-8');
    await smtp.run();
    expect(smtp.aliases).toEqual([]);
  });

  it('backoff doubles from a minute and stops growing at an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(retryDelaySeconds)).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
  });
});
