import { describe, expect, it } from 'vitest';
import { type MergeContact, type MergePorts, mergeContacts } from '#shared/members/merge.ts';

function world(contacts: MergeContact[]) {
  const byId = new Map(contacts.map((c) => [c.contactId, { ...c }]));
  const convOwner = new Map([
    ['cnv1', 'anon'],
    ['cnv2', 'anon'],
    ['cnv3', 'shopper'],
  ]);
  const ticketOwner = new Map([['t1', 'anon']]);
  const redirects = new Map<string, string>();
  let failMoves = 0;
  const ports: MergePorts = {
    contact: async (id) => byId.get(id),
    conversations: async (id) => [...convOwner].filter(([, o]) => o === id).map(([conversationId]) => ({ conversationId })),
    tickets: async (id) => [...ticketOwner].filter(([, o]) => o === id).map(([ticketId]) => ({ ticketId })),
    markMerged: async (from, into) => {
      redirects.set(from.contactId, into);
      byId.get(from.contactId)!.mergedInto = into;
    },
    moveConversation: async (id, from, into) => {
      if (failMoves > 0) {
        failMoves--;
        throw new Error('throttled');
      }
      if (convOwner.get(id) !== from) return false;
      convOwner.set(id, into);
      return true;
    },
    moveTicket: async (id, from, into) => (ticketOwner.get(id) === from ? (ticketOwner.set(id, into), true) : false),
  };
  return { ports, convOwner, ticketOwner, redirects, failAfter: (n: number) => (failMoves = n) };
}

const anon: MergeContact = { contactId: 'anon', verified: false };
const shopper: MergeContact = { contactId: 'shopper', verified: true, shopUserId: 'u1' };
const now = new Date('2026-03-01T00:00:00Z');

describe('contact merge', () => {
  it('moves conversations and tickets and leaves a redirect', async () => {
    const w = world([anon, shopper]);
    expect(await mergeContacts('anon', 'shopper', w.ports, now)).toEqual({ conversations: 2, tickets: 1 });
    expect([...w.convOwner.values()]).toEqual(['shopper', 'shopper', 'shopper']);
    expect(w.ticketOwner.get('t1')).toBe('shopper');
    expect(w.redirects.get('anon')).toBe('shopper');
  });

  it('is resumable: a failed run is finished by the next one', async () => {
    const w = world([anon, shopper]);
    w.failAfter(1);
    await expect(mergeContacts('anon', 'shopper', w.ports, now)).rejects.toThrow('throttled');
    expect(w.redirects.get('anon')).toBe('shopper');
    expect(await mergeContacts('anon', 'shopper', w.ports, now)).toEqual({ conversations: 2, tickets: 1 });
  });

  it('refuses self-merges, merged targets, re-targeting and merging a verified shop customer away', async () => {
    const w = world([anon, shopper, { contactId: 'gone', verified: false, mergedInto: 'shopper' }, { contactId: 'other', verified: false }]);
    await expect(mergeContacts('anon', 'anon', w.ports, now)).rejects.toMatchObject({ status: 409 });
    await expect(mergeContacts('anon', 'gone', w.ports, now)).rejects.toMatchObject({ status: 409 });
    await expect(mergeContacts('gone', 'other', w.ports, now)).rejects.toMatchObject({ status: 409 });
    await expect(mergeContacts('shopper', 'anon', w.ports, now)).rejects.toMatchObject({ status: 409 });
    await expect(mergeContacts('nobody', 'anon', w.ports, now)).rejects.toMatchObject({ status: 404 });
  });
});
