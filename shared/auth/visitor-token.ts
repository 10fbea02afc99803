import { jwtVerify, SignJWT } from 'jose';
import type { VisitorCaller } from '#shared/auth/caller.ts';
import { getSessionKey } from '#shared/auth/secrets.ts';

const ISSUER = 'kefu-widget';
export const VISITOR_SESSION_SECONDS = 30 * 24 * 3600;

/** Signs a widget session bound to one contact id (HS256 with the platform session key); the contact may not be stored yet. */
export async function signVisitorToken(visitor: Omit<VisitorCaller, 'kind'>, now = new Date(), ttlSeconds = VISITOR_SESSION_SECONDS): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ shop: visitor.shopId, sid: visitor.sessionId, ver: visitor.verified, ...(visitor.locale ? { loc: visitor.locale } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(visitor.contactId)
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(await getSessionKey());
}

/** Verifies a widget session token; returns undefined for missing, expired or tampered tokens. */
export async function verifyVisitorToken(token: string | undefined): Promise<VisitorCaller | undefined> {
  if (!token) return undefined;
  const key = await getSessionKey({ create: false });
  if (!key) return undefined;
  try {
    const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'] });
    if (typeof payload.sub !== 'string' || typeof payload.shop !== 'string' || typeof payload.sid !== 'string') {
      return undefined;
    }
    return {
      kind: 'visitor',
      contactId: payload.sub,
      shopId: payload.shop,
      sessionId: payload.sid,
      verified: payload.ver === true,
      ...(payload.loc === 'zh-CN' || payload.loc === 'en' ? { locale: payload.loc } : {}),
    };
  } catch {
    return undefined;
  }
}
