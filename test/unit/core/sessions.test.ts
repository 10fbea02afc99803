import { describe, expect, it } from 'vitest';
import type { VisitorCaller } from '#shared/auth/caller.ts';
import { resolveSession, type SessionPorts } from '#shared/domain/sessions.ts';
import type { Contact } from '#shared/store/contacts.ts';

function fakes(tokens: Record<string, VisitorCaller> = {}) {
  const contacts = new Map<string, Contact>();
  const byUser = new Map<string, string>();
  let n = 0;
  const ports: SessionPorts = {
    now: () => new Date('2026-11-26T00:00:00Z'),
    newId: (p) => `${p}_${++n}`,
    verifyIdentity: (id, hmac) => hmac === `ok-${id}`,
    resume: async (t) => (t ? tokens[t] : undefined),
    getContact: async (id) => contacts.get(id),
    findContactByShopUser: async (id) => byUser.get(id),
    createContact: async (c) => {
      if (c.shopUserId && byUser.has(c.shopUserId)) return 'exists';
      contacts.set(c.contactId, c);
      if (c.shopUserId) byUser.set(c.shopUserId, c.contactId);
      return 'created';
    },
  };
  return { ports, contacts };
}

describe('resolveSession', () => {
  it('creates an anonymous contact for a new visitor', async () => {
    const { ports } = fakes();
    const out = await resolveSession({ shopId: 'demo' }, ports);
    expect(out.verified).toBe(false);
    expect(out.contact.verified).toBe(false);
  });
  it('keeps a resumed anonymous visitor on the same contact and session', async () => {
    const { ports } = fakes();
    const first = await resolveSession({ shopId: 'demo' }, ports);
    const tokens = { t1: { kind: 'visitor' as const, contactId: first.contact.contactId, shopId: 'demo', sessionId: first.sessionId, verified: false } };
    ports.resume = async (t) => (t ? tokens[t as 't1'] : undefined);
    const again = await resolveSession({ shopId: 'demo', resumeToken: 't1' }, ports);
    expect(again.contact.contactId).toBe(first.contact.contactId);
    expect(again.sessionId).toBe(first.sessionId);
  });
  it('links a verified shopper to one contact across devices and reports the replaced visitor', async () => {
    const { ports } = fakes();
    const a = await resolveSession({ shopId: 'demo', user: { id: 'u1', hmac: 'ok-u1', name: 'Li' } }, ports);
    const b = await resolveSession({ shopId: 'demo', user: { id: 'u1', hmac: 'ok-u1' } }, ports);
    expect(a.verified).toBe(true);
    expect(b.contact.contactId).toBe(a.contact.contactId);
    expect(a.contact.name).toBe('Li');
  });
  it('keeps a visitor with a wrong HMAC anonymous', async () => {
    const { ports } = fakes();
    const out = await resolveSession({ shopId: 'demo', user: { id: 'u1', hmac: 'forged' } }, ports);
    expect(out.verified).toBe(false);
    expect(out.contact.shopUserId).toBeUndefined();
  });
  it('ignores a resume token from another shop', async () => {
    const { ports } = fakes({ t: { kind: 'visitor', contactId: 'con_x', shopId: 'other', sessionId: 'ses_x', verified: false } });
    const out = await resolveSession({ shopId: 'demo', resumeToken: 't' }, ports);
    expect(out.contact.contactId).not.toBe('con_x');
  });
});
