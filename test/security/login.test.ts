/**
 * The local runtime behaves like Cognito and the API Gateway JWT authorizer where it matters for
 * security: repeated wrong passwords lock the account out for a growing time (even the right
 * password is refused meanwhile), and tokens without `exp`, past `exp`, or `iat` in the future
 * are refused with 401.
 */
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { STAFF_AUDIENCE } from '#infra/local/lambda.ts';
import { type LocalStack, startLocalStack } from '#infra/local/stack.ts';
import { LoginError, signIn } from '../../web/console/auth.ts';
import { translator } from '../../web/console/i18n.ts';
import { apiClient } from '../support/api.ts';

let stack: LocalStack;
let client: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  client = apiClient(stack.urls.api);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

afterEach(() => {
  vi.useRealTimers();
});

const login = (email: string, password: string) => client.call('POST', '/auth/login', { body: { email, password } });

describe('login lockout (issuer throttle, clock passed in)', () => {
  it('5 free failures, then a lockout from 1 s doubling per failure up to 15 min; success resets', async () => {
    const { createLoginThrottle } = await import('#infra/local/issuer.ts');
    let now = 1_000_000;
    const throttle = createLoginThrottle({ now: () => now });
    const account = 'Lead@Demo.Kefu';
    for (let i = 0; i < 4; i++) {
      expect(throttle.lockedFor(account)).toBe(0);
      throttle.failed(account);
    }
    expect(throttle.lockedFor(account)).toBe(0);
    throttle.failed(account);
    expect(throttle.lockedFor('lead@demo.kefu'), 'the address is compared case-insensitively').toBe(1);
    expect(throttle.lockedFor('agent@demo.kefu'), 'other accounts are unaffected').toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const wait = throttle.lockedFor(account);
      waits.push(wait);
      now += wait * 1000;
      expect(throttle.lockedFor(account)).toBe(0);
      throttle.failed(account);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
    now += 900_000;
    throttle.succeeded(account);
    throttle.failed(account);
    expect(throttle.lockedFor(account), 'a success clears the count').toBe(0);
  });
});

describe('POST /auth/login on the local runtime', () => {
  it('after 5 wrong passwords the right one is refused (429, Retry-After, clear message) until the lockout passes', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date() });
    for (let i = 0; i < 5; i++) expect((await login('lead@demo.kefu', `wrong-${i}`)).status).toBe(401);
    const locked = await login('lead@demo.kefu', 'kefu-demo');
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('1');
    expect(locked.json).toMatchObject({ error: 'password_attempts_exceeded', retryAfterSeconds: 1 });
    expect(locked.json.message).toMatch(/attempts exceeded/i);
    expect(locked.json.idToken).toBeUndefined();
    expect((await login('admin@demo.kefu', 'kefu-demo')).status, 'other accounts still sign in').toBe(200);

    vi.setSystemTime(Date.now() + 1500);
    expect((await login('lead@demo.kefu', 'wrong-again')).status).toBe(401);
    const longer = await login('lead@demo.kefu', 'kefu-demo');
    expect(longer.status).toBe(429);
    expect(longer.json.retryAfterSeconds).toBe(2);

    vi.setSystemTime(Date.now() + 2500);
    const ok = await login('lead@demo.kefu', 'kefu-demo');
    expect(ok.status).toBe(200);
    expect(ok.json.idToken).toBeTruthy();
    expect((await login('lead@demo.kefu', 'wrong-after-success')).status, 'success resets the count').toBe(401);
    expect((await login('lead@demo.kefu', 'kefu-demo')).status).toBe(200);
  });

  it('an unknown address locks the same way, so a lockout says nothing about which accounts exist', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date() });
    for (let i = 0; i < 5; i++) expect((await login('nobody-here@demo.kefu', `x${i}`)).status).toBe(401);
    const locked = await login('nobody-here@demo.kefu', 'x');
    expect(locked.status).toBe(429);
    expect(locked.json.error).toBe('password_attempts_exceeded');
  });

  it('the console turns a lockout into a translated message with the wait (en and zh-CN)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date() });
    const auth = { kind: 'local' as const, loginUrl: `${stack.urls.api}/auth/login` };
    for (let i = 0; i < 5; i++) await expect(signIn(auth, 'marketing@demo.kefu', `bad-${i}`)).rejects.toMatchObject({ reason: 'credentials' });
    const error = await signIn(auth, 'marketing@demo.kefu', 'kefu-demo').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoginError);
    expect(error).toMatchObject({ reason: 'locked', retryAfterSeconds: 1 });
    expect(translator('en')('loginLocked', { seconds: 1 })).toMatch(/too many failed sign-in attempts.*1/i);
    expect(translator('zh-CN')('loginLocked', { seconds: 1 })).toMatch(/登录失败次数过多.*1/);
    expect(translator('en')('loginLockedLater')).toMatch(/too many failed sign-in attempts/i);
    expect(translator('zh-CN')('loginLockedLater')).toMatch(/登录失败次数过多/);
  });
});

describe('the local JWT authorizer', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const claims = { email: 'lead@demo.kefu', name: 'Chen Wei', 'cognito:groups': ['agent', 'supervisor'], token_use: 'id' };

  /** A token signed with the issuer's own key: only the time claims are off. */
  function token(times: { iat?: number; exp?: number }): Promise<string> {
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: stack.issuer.key.kid, typ: 'JWT' })
      .setIssuer(stack.issuer.url)
      .setSubject('staff-lead')
      .setAudience(STAFF_AUDIENCE);
    if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
    if (times.exp !== undefined) jwt.setExpirationTime(times.exp);
    return jwt.sign(stack.issuer.key.privateKey);
  }

  const me = async (jwt: string) => {
    const res = await client.call('GET', '/staff/me', { token: jwt });
    return { status: res.status, why: res.headers.get('www-authenticate') ?? '' };
  };

  it('accepts a well-formed token, and an iat a few seconds ahead (clock skew)', async () => {
    expect((await me(await token({ iat: now(), exp: now() + 3600 }))).status).toBe(200);
    expect((await me(await token({ iat: now() + 20, exp: now() + 3600 }))).status).toBe(200);
  });

  it.each([
    ['no exp', () => token({ iat: now() })],
    ['no iat', () => token({ exp: now() + 3600 })],
    ['exp in the past', () => token({ iat: now() - 7200, exp: now() - 3600 })],
    ['iat ten minutes in the future', () => token({ iat: now() + 600, exp: now() + 4200 })],
    ['iat a day ago with a year-long exp', () => token({ iat: now() - 2 * 86400, exp: now() + 365 * 86400 })],
  ])('refuses a token with %s: 401', async (_what, make) => {
    const res = await me(await make());
    expect(res.status).toBe(401);
    expect(res.why).toMatch(/invalid_token/);
  });

  it('the staff WebSocket refuses a token without exp too', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      void token({ iat: now() }).then((jwt) => {
        const ws = new WebSocket(`${stack.urls.ws}?staffToken=${encodeURIComponent(jwt)}`);
        ws.once('open', () => {
          ws.close();
          resolve(101);
        });
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.once('error', reject);
      }, reject);
    });
    expect(status).not.toBe(101);
  });
});
