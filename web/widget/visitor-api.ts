import { loadConfig } from '../lib/config.ts';
import { ApiError, type RequestOptions, requestJson } from '../lib/http.ts';
import type { Locale } from '../lib/types.ts';
import { type KefuUser, sessionKey } from './bridge.ts';

export interface VisitorSession {
  token: string;
  expiresAt: string;
  contactId: string;
  verified: boolean;
  wsUrl: string;
}

export interface Endpoints {
  apiUrl: string;
  wsUrl: string;
}

/**
 * The widget's side of the visitor API: finds the endpoints (data attributes or config.json next
 * to the loader), keeps the session token in localStorage per shop so history survives reloads,
 * and renews the session once when the API answers 401.
 */
export class VisitorApi {
  readonly shopId: string;
  private readonly scriptUrl: string;
  private readonly explicit: Partial<Endpoints>;
  private endpoints: Promise<Endpoints> | undefined;
  private current: VisitorSession | undefined;
  private pendingSession: Promise<VisitorSession> | undefined;
  user: KefuUser | null = null;
  locale: Locale = 'en';

  constructor(shopId: string, scriptUrl: string, explicit: Partial<Endpoints>) {
    this.shopId = shopId;
    this.scriptUrl = scriptUrl;
    this.explicit = explicit;
  }

  /** apiUrl/wsUrl from the script tag's data attributes, else from config.json beside /widget/. */
  resolveEndpoints(): Promise<Endpoints> {
    if (!this.endpoints) {
      const { apiUrl, wsUrl } = this.explicit;
      this.endpoints =
        apiUrl && wsUrl
          ? Promise.resolve({ apiUrl, wsUrl })
          : loadConfig(new URL('../config.json', this.scriptUrl).href).then((c) => ({ apiUrl: apiUrl ?? c.apiUrl, wsUrl: wsUrl ?? c.wsUrl }));
      this.endpoints.catch(() => (this.endpoints = undefined));
    }
    return this.endpoints;
  }

  get session(): VisitorSession | undefined {
    return this.current;
  }

  /** The current session, creating or resuming one when there is none (or `renew` is set). */
  ensureSession(renew = false): Promise<VisitorSession> {
    if (this.current && !renew && Date.parse(this.current.expiresAt) > Date.now() + 30_000) return Promise.resolve(this.current);
    if (!this.pendingSession) {
      this.pendingSession = this.createSession().finally(() => (this.pendingSession = undefined));
    }
    return this.pendingSession;
  }

  private async createSession(): Promise<VisitorSession> {
    const { apiUrl, wsUrl } = await this.resolveEndpoints();
    const resumeToken = this.current?.token ?? readStorage(sessionKey(this.shopId)) ?? undefined;
    const body: Record<string, unknown> = { shopId: this.shopId, locale: this.locale };
    if (resumeToken) body.resumeToken = resumeToken;
    if (this.user) {
      const user: Record<string, string> = { id: this.user.id };
      if (this.user.hmac) user.hmac = this.user.hmac;
      if (this.user.name) user.name = this.user.name;
      if (this.user.email) user.email = this.user.email;
      body.user = user;
    }
    const session = await requestJson<VisitorSession>(apiUrl, '/widget/session', { body });
    this.current = { ...session, wsUrl: session.wsUrl || wsUrl };
    writeStorage(sessionKey(this.shopId), session.token);
    return this.current;
  }

  /** An authenticated API call; on 401 the session is renewed and the call made once more. */
  async call<T>(path: string, options: Omit<RequestOptions, 'token'> = {}): Promise<T> {
    const { apiUrl } = await this.resolveEndpoints();
    const session = await this.ensureSession();
    try {
      return await requestJson<T>(apiUrl, path, { ...options, token: session.token });
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
      const renewed = await this.ensureSession(true);
      return requestJson<T>(apiUrl, path, { ...options, token: renewed.token });
    }
  }

  /** The WebSocket URL for the current session. */
  async socketUrl(): Promise<string> {
    const session = await this.ensureSession();
    const url = new URL(session.wsUrl);
    url.searchParams.set('token', session.token);
    return url.href;
  }
}

function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* storage can be disabled (private mode, blocked third-party storage): the session then lasts one page view */
  }
}
