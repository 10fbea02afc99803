import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { type SideHandler, sendJson } from './http-gateway.ts';
import { LOCAL_REGION, LOCAL_S3_PREFIX } from './lambda.ts';

/** node:crypto behind the hash interface SignatureV4 expects. */
class NodeSha256 {
  private hash: Hash | Hmac;
  private readonly secret: string | Uint8Array | undefined;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.secret =
      secret === undefined || typeof secret === 'string'
        ? secret
        : ArrayBuffer.isView(secret)
          ? new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength)
          : new Uint8Array(secret);
    this.hash = this.secret ? createHmac('sha256', this.secret) : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(
      typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data),
    );
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.secret ? createHmac('sha256', this.secret) : createHash('sha256');
  }
}

interface StoredObject {
  body: Buffer;
  contentType: string;
}

const AUTH_PARAMS = new Set([
  'X-Amz-Content-Sha256',
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Security-Token',
]);

/**
 * The slice of S3 that chat attachments use, on the local gateway: pre-signed PUT and GET
 * (signature, expiry and signed headers verified like S3 does, so type and size limits hold
 * locally too) plus the SDK's HEAD/GET/PUT with header auth (not verified locally). Objects live
 * in memory, or under `dataDir/s3` when the runtime persists.
 */
export function localS3(opts: { dataDir?: string; credentials: { accessKeyId: string; secretAccessKey: string } }): SideHandler {
  const memory = new Map<string, StoredObject>();
  const signer = new SignatureV4({
    credentials: opts.credentials,
    region: LOCAL_REGION,
    service: 's3',
    sha256: NodeSha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const fileOf = (key: string) => (opts.dataDir ? join(opts.dataDir, 's3', encodeURIComponent(key)) : undefined);
  const put = (key: string, object: StoredObject) => {
    const file = fileOf(key);
    if (!file) return void memory.set(key, object);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, object.body);
    writeFileSync(`${file}.type`, object.contentType);
  };
  const get = (key: string): StoredObject | undefined => {
    const file = fileOf(key);
    if (!file) return memory.get(key);
    return existsSync(file) ? { body: readFileSync(file), contentType: readFileSync(`${file}.type`, 'utf8') } : undefined;
  };

  async function presignedOk(req: IncomingMessage, url: URL): Promise<string | undefined> {
    const q = url.searchParams;
    const date = q.get('X-Amz-Date');
    const expires = Number(q.get('X-Amz-Expires'));
    const signature = q.get('X-Amz-Signature');
    const signedHeaders = (q.get('X-Amz-SignedHeaders') ?? '').split(';').filter(Boolean);
    if (!date || !signature || !Number.isFinite(expires)) return 'AuthorizationQueryParametersError';
    const signedAt = Date.parse(date.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
    if (!Number.isFinite(signedAt) || Date.now() > signedAt + expires * 1000) return 'AccessDenied: Request has expired';
    const query: Record<string, string> = {};
    for (const [k, v] of q) if (!AUTH_PARAMS.has(k)) query[k] = v;
    const headers: Record<string, string> = {};
    for (const name of signedHeaders) headers[name] = String(req.headers[name] ?? '');
    // The S3 presigner signs X-Amz-Content-Sha256 as a header hoisted into the query (case kept).
    const payload = q.get('X-Amz-Content-Sha256');
    if (payload) headers['X-Amz-Content-Sha256'] = payload;
    const presigned = await signer.presign(
      { method: req.method ?? 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port) || undefined, path: url.pathname, query, headers },
      { signingDate: new Date(signedAt), expiresIn: expires, signableHeaders: new Set(signedHeaders) },
    );
    return presigned.query?.['X-Amz-Signature'] === signature ? undefined : 'SignatureDoesNotMatch';
  }

  return async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    if (!url.pathname.startsWith(`${LOCAL_S3_PREFIX}/`)) return false;
    const [bucket, ...rest] = url.pathname.slice(LOCAL_S3_PREFIX.length + 1).split('/');
    const key = `${bucket}/${decodeURIComponent(rest.join('/'))}`;
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET,PUT,HEAD', 'access-control-allow-headers': 'content-type' };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return true;
    }
    if (url.searchParams.has('X-Amz-Signature')) {
      const refusal = await presignedOk(req, url);
      if (refusal) {
        sendJson(res, 403, { Code: refusal.split(':')[0], Message: refusal }, cors);
        return true;
      }
    } else if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256')) {
      sendJson(res, 403, { Code: 'AccessDenied', Message: 'no credentials' }, cors);
      return true;
    }
    if (req.method === 'DELETE') {
      const file = fileOf(key);
      if (file) {
        for (const f of [file, `${file}.type`]) if (existsSync(f)) rmSync(f);
      } else memory.delete(key);
      res.writeHead(204, cors).end();
      return true;
    }
    if (req.method === 'PUT') {
      put(key, { body, contentType: String(req.headers['content-type'] ?? 'application/octet-stream') });
      res.writeHead(200, { ...cors, etag: `"${createHash('md5').update(body).digest('hex')}"` }).end();
      return true;
    }
    const object = get(key);
    if (!object) {
      res.writeHead(404, { ...cors, 'content-type': 'application/xml' }).end(req.method === 'HEAD' ? undefined : '<Error><Code>NoSuchKey</Code></Error>');
      return true;
    }
    const disposition = url.searchParams.get('response-content-disposition');
    res.writeHead(200, {
      ...cors,
      'content-type': url.searchParams.get('response-content-type') ?? object.contentType,
      'content-length': String(object.body.length),
      'x-content-type-options': 'nosniff',
      ...(disposition ? { 'content-disposition': disposition } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : object.body);
    return true;
  };
}
