import type { StaffRole } from '#infra/manifest.ts';
import { STAFF_ROLES } from '#infra/manifest.ts';

/** Who is making a request, as every handler sees it after authentication. */
export type Caller =
  | { kind: 'public' }
  | {
      kind: 'visitor';
      contactId: string;
      shopId: string;
      sessionId: string;
      verified: boolean;
      /** The widget's language at sign-on: an anonymous contact is written with it on the first message. */
      locale?: 'zh-CN' | 'en';
    }
  | { kind: 'staff'; sub: string; email: string; name: string; roles: StaffRole[] }
  | { kind: 'shop'; shopId: string };

export type StaffCaller = Extract<Caller, { kind: 'staff' }>;
export type VisitorCaller = Extract<Caller, { kind: 'visitor' }>;

/**
 * Cognito groups arrive as an array in a verified token but as the string "[agent admin]"
 * in the HTTP API JWT authorizer's claims; accept both and keep only known roles.
 */
export function parseGroups(claim: unknown): StaffRole[] {
  const raw = Array.isArray(claim) ? claim.map(String) : typeof claim === 'string' ? claim.replace(/^\[|\]$/g, '').split(/[\s,]+/) : [];
  return STAFF_ROLES.filter((role) => raw.includes(role));
}

/** A staff caller from JWT claims (Cognito-shaped, from either the authorizer or a verified token). */
export function staffFromClaims(claims: Record<string, unknown>): StaffCaller {
  return {
    kind: 'staff',
    sub: String(claims.sub ?? ''),
    email: String(claims.email ?? ''),
    name: String(claims.name ?? claims['cognito:username'] ?? claims.email ?? ''),
    roles: parseGroups(claims['cognito:groups']),
  };
}

/** True when the staff member holds at least one of the roles. */
export function hasRole(caller: StaffCaller, roles: readonly StaffRole[]): boolean {
  return caller.roles.some((role) => roles.includes(role));
}
