/** A small client for integration tests against a running local stack (real HTTP, JSON bodies). */
export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON (tests read arbitrary response shapes), or the raw text when it is not JSON. */
  json: any;
}

/** Calls the API at `base` and decodes JSON; `body` strings are sent as they are. */
export function apiClient(base: string) {
  const root = base.replace(/\/$/, '');
  async function call(method: string, path: string, init: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
    const res = await fetch(`${root}${path}`, {
      method,
      headers: {
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, headers: res.headers, json };
  }
  return {
    call,
    /** A fresh widget session on the demo shop (optionally as a verified shopper). */
    async visitor(user?: { id: string; hmac: string }): Promise<{ token: string; contactId: string; verified: boolean }> {
      const res = await call('POST', '/widget/session', { body: { shopId: 'demo', ...(user ? { user } : {}) } });
      if (res.status !== 200) throw new Error(`widget session failed: ${res.status}`);
      return res.json;
    },
    /** A staff id token from the local issuer for a demo account. */
    async staff(email = 'agent@demo.kefu'): Promise<string> {
      const res = await call('POST', '/auth/login', { body: { email, password: 'kefu-demo' } });
      if (res.status !== 200) throw new Error(`login failed for ${email}: ${res.status}`);
      return res.json.idToken as string;
    },
  };
}
