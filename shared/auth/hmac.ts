import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 as lowercase hex. */
export function hmacHex(secret: string, data: string): string {
  return createHmac('sha256', secret).update(data, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests (false on any length or format mismatch). */
export function safeEqualHex(expected: string, given: string | undefined): boolean {
  if (!given || given.length !== expected.length || !/^[0-9a-f]+$/i.test(given)) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given.toLowerCase(), 'hex'));
}

/**
 * Identity verification (like Intercom/Chatwoot): the shop's backend computes
 * HMAC-SHA256(identitySecret, shopUserId) and the widget passes it along.
 */
export function verifyIdentity(identitySecret: string, shopUserId: string, hmac: string | undefined): boolean {
  return safeEqualHex(hmacHex(identitySecret, shopUserId), hmac);
}

export const SIGNATURE_WINDOW_SECONDS = 300;

/**
 * Shop-backend request signing: HMAC-SHA256(webhookSecret, `${timestamp}.${rawBody}`) with a
 * five-minute replay window. Returns the reason when the signature is refused.
 */
export function checkShopSignature(
  secret: string,
  timestamp: string | undefined,
  signature: string | undefined,
  rawBody: string,
  now: Date,
): 'ok' | 'missing' | 'stale' | 'mismatch' {
  if (!timestamp || !signature) return 'missing';
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(now.getTime() / 1000 - ts) > SIGNATURE_WINDOW_SECONDS) return 'stale';
  return safeEqualHex(hmacHex(secret, `${timestamp}.${rawBody}`), signature.replace(/^sha256=/, '')) ? 'ok' : 'mismatch';
}
