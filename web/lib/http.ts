/** An HTTP API failure; status 0 means the request never got an answer (network error). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retryAfterMs: number | undefined;
  /** The error body's `details` (validation errors carry `{fields: [{path, message}]}`). */
  readonly details: unknown;

  constructor(status: number, code: string, message: string, retryAfterMs?: number, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfterMs = retryAfterMs;
    this.details = details;
  }

  /** Worth retrying with the same idempotency key: no answer, rate limited or a server fault. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  token?: string;
  signal?: AbortSignal;
  /** The reader's language: validation messages come back in it (`Accept-Language`). */
  lang?: string;
}

/** JSON request against the API with an optional bearer token; 204 resolves to undefined. */
export async function requestJson<T>(baseUrl: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.lang) headers['accept-language'] = options.lang;
  let response: Response;
  try {
    response = await fetch(baseUrl.replace(/\/$/, '') + path, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : 'network error');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const error = (data ?? {}) as { error?: string; message?: string; details?: unknown };
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ApiError(
      response.status,
      error.error ?? 'http_' + response.status,
      error.message ?? response.statusText,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      error.details,
    );
  }
  return data as T;
}

export interface FieldError {
  /** Dotted path of the field in the request body (`targets.low.first_response`), or `(root)`. */
  path: string;
  message: string;
}

/** The server's field-level validation messages of a 400 (`details.fields`), else none. */
export function fieldErrors(err: unknown): FieldError[] {
  if (!(err instanceof ApiError)) return [];
  const fields = (err.details as { fields?: unknown } | undefined)?.fields;
  if (!Array.isArray(fields)) return [];
  return fields.filter((f): f is FieldError => !!f && typeof (f as FieldError).path === 'string' && typeof (f as FieldError).message === 'string');
}

/** crypto.randomUUID where available (secure contexts), a random v4-shaped id elsewhere. */
export function newClientId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
