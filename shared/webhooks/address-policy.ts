import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * Where outbound webhooks may go (SSRF defence). The production policy is strict: https only, and
 * every address the host resolves to must be public; the request is then pinned to the address
 * that was checked, so a second DNS answer cannot swap in an internal one.
 */
export interface TargetPolicy {
  /** Schemes allowed in the target URL. */
  schemes: readonly ('https:' | 'http:')[];
  /** Resolves a host name to its addresses (node:dns in production). */
  resolve(host: string): Promise<{ address: string; family: 4 | 6 }[]>;
  /** True when the connection may go to this address. */
  allowAddress(address: string): boolean;
}

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

/** IPv4 ranges that are not public (RFC 6890 special-purpose and friends), as [base, prefix]. */
const V4_BLOCKED: readonly [string, number][] = [
  ['0.0.0.0', 8], // this network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, incl. broadcast
];

/** True for a public, unicast IPv4 address. */
export function isPublicIPv4(ip: string): boolean {
  if (isIP(ip) !== 4) return false;
  const n = v4ToInt(ip);
  return !V4_BLOCKED.some(([base, prefix]) => {
    const size = 2 ** (32 - prefix);
    const start = v4ToInt(base);
    return n >= start && n < start + size;
  });
}

/** The 8 groups of an IPv6 address as numbers (handles `::` and an embedded dotted IPv4 tail). */
function v6Groups(ip: string): number[] | undefined {
  let text = ip.toLowerCase().split('%')[0] ?? '';
  const tail = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (tail) {
    const n = v4ToInt(tail[1] as string);
    text = text.slice(0, -tail[1]!.length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const a = head ? head.split(':') : [];
  const b = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const fill = rest !== undefined ? 8 - a.length - b.length : 0;
  const groups = [...a, ...Array<string>(Math.max(0, fill)).fill('0'), ...b].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

function embeddedV4(hi: number, lo: number): string {
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

/** True for a public, global-unicast IPv6 address (embedded IPv4 forms are judged as IPv4). */
export function isPublicIPv6(ip: string): boolean {
  if (isIP(ip.split('%')[0] ?? '') !== 6) return false;
  const g = v6Groups(ip);
  if (!g) return false;
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroTo(8)) return false; // ::
  if (zeroTo(7) && g7 === 1) return false; // ::1 loopback
  if (zeroTo(5) && g5 === 0xffff) return isPublicIPv4(embeddedV4(g6, g7)); // ::ffff:a.b.c.d mapped
  if (zeroTo(6)) return false; // ::a.b.c.d (deprecated compatible)
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return isPublicIPv4(embeddedV4(g6, g7)); // NAT64
  if (g0 === 0x2002) return isPublicIPv4(embeddedV4(g1, g2)); // 6to4
  if ((g0 & 0xfe00) === 0xfc00) return false; // fc00::/7 unique local
  if ((g0 & 0xffc0) === 0xfe80) return false; // fe80::/10 link-local
  if ((g0 & 0xffc0) === 0xfec0) return false; // fec0::/10 site-local (deprecated)
  if ((g0 & 0xff00) === 0xff00) return false; // multicast
  if (g0 === 0x2001 && g1 === 0x0db8) return false; // documentation
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return false; // discard-only
  if (g0 === 0x2001 && g1 < 0x0200) return false; // 2001::/23 IETF protocol assignments (Teredo, ORCHID …)
  return (g0 & 0xe000) === 0x2000; // only 2000::/3 is global unicast
}

/** True for a public unicast address of either family. */
export function isPublicAddress(ip: string): boolean {
  return isIP(ip) === 4 ? isPublicIPv4(ip) : isPublicIPv6(ip);
}

/** The production policy: https to public addresses only, resolved with node:dns. */
export const strictPolicy: TargetPolicy = {
  schemes: ['https:'],
  async resolve(host) {
    const literal = host.replace(/^\[|\]$/g, '');
    if (isIP(literal)) return [{ address: literal, family: isIP(literal) as 4 | 6 }];
    const found = await lookup(host, { all: true, verbatim: true });
    return found.map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
  },
  allowAddress: isPublicAddress,
};

export type TargetVerdict =
  | { ok: true; url: URL; address: string; family: 4 | 6 }
  | { ok: false; reason: 'invalid_url' | 'scheme_not_allowed' | 'credentials_in_url' | 'unresolvable' | 'blocked_address' };

/**
 * Checks a target URL against a policy after DNS resolution: every resolved address must be
 * allowed (a host that answers with one private address is refused), and the first one is pinned.
 */
export async function checkTarget(raw: string, policy: TargetPolicy): Promise<TargetVerdict> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'invalid_url' };
  }
  if (!(policy.schemes as readonly string[]).includes(url.protocol)) return { ok: false, reason: 'scheme_not_allowed' };
  if (url.username || url.password) return { ok: false, reason: 'credentials_in_url' };
  let addresses: { address: string; family: 4 | 6 }[];
  try {
    addresses = await policy.resolve(url.hostname);
  } catch {
    return { ok: false, reason: 'unresolvable' };
  }
  if (addresses.length === 0) return { ok: false, reason: 'unresolvable' };
  if (!addresses.every((a) => policy.allowAddress(a.address))) return { ok: false, reason: 'blocked_address' };
  const first = addresses[0] as { address: string; family: 4 | 6 };
  return { ok: true, url, address: first.address, family: first.family };
}

/** True for a loopback address (127.0.0.0/8, ::1, ::ffff:127.x.y.z). */
function isLoopback(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 4) return bare.startsWith('127.');
  const g = v6Groups(bare);
  if (!g) return false;
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true;
  return g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff && (g[6] ?? 0) >> 8 === 127;
}

/**
 * The local runtime's test receivers: `KEFU_WEBHOOK_TEST_RECEIVERS` lists exact loopback origins
 * (`http://127.0.0.1:4567`) a browser or integration test listens on. Read only on the local stage
 * outside Lambda (`AWS_LAMBDA_FUNCTION_NAME` is always set there), so a deployed function can never
 * be talked into a loopback target; anything that is not a loopback origin is ignored.
 */
export function localTestReceivers(env: NodeJS.ProcessEnv = process.env): string[] {
  if ((env.KEFU_STAGE ?? 'local') !== 'local' || env.AWS_LAMBDA_FUNCTION_NAME) return [];
  return (env.KEFU_WEBHOOK_TEST_RECEIVERS ?? '')
    .split(',')
    .map((raw) => {
      try {
        const url = new URL(raw.trim());
        return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopback(url.hostname) ? url.origin : undefined;
      } catch {
        return undefined;
      }
    })
    .filter((origin): origin is string => origin !== undefined);
}

/** The policy for a local test receiver: its loopback address only (the origin was matched exactly). */
const testReceiverPolicy: TargetPolicy = {
  schemes: ['http:', 'https:'],
  resolve: strictPolicy.resolve,
  allowAddress: isLoopback,
};

/**
 * The policy a webhook target is checked with, when the URL is saved and on every delivery:
 * `strictPolicy`, except for an exact origin listed in `localTestReceivers()` (local stage only).
 */
export function policyFor(target: string, env: NodeJS.ProcessEnv = process.env): TargetPolicy {
  let origin: string;
  try {
    origin = new URL(target).origin;
  } catch {
    return strictPolicy;
  }
  return localTestReceivers(env).includes(origin) ? testReceiverPolicy : strictPolicy;
}
