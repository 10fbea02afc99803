import type { VisitorCaller } from '#shared/auth/caller.ts';
import type { Contact } from '#shared/store/contacts.ts';

export interface SessionPorts {
  now: () => Date;
  newId: (prefix: string) => string;
  verifyIdentity: (shopUserId: string, hmac: string | undefined) => boolean;
  resume: (token: string | undefined) => Promise<VisitorCaller | undefined>;
  getContact: (contactId: string) => Promise<Contact | undefined>;
  findContactByShopUser: (shopUserId: string) => Promise<string | undefined>;
  createContact: (contact: Contact) => Promise<'created' | 'exists'>;
}

export interface SessionRequest {
  shopId: string;
  resumeToken?: string;
  user?: { id: string; hmac?: string; name?: string; email?: string };
  locale?: string;
}

export interface SessionOutcome {
  /** The session's contact; an anonymous one is not stored until the visitor needs it (see `visitorContact`). */
  contact: Contact;
  sessionId: string;
  /** A verified shopper, or an anonymous visitor (wrong or missing HMAC keeps one anonymous). */
  verified: boolean;
  /** The stored anonymous contact this session replaced when the visitor proved an identity (to merge). */
  previousContactId?: string;
  /** A new anonymous visitor (no session resumed, no identity proved): what the per-address limit counts. */
  newVisitor: boolean;
}

/** Per-address budgets of `POST /widget/session`: every call, and new anonymous visitors (the kind anyone can mint at will). */
export const SESSION_LIMITS = {
  calls: { name: 'widget sessions', max: 120, windowSeconds: 60 },
  newVisitors: { name: 'new anonymous widget visitors', max: 30, windowSeconds: 60 },
} as const;

/**
 * The bucket of a caller's address: an IPv4 address as it is, an IPv6 one by its /64 (one
 * subscriber usually holds a whole /64, so single addresses would be free to rotate).
 */
export function addressBucket(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip || 'unknown';
  const bare = ip.toLowerCase().split('%')[0]!;
  const [head = '', tail] = bare.includes('::') ? bare.split('::') : [bare, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * Decides which contact a widget session belongs to: a verified shopper's contact (created on the
 * first verified visit), the anonymous contact of a resumed session, or a fresh anonymous one.
 * Anonymous contacts are never written here: a session costs no storage until the visitor writes.
 */
export async function resolveSession(request: SessionRequest, ports: SessionPorts): Promise<SessionOutcome> {
  const resumed = await ports.resume(request.resumeToken);
  const sameShop = resumed && resumed.shopId === request.shopId ? resumed : undefined;
  const sessionId = sameShop?.sessionId ?? ports.newId('ses');
  const at = ports.now().toISOString();

  if (request.user && ports.verifyIdentity(request.user.id, request.user.hmac)) {
    const user = request.user;
    let contactId = await ports.findContactByShopUser(user.id);
    if (!contactId) {
      const contact: Contact = {
        contactId: ports.newId('con'),
        shopId: request.shopId,
        verified: true,
        shopUserId: user.id,
        name: user.name,
        email: user.email,
        locale: request.locale,
        createdAt: at,
        updatedAt: at,
        version: 1,
      };
      const outcome = await ports.createContact(contact);
      contactId = outcome === 'created' ? contact.contactId : await ports.findContactByShopUser(user.id);
    }
    const contact = contactId ? await ports.getContact(contactId) : undefined;
    if (!contact) throw new Error('verified contact vanished while resolving the session');
    const replaced = sameShop && sameShop.contactId !== contact.contactId ? await ports.getContact(sameShop.contactId) : undefined;
    return { contact, sessionId, verified: true, newVisitor: false, ...(replaced ? { previousContactId: replaced.contactId } : {}) };
  }

  const anonymous = (contactId: string): Contact => ({
    contactId,
    shopId: request.shopId,
    verified: false,
    ...(request.locale ? { locale: request.locale } : {}),
    createdAt: at,
    updatedAt: at,
    version: 1,
  });
  if (sameShop && !sameShop.verified) {
    const contact = await ports.getContact(sameShop.contactId);
    return { contact: contact ?? anonymous(sameShop.contactId), sessionId, verified: false, newVisitor: false };
  }
  return { contact: anonymous(ports.newId('con')), sessionId, verified: false, newVisitor: true };
}
