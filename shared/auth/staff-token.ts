import { createRemoteJWKSet, jwtVerify } from 'jose';
import { required } from '#shared/config.ts';
import { staffFromClaims, type StaffCaller } from '#shared/auth/caller.ts';

let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

/**
 * Verifies a staff token where no API Gateway authorizer stands in front (the WebSocket
 * $connect). Cognito and the local issuer both publish keys at `${issuer}/.well-known/jwks.json`.
 */
export async function verifyStaffToken(token: string | undefined): Promise<StaffCaller | undefined> {
  if (!token) return undefined;
  const issuer = required('STAFF_ISSUER');
  jwks ??= createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
  try {
    const { payload } = await jwtVerify(token, jwks, { issuer, audience: required('STAFF_AUDIENCE') });
    if (payload.token_use !== 'id') return undefined;
    return staffFromClaims(payload as Record<string, unknown>);
  } catch {
    return undefined;
  }
}
