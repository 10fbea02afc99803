import { randomBytes, randomUUID, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type CryptoKey,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { table } from '#infra/manifest.ts';
import { staffTokenTimeRules } from '#shared/auth/staff-token.ts';
import { keys } from '#shared/store/keys.ts';

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };
const TOKEN_TTL_SECONDS = 3600;
const ALG = 'ES256';

function scryptAsync(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** Hashes a local account password as `scrypt$N$r$p$saltB64$hashB64` (never stored in clear). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p, keylen } = SCRYPT;
  const hash = await scryptAsync(password, salt, keylen, { N, r, p });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Checks a password against a stored hash in constant time; false for malformed hashes. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  if (!N || !r || !p || expected.length === 0) return false;
  const actual = await scryptAsync(password, salt, expected.length, { N, r, p, maxmem: 256 * N * r * p });
  return timingSafeEqual(actual, expected);
}

/**
 * Cognito's answer to password guessing: a few failures are free, then the account is locked out
 * for a time that starts at one second and doubles with each further failure, up to about 15
 * minutes; the count is forgotten after a quiet spell or a successful sign-in.
 */
export const LOGIN_LOCKOUT = { freeFailures: 5, firstSeconds: 1, maxSeconds: 900, forgetAfterSeconds: 900 } as const;

/** Failed sign-ins per account (the address as typed, case-insensitive: unknown ones count too, so a lockout reveals nothing). */
export interface LoginThrottle {
  /** Whole seconds the account must still wait; 0 when it may try. */
  lockedFor(account: string): number;
  failed(account: string): void;
  succeeded(account: string): void;
}

/** The local issuer's lockout bookkeeping (in memory, like the rest of its session state); `now` is passed in for tests. */
export function createLoginThrottle({ now = () => Date.now() }: { now?: () => number } = {}): LoginThrottle {
  const { freeFailures, firstSeconds, maxSeconds, forgetAfterSeconds } = LOGIN_LOCKOUT;
  const accounts = new Map<string, { failures: number; lastFailure: number; lockedUntil: number }>();
  const keyOf = (account: string) => account.trim().toLowerCase();
  const stale = (s: { lastFailure: number; lockedUntil: number }, at: number) => at - Math.max(s.lastFailure, s.lockedUntil) > forgetAfterSeconds * 1000;
  const current = (key: string) => {
    const state = accounts.get(key);
    if (state && stale(state, now())) accounts.delete(key);
    return accounts.get(key);
  };
  return {
    lockedFor(account) {
      const state = current(keyOf(account));
      const ms = state ? state.lockedUntil - now() : 0;
      return ms > 0 ? Math.ceil(ms / 1000) : 0;
    },
    failed(account) {
      const key = keyOf(account);
      const at = now();
      const state = current(key) ?? { failures: 0, lastFailure: 0, lockedUntil: 0 };
      state.failures += 1;
      state.lastFailure = at;
      if (state.failures >= freeFailures) state.lockedUntil = at + Math.min(maxSeconds, firstSeconds * 2 ** (state.failures - freeFailures)) * 1000;
      accounts.set(key, state);
      if (accounts.size > 10_000) for (const [k, s] of accounts) if (stale(s, at)) accounts.delete(k);
    },
    succeeded(account) {
      accounts.delete(keyOf(account));
    },
  };
}

export interface IssuerKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** Cognito-shaped claims of a staff id token. */
export interface StaffClaims {
  sub: string;
  email: string;
  name: string;
  groups: readonly string[];
}

export interface TokenOptions {
  issuer: string;
  audience: string;
  /** Seconds since the epoch; defaults to now. Tests pass a past value to mint expired tokens. */
  issuedAt?: number;
  expiresInSeconds?: number;
}

/** Signs an id token carrying the claims Cognito puts in one, so handlers read the same claims locally and in AWS. */
export async function issueToken(key: IssuerKey, claims: StaffClaims, opts: TokenOptions): Promise<string> {
  const iat = opts.issuedAt ?? Math.floor(Date.now() / 1000);
  const exp = iat + (opts.expiresInSeconds ?? TOKEN_TTL_SECONDS);
  return new SignJWT({
    email: claims.email,
    email_verified: true,
    name: claims.name,
    'cognito:groups': [...claims.groups],
    'cognito:username': claims.sub,
    token_use: 'id',
    auth_time: iat,
    jti: randomUUID(),
  })
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
    .setIssuer(opts.issuer)
    .setSubject(claims.sub)
    .setAudience(opts.audience)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key.privateKey);
}

let ephemeral: Promise<IssuerKey> | undefined;

/**
 * Loads the issuer's signing key from the data dir, generating (and persisting) it on first start.
 * Without a file the key lives as long as the process, so a restarted in-memory stack keeps it and
 * JWKS caches held by already-imported handlers stay valid.
 */
export function loadIssuerKey(file?: string): Promise<IssuerKey> {
  if (file) return loadOrCreateKey(file);
  ephemeral ??= loadOrCreateKey(undefined);
  return ephemeral;
}

async function loadOrCreateKey(file: string | undefined): Promise<IssuerKey> {
  if (file && existsSync(file)) {
    const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK & { kid: string };
    const privateKey = (await importJWK(jwk, ALG)) as CryptoKey;
    const { d: _d, ...publicJwk } = jwk;
    return { kid: jwk.kid, privateKey, publicJwk: { ...publicJwk, alg: ALG, use: 'sig' } };
  }
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const kid = randomUUID();
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: ALG }), { mode: 0o600 });
  }
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' } };
}

export interface LocalIssuer {
  /** `{gateway}/local-issuer` — the STAFF_ISSUER value. */
  url: string;
  audience: string;
  key: IssuerKey;
  jwks(): JSONWebKeySet;
  /** Mints a token for claims (what `POST /auth/login` returns after checking the password). */
  token(claims: StaffClaims, opts?: Omit<TokenOptions, 'issuer' | 'audience'>): Promise<string>;
  /**
   * Verifies signature, iss, exp and iat like the API Gateway JWT authorizer (exp and iat required,
   * neither off by more than a small clock skew); aud/client_id are checked by the caller.
   */
  verify(token: string): Promise<JWTPayload>;
  /** Handles the issuer's routes; false when the request is not one of them. */
  handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<boolean>;
}

export interface IssuerOptions {
  url: string;
  audience: string;
  /** JSON file holding the private key; absent = an ephemeral key. */
  keyFile?: string;
  db: () => DynamoDBDocumentClient;
}

/** The local stand-in for the Cognito user pool: JWKS, password login, id tokens. */
export async function createIssuer(opts: IssuerOptions): Promise<LocalIssuer> {
  const key = await loadIssuerKey(opts.keyFile);
  const jwks: JSONWebKeySet = { keys: [key.publicJwk] };
  const keySet = createLocalJWKSet(jwks);
  const issuerPath = new URL(opts.url).pathname;
  const dummyHash = await hashPassword(randomUUID());

  const token: LocalIssuer['token'] = (claims, extra = {}) => issueToken(key, claims, { ...extra, issuer: opts.url, audience: opts.audience });

  const throttle = createLoginThrottle();
  /** Attempts on one account run one after another, so parallel guesses cannot slip past the lockout. */
  const turns = new Map<string, Promise<void>>();

  async function login(res: ServerResponse, body: Buffer): Promise<void> {
    let email: unknown;
    let password: unknown;
    try {
      ({ email, password } = JSON.parse(body.toString('utf8')) as { email?: unknown; password?: unknown });
    } catch {
      return json(res, 400, { message: 'Body must be JSON {"email","password"}' });
    }
    if (typeof email !== 'string' || typeof password !== 'string' || !email || !password) {
      return json(res, 400, { message: 'Body must be JSON {"email","password"}' });
    }
    const account = email.trim().toLowerCase();
    const previous = turns.get(account) ?? Promise.resolve();
    const turn = previous.then(() => attempt(res, email as string, password as string));
    const settled = turn.catch(() => undefined);
    turns.set(account, settled);
    try {
      await turn;
    } finally {
      if (turns.get(account) === settled) turns.delete(account);
    }
  }

  async function attempt(res: ServerResponse, email: string, password: string): Promise<void> {
    const wait = throttle.lockedFor(email);
    if (wait > 0) {
      return json(
        res,
        429,
        {
          error: 'password_attempts_exceeded',
          message: `Password attempts exceeded: too many failed sign-ins for this account. Try again in ${wait} s.`,
          retryAfterSeconds: wait,
        },
        { 'retry-after': String(wait) },
      );
    }
    const { Item } = await opts.db().send(new GetCommand({ TableName: table.name, Key: keys.localAccount(email) }));
    const stored = typeof Item?.passwordHash === 'string' ? Item.passwordHash : dummyHash;
    const ok = (await verifyPassword(password, stored)) && Item !== undefined;
    if (!ok || !Item) {
      throttle.failed(email);
      return json(res, 401, { message: 'Incorrect email or password.' });
    }
    throttle.succeeded(email);
    const idToken = await token({
      sub: String(Item.sub),
      email: String(Item.email),
      name: String(Item.name ?? Item.email),
      groups: Array.isArray(Item.groups) ? (Item.groups as string[]) : [],
    });
    json(res, 200, { idToken, expiresIn: TOKEN_TTL_SECONDS, tokenType: 'Bearer' });
  }

  return {
    url: opts.url,
    audience: opts.audience,
    key,
    jwks: () => jwks,
    token,
    async verify(jwt) {
      const { payload } = await jwtVerify(jwt, keySet, { issuer: opts.url, algorithms: [ALG], ...staffTokenTimeRules() });
      return payload;
    },
    async handle(req, res, body) {
      const path = new URL(req.url ?? '/', 'http://local').pathname;
      if (req.method === 'GET' && path === `${issuerPath}/.well-known/jwks.json`) {
        json(res, 200, jwks);
        return true;
      }
      if (req.method === 'GET' && path === `${issuerPath}/.well-known/openid-configuration`) {
        json(res, 200, {
          issuer: opts.url,
          jwks_uri: `${opts.url}/.well-known/jwks.json`,
          id_token_signing_alg_values_supported: [ALG],
          subject_types_supported: ['public'],
          response_types_supported: ['token'],
        });
        return true;
      }
      if (path === '/auth/login') {
        if (req.method !== 'POST') json(res, 405, { message: 'Method Not Allowed' });
        else await login(res, body);
        return true;
      }
      return false;
    },
  };
}

function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
