import { randomBytes, randomUUID, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
} from 'jose';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { table } from '#infra/manifest.ts';
import { keys } from '#shared/store/keys.ts';

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };
const TOKEN_TTL_SECONDS = 3600;
const ALG = 'ES256';

function scryptAsync(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
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
  /** Verifies signature, iss and exp like the API Gateway JWT authorizer (aud/client_id checked by the caller). */
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

  const token: LocalIssuer['token'] = (claims, extra = {}) =>
    issueToken(key, claims, { ...extra, issuer: opts.url, audience: opts.audience });

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
    const { Item } = await opts.db().send(new GetCommand({ TableName: table.name, Key: keys.localAccount(email) }));
    const stored = typeof Item?.passwordHash === 'string' ? Item.passwordHash : dummyHash;
    const ok = (await verifyPassword(password, stored)) && Item !== undefined;
    if (!ok || !Item) return json(res, 401, { message: 'Incorrect email or password.' });
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
      const { payload } = await jwtVerify(jwt, keySet, { issuer: opts.url, algorithms: [ALG] });
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

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
