/**
 * Domain errors carry the HTTP status they map to; the HTTP wrapper is the one place that turns
 * them into responses, so handlers never build 4xx bodies themselves.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, details?: unknown, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

/** 400: the request is malformed or fails validation. */
export const badRequest = (message: string, details?: unknown) => new HttpError(400, 'bad_request', message, details);
/** 401: no or invalid credentials. */
export const unauthorized = (message = 'missing or invalid credentials') => new HttpError(401, 'unauthorized', message);
/** 403: authenticated, but the role does not allow this. */
export const forbidden = (message = 'your role does not allow this action') => new HttpError(403, 'forbidden', message);
/** 404: absent, or not visible to this caller (never reveal which). */
export const notFound = (what = 'resource') => new HttpError(404, 'not_found', `${what} not found`);
/** 409: a concurrent change won, or a uniqueness rule was hit. */
export const conflict = (message: string, details?: unknown) => new HttpError(409, 'conflict', message, details);
/** 413: body over the size limit. */
export const payloadTooLarge = (limit: number) => new HttpError(413, 'payload_too_large', `request body exceeds ${limit} bytes`);
/** 415: body is not JSON. */
export const unsupportedMediaType = () => new HttpError(415, 'unsupported_media_type', 'send the body as application/json');
/** 429: rate limit hit; the caller should retry after the given seconds. */
export const tooManyRequests = (retryAfterSeconds: number) =>
  new HttpError(429, 'rate_limited', `too many requests; retry after ${retryAfterSeconds} s`, undefined, {
    'retry-after': String(retryAfterSeconds),
  });
