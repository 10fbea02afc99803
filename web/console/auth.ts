import { ApiError, requestJson } from '../lib/http.ts';
import type { AuthConfig, WebConfig } from '../lib/types.ts';

export interface StaffSession {
  idToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface StaffMe {
  sub: string;
  email: string;
  name: string;
  roles: string[];
  locale?: string;
}

/**
 * The staff session lives in sessionStorage (this tab only, gone when the tab closes), never in
 * localStorage where it would outlive the tab and be shared with every other tab; see docs/web.md.
 */
const TOKEN_KEY = 'kefu:console:session';

export type LoginFailure = 'credentials' | 'new-password' | 'locked' | 'other';

/** Why a sign-in failed, in terms the login page can translate. */
export class LoginError extends Error {
  readonly reason: LoginFailure;
  /** For `locked`: seconds until the account may try again, when the sign-in service says. */
  readonly retryAfterSeconds: number | undefined;
  constructor(reason: LoginFailure, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'LoginError';
    this.reason = reason;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Signs a staff member in: the local issuer's login route, or Cognito USER_PASSWORD_AUTH. */
export async function signIn(auth: AuthConfig, email: string, password: string): Promise<StaffSession> {
  if (auth.kind === 'local') {
    try {
      const result = await requestJson<{ idToken: string; expiresIn: number }>(auth.loginUrl, '', { body: { email, password } });
      return { idToken: result.idToken, expiresAt: Date.now() + result.expiresIn * 1000 };
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) {
        throw new LoginError('locked', err.message, err.retryAfterMs === undefined ? undefined : Math.ceil(err.retryAfterMs / 1000));
      }
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) throw new LoginError('credentials', err.message);
      throw new LoginError('other', err instanceof Error ? err.message : String(err));
    }
  }
  let response: Response;
  try {
    response = await fetch(`https://cognito-idp.${auth.region}.amazonaws.com/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
      body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: auth.clientId, AuthParameters: { USERNAME: email, PASSWORD: password } }),
    });
  } catch (err) {
    throw new LoginError('other', err instanceof Error ? err.message : String(err));
  }
  const data = (await response.json().catch(() => ({}))) as {
    AuthenticationResult?: { IdToken: string; ExpiresIn: number };
    ChallengeName?: string;
    __type?: string;
    message?: string;
  };
  if (data.AuthenticationResult) {
    return { idToken: data.AuthenticationResult.IdToken, expiresAt: Date.now() + data.AuthenticationResult.ExpiresIn * 1000 };
  }
  if (data.ChallengeName === 'NEW_PASSWORD_REQUIRED') throw new LoginError('new-password', data.ChallengeName);
  // Cognito's lockout after repeated wrong passwords: NotAuthorizedException "Password attempts exceeded".
  if (data.__type?.includes('NotAuthorized') && /attempts exceeded/i.test(data.message ?? '')) throw new LoginError('locked', data.message ?? '');
  if (data.__type?.includes('NotAuthorized') || data.__type?.includes('UserNotFound')) throw new LoginError('credentials', data.message ?? '');
  throw new LoginError('other', data.message ?? data.ChallengeName ?? `HTTP ${response.status}`);
}

/** The stored session when it is still valid for at least a minute. */
export function storedSession(): StaffSession | undefined {
  try {
    // Sessions kept by earlier versions in localStorage are dropped, not migrated.
    localStorage.removeItem(TOKEN_KEY);
    const raw = sessionStorage.getItem(TOKEN_KEY);
    if (!raw) return undefined;
    const session = JSON.parse(raw) as StaffSession;
    return session.expiresAt - Date.now() > 60_000 ? session : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps this tab's session (sessionStorage), or forgets it on sign-out. */
export function storeSession(session: StaffSession | undefined): void {
  try {
    if (session) sessionStorage.setItem(TOKEN_KEY, JSON.stringify(session));
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage disabled: the session lasts this page view */
  }
}

/** Staff API calls with the id token; `onUnauthorized` runs when the token is refused. */
export class StaffApi {
  readonly config: WebConfig;
  readonly session: StaffSession;
  private readonly onUnauthorized: () => void;

  constructor(config: WebConfig, session: StaffSession, onUnauthorized: () => void) {
    this.config = config;
    this.session = session;
    this.onUnauthorized = onUnauthorized;
  }

  /** GET without a body, POST with one. */
  call<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>(path, { body });
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>(path, { method: 'PUT', body });
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>(path, { method: 'PATCH', body });
  }

  /** DELETE; a 204 resolves to undefined. */
  delete<T = void>(path: string): Promise<T> {
    return this.request<T>(path, { method: 'DELETE' });
  }

  /** A non-JSON download (CSV) with the id token; resolves to the file and its suggested name. */
  async download(path: string): Promise<{ blob: Blob; filename: string | undefined }> {
    let response: Response;
    try {
      response = await fetch(this.config.apiUrl.replace(/\/$/, '') + path, { headers: { authorization: `Bearer ${this.session.idToken}` } });
    } catch (err) {
      throw new ApiError(0, 'network', err instanceof Error ? err.message : 'network error');
    }
    if (!response.ok) {
      if (response.status === 401) this.onUnauthorized();
      const body = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
      throw new ApiError(response.status, body.error ?? `http_${response.status}`, body.message ?? response.statusText);
    }
    const disposition = response.headers.get('content-disposition') ?? '';
    return { blob: await response.blob(), filename: /filename="([^"]+)"/.exec(disposition)?.[1] };
  }

  private async request<T>(path: string, options: { method?: 'PUT' | 'PATCH' | 'DELETE'; body?: unknown }): Promise<T> {
    try {
      return await requestJson<T>(this.config.apiUrl, path, { ...options, token: this.session.idToken, lang: document.documentElement.lang });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) this.onUnauthorized();
      throw err;
    }
  }

  socketUrl(): string {
    const url = new URL(this.config.wsUrl);
    url.searchParams.set('staffToken', this.session.idToken);
    return url.href;
  }
}
