import type { PostOutcome } from '#shared/webhooks/deliver.ts';

/**
 * Outbound webhook delivery rules (pure): which outcome is final, when to retry and how long to
 * wait. The consumer supplies the ports (table, shop settings, HTTP, queue, clock).
 */

/** Attempts before a delivery is given up (the first try plus 7 retries over ≈ 1 h). */
export const MAX_ATTEMPTS = 8;

export type DeliveryState = 'pending' | 'retrying' | 'delivered' | 'failed' | 'no_target';

export interface Attempt {
  at: string;
  attempt: number;
  status?: number;
  error?: string;
  ms?: number;
}

/** One delivery as the log keeps it: no payload (it may carry personal data), only what happened. */
export interface Delivery {
  deliveryId: string;
  eventId: string;
  type: string;
  shopId?: string;
  state: DeliveryState;
  attempts: number;
  targetHost?: string;
  lastStatus?: number;
  lastError?: string;
  nextAttemptAt?: string;
  /** The attempt number of the last queue message an admin's retry sent (numbers are never reused). */
  queuedAttempt?: number;
  history: Attempt[];
  createdAt: string;
  updatedAt: string;
}

/** The highest attempt number a queue message may carry (`WebhookMessage`). */
export const LAST_MESSAGE_ATTEMPT = 20;

/** States an admin may send again: a final failure, or an event that found no URL (set one first). */
export function canRetry(d: Pick<Delivery, 'state'>): boolean {
  return d.state === 'failed' || d.state === 'no_target';
}

/**
 * The attempt number of an admin's retry: after every number used so far (the queue message's
 * number is its idempotency key, so a reused one would be skipped as a duplicate). Undefined once
 * the numbers run out.
 */
export function retryAttempt(d: Pick<Delivery, 'history' | 'attempts' | 'queuedAttempt'>): number | undefined {
  const logged = d.history.reduce((max, a) => Math.max(max, a.attempt), -1);
  const next = Math.max(logged + 1, (d.queuedAttempt ?? 0) + 1, d.attempts, 1);
  return next <= LAST_MESSAGE_ATTEMPT ? next : undefined;
}

/** Exponential backoff in seconds for the retry after `attempt` (0-based): 30 s, 60 s … capped at SQS's 900 s. */
export function backoffSeconds(attempt: number): number {
  return Math.min(900, 30 * 2 ** attempt);
}

/** What an HTTP outcome means: 2xx delivered; 408/429/5xx/timeouts retried; redirects and other 4xx final. */
export function judge(outcome: PostOutcome): { result: 'delivered' | 'retry' | 'final'; reason?: string; status?: number } {
  if (outcome.kind === 'refused') return { result: 'final', reason: outcome.reason };
  if (outcome.kind === 'error') return { result: 'retry', reason: outcome.reason };
  const s = outcome.status;
  if (s >= 200 && s < 300) return { result: 'delivered', status: s };
  if (s >= 300 && s < 400) return { result: 'final', reason: 'redirect_not_followed', status: s };
  if (s === 408 || s === 429 || s >= 500) return { result: 'retry', reason: `http_${s}`, status: s };
  return { result: 'final', reason: `http_${s}`, status: s };
}

export interface OutboxEvent {
  eventId: string;
  type: string;
  shopId?: string;
  at?: string;
  [field: string]: unknown;
}

/** The JSON body the shop receives: the event id, its type and time, and its data. */
export function webhookBody(event: OutboxEvent): string {
  const { eventId, type, at, pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _gs, ...data } = event;
  return JSON.stringify({ id: eventId, type, occurredAt: at ?? null, data });
}

export interface DispatchPorts {
  readDelivery(eventId: string): Promise<Delivery | undefined>;
  readEvent(eventId: string): Promise<OutboxEvent | undefined>;
  target(shopId: string | undefined): Promise<{ url: string; secret: string } | undefined>;
  post(url: string, body: string, event: OutboxEvent, secret: string): Promise<PostOutcome>;
  save(delivery: Delivery): Promise<void>;
  requeue(eventId: string, attempt: number, delaySeconds: number): Promise<void>;
  now(): Date;
}

/**
 * Delivers one event (attempt n). Idempotent per delivery: a finished delivery is left alone. A
 * retryable failure is re-queued with an exponential delay until MAX_ATTEMPTS.
 */
export async function deliverEvent(eventId: string, attempt: number, ports: DispatchPorts): Promise<Delivery> {
  const now = ports.now();
  const at = now.toISOString();
  const event = await ports.readEvent(eventId);
  const prior = (await ports.readDelivery(eventId)) ?? {
    deliveryId: eventId,
    eventId,
    type: event?.type ?? 'unknown',
    ...(event?.shopId ? { shopId: event.shopId } : {}),
    state: 'pending' as const,
    attempts: 0,
    history: [],
    createdAt: at,
    updatedAt: at,
  };
  if (prior.state === 'delivered' || prior.state === 'failed' || prior.state === 'no_target') return prior;
  if (!event) {
    const gone: Delivery = { ...prior, state: 'failed', lastError: 'event_missing', updatedAt: at };
    await ports.save(gone);
    return gone;
  }
  const target = await ports.target(event.shopId);
  if (!target) {
    const none: Delivery = { ...prior, state: 'no_target', updatedAt: at };
    await ports.save(none);
    return none;
  }
  const outcome = await ports.post(target.url, webhookBody(event), event, target.secret);
  const verdict = judge(outcome);
  const entry: Attempt = {
    at,
    attempt,
    ...(verdict.status !== undefined ? { status: verdict.status } : {}),
    ...(verdict.reason && verdict.result !== 'delivered' ? { error: verdict.reason } : {}),
    ...(outcome.kind !== 'refused' ? { ms: outcome.ms } : {}),
  };
  const attempts = prior.attempts + 1;
  const retry = verdict.result === 'retry' && attempt + 1 < MAX_ATTEMPTS;
  const delay = backoffSeconds(attempt);
  let host: string | undefined;
  try {
    host = new URL(target.url).host;
  } catch {
    host = undefined;
  }
  const next: Delivery = {
    ...prior,
    state: verdict.result === 'delivered' ? 'delivered' : retry ? 'retrying' : 'failed',
    attempts,
    ...(host ? { targetHost: host } : {}),
    ...(verdict.status !== undefined ? { lastStatus: verdict.status } : {}),
    ...(verdict.reason && verdict.result !== 'delivered' ? { lastError: verdict.reason } : {}),
    ...(retry ? { nextAttemptAt: new Date(now.getTime() + delay * 1000).toISOString() } : {}),
    history: [...prior.history, entry].slice(-10),
    updatedAt: at,
  };
  if (!retry) delete next.nextAttemptAt;
  await ports.save(next);
  if (retry) await ports.requeue(eventId, attempt + 1, delay);
  return next;
}
