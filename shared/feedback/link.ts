/**
 * Signed, expiring survey links: `/survey-links/{surveyId}?t={exp}.{sig}` where sig is
 * HMAC-SHA256(platform key, `survey-link:v1:{surveyId}:{exp}`) in base64url. Anyone holding the link
 * may answer that one survey until it expires, so the link carries no other identity.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { getSessionKey } from '#shared/auth/secrets.ts';

function sign(key: Uint8Array, surveyId: string, exp: number): string {
  return createHmac('sha256', key).update(`survey-link:v1:${surveyId}:${exp}`).digest('base64url');
}

/** The token of a survey link valid until `expiresAt`. */
export function linkToken(key: Uint8Array, surveyId: string, expiresAt: string): string {
  const exp = Math.floor(Date.parse(expiresAt) / 1000);
  return `${exp}.${sign(key, surveyId, exp)}`;
}

/** Whether a link token is genuine for this survey and not expired. */
export function checkLinkToken(key: Uint8Array, surveyId: string, token: string, now: Date): 'ok' | 'expired' | 'invalid' {
  const [expText, sig] = token.split('.');
  const exp = Number(expText);
  if (!Number.isInteger(exp) || !sig) return 'invalid';
  const expected = Buffer.from(sign(key, surveyId, exp));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
  return exp * 1000 > now.getTime() ? 'ok' : 'expired';
}

/** The relative URL of a survey's signed link (the apps prefix their API base URL). */
export async function surveyLinkPath(surveyId: string, expiresAt: string): Promise<string> {
  return `/survey-links/${surveyId}?t=${linkToken(await getSessionKey(), surveyId, expiresAt)}`;
}
