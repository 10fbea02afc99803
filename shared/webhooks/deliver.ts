import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { hmacHex } from '#shared/auth/hmac.ts';
import { checkTarget, type TargetPolicy } from '#shared/webhooks/address-policy.ts';

/** Longest a shop may take to answer one delivery. */
export const WEBHOOK_TIMEOUT_MS = 5000;

/** The signed request Kefu sends: HMAC-SHA256(webhookSecret, `${timestamp}.${body}`) as hex. */
export function signedHeaders(secret: string, event: string, body: string, now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'Kefu-Webhooks/1',
    'x-kefu-event': event,
    'x-kefu-timestamp': timestamp,
    'x-kefu-signature': hmacHex(secret, `${timestamp}.${body}`),
  };
}

export type PostOutcome =
  | { kind: 'response'; status: number; ms: number }
  | { kind: 'refused'; reason: string }
  | { kind: 'error'; reason: 'timeout' | 'network'; ms: number };

/**
 * POSTs a body to a checked target: the connection goes to the address the policy approved
 * (custom `lookup`, TLS still verified against the host name), redirects are never followed (a 3xx
 * is the answer) and the whole exchange is cut at `timeoutMs`.
 */
export async function postPinned(
  target: string,
  body: string,
  headers: Record<string, string>,
  policy: TargetPolicy,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
): Promise<PostOutcome> {
  const verdict = await checkTarget(target, policy);
  if (!verdict.ok) return { kind: 'refused', reason: verdict.reason };
  const { url, address, family } = verdict;
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const started = Date.now();
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<PostOutcome>((resolve) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinned,
        servername: url.hostname,
        agent: false,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ kind: 'response', status: res.statusCode ?? 0, ms: Date.now() - started }));
        res.on('error', () => resolve({ kind: 'error', reason: 'network', ms: Date.now() - started }));
      },
    );
    req.on('error', (error) =>
      resolve({ kind: 'error', reason: error.name === 'AbortError' || error.name === 'TimeoutError' ? 'timeout' : 'network', ms: Date.now() - started }),
    );
    req.end(body);
  });
}
