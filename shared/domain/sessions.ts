import type { Contact } from '#shared/store/contacts.ts';
import type { VisitorCaller } from '#shared/auth/caller.ts';

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
  contact: Contact;
  sessionId: string;
  /** A verified shopper, or an anonymous visitor (wrong or missing HMAC keeps one anonymous). */
  verified: boolean;
  /** The anonymous contact this session replaced when the visitor proved an identity. */
  previousContactId?: string;
}

/**
 * Decides which contact a widget session belongs to: a verified shopper's contact (created on the
 * first verified visit), the anonymous contact of a resumed session, or a fresh anonymous one.
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
    const previous = sameShop && sameShop.contactId !== contact.contactId ? sameShop.contactId : undefined;
    return { contact, sessionId, verified: true, previousContactId: previous };
  }

  if (sameShop && !sameShop.verified) {
    const contact = await ports.getContact(sameShop.contactId);
    if (contact) return { contact, sessionId, verified: false };
  }

  const contact: Contact = {
    contactId: ports.newId('con'),
    shopId: request.shopId,
    verified: false,
    locale: request.locale,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  await ports.createContact(contact);
  return { contact, sessionId, verified: false };
}
