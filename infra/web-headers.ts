/**
 * The security headers of the web apps (console, demo shop page, widget files), declared once:
 * the local runtime (infra/local/static.ts) sends them as they are and CloudFront's
 * response-headers policy (infra/aws/web-hosting.ts) is built from them.
 *
 * One policy fits every file: the console and the demo page are never framed (the widget is not
 * an iframe; it draws into a Shadow DOM on the shop's own page), no page runs inline script or
 * style, and the widget's scripts are fetched cross-origin by shop pages, so they carry CORS and
 * `Cross-Origin-Resource-Policy: cross-origin` (CSP and frame headers on a script file do not
 * bind the page that loads it).
 */

/** Origins the pages talk to besides their own; values may be CDK tokens in AWS. */
export interface WebOrigins {
  /** fetch / XHR / WebSocket targets: the HTTP API, the WebSocket API, the sign-in service, attachment storage. */
  connect: readonly string[];
  /** Image sources: attachment storage (thumbnails through pre-signed links). */
  img: readonly string[];
}

/** Sent as `Referrer-Policy`: console URLs and API calls never leak to other sites. */
export const REFERRER_POLICY = 'no-referrer';
/** Sent as `X-Frame-Options` (older browsers; CSP `frame-ancestors` is the modern form). */
export const FRAME_OPTIONS = 'DENY';
/** Sent as `Cross-Origin-Resource-Policy`: shops (even with COEP) may load the widget's files. */
export const RESOURCE_POLICY = 'cross-origin';

/** The Content-Security-Policy of every web app page: own scripts and styles only, never framed. */
export function contentSecurityPolicy(origins: WebOrigins): string {
  const list = (...sources: readonly string[]) => sources.filter(Boolean).join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${list("'self'", 'data:', 'blob:', ...origins.img)}`,
    `connect-src ${list("'self'", ...origins.connect)}`,
    "font-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Every security header of a web app response (lower-case names, as the local runtime sends them). */
export function webSecurityHeaders(origins: WebOrigins): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(origins),
    'x-frame-options': FRAME_OPTIONS,
    'x-content-type-options': 'nosniff',
    'referrer-policy': REFERRER_POLICY,
    'cross-origin-resource-policy': RESOURCE_POLICY,
    'access-control-allow-origin': '*',
  };
}
