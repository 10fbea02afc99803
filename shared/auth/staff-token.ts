import { createRemoteJWKSet, type JWTVerifyOptions, jwtVerify } from 'jose';
import { type StaffCaller, staffFromClaims } from '#shared/auth/caller.ts';
import { required } from '#shared/config.ts';

let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

/** Clock skew allowed between the token's issuer and this machine. */
export const STAFF_TOKEN_SKEW_SECONDS = 60;

/**
 * The time rules of a staff id token, as the API Gateway JWT authorizer applies them: `exp` and
 * `iat` must be present, `exp` not past and `iat` not ahead of the clock (both beyond a small
 * skew), and no token is older than Cognito's longest id-token lifetime (one day). Used by the
 * local authorizer (infra/local/issuer.ts) and the WebSocket $connect alike.
 */
export function staffTokenTimeRules(): Pick<JWTVerifyOptions, 'requiredClaims' | 'clockTolerance' | 'maxTokenAge'> {
  return { requiredClaims: ['exp', 'iat'], clockTolerance: STAFF_TOKEN_SKEW_SECONDS, maxTokenAge: '1d' };
}

/**
 * Verifies a staff token where no API Gateway authorizer stands in front (the WebSocket
 * $connect). Cognito and the local issuer both publish keys at `${issuer}/.well-known/jwks.json`.
 */
export async function verifyStaffToken(token: string | undefined): Promise<StaffCaller | undefined> {
  if (!token) return undefined;
  const issuer = required('STAFF_ISSUER');
  jwks ??= createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
  try {
    const { payload } = await jwtVerify(token, jwks, { issuer, audience: required('STAFF_AUDIENCE'), ...staffTokenTimeRules() });
    if (payload.token_use !== 'id') return undefined;
    return staffFromClaims(payload as Record<string, unknown>);
  } catch {
    return undefined;
  }
}
