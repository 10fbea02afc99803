/**
 * Points ledger domain (pure; no I/O). A member's balance is the sum of the ledger, and equals
 * the sum of the open *lots*: every credit opens a lot that expires on its own date, and every
 * debit (redeem, reverse, negative adjust) takes from lots, oldest expiry first. Expiry then
 * removes exactly what is left of one lot. The store writes a change (entry + source guard +
 * lot changes + balance) in one TransactWriteItems, so the invariants below hold in the table:
 *
 *   balance = Σ entry.points = Σ lot.remaining ≥ 0
 */

export type EntryKind = 'earn' | 'reverse' | 'redeem' | 'expire' | 'adjust';

/** Points earned together that expire together. */
export interface Lot {
  lotId: string;
  expiresAt: string;
  remaining: number;
}

/** One append-only ledger line. */
export interface LedgerEntry {
  entryId: string;
  kind: EntryKind;
  /** Signed change of the balance. */
  points: number;
  /** What caused it; unique per ledger change (`order#{id}#earn`, `adjust#{key}`, `expire#{lotId}`). */
  sourceId: string;
  at: string;
  balanceAfter: number;
  /** Staff adjustments and action earns say why (shown to staff, never to the shopper). */
  reason?: string;
  /** Staff member (subject) behind an adjustment. */
  actor?: string;
  /** Credits: when these points lapse. */
  expiresAt?: string;
  /** Debits that may be partial (a reversal after the points were spent): what could not be taken. */
  shortfall?: number;
}

export interface LedgerState {
  balance: number;
  /** Open lots (remaining > 0). */
  lots: readonly Lot[];
}

/** How much a debit takes from one lot (`before` is the lot's remaining, the write's condition). */
export interface LotTake {
  lotId: string;
  expiresAt: string;
  before: number;
  take: number;
}

/** Everything one ledger change writes. */
export interface LedgerChange {
  entry: LedgerEntry;
  balanceBefore: number;
  newLot?: Lot;
  takes: LotTake[];
}

export type LedgerError = 'insufficient_points' | 'too_many_lots' | 'invalid_points';

/**
 * A DynamoDB transaction holds at most 100 items; a change also writes the entry, the source
 * guard, the profile and sometimes an order, timeline and outbox item.
 */
export const MAX_LOTS_PER_CHANGE = 90;

/** Lots in the order debits consume them: oldest expiry first, then lot id. */
export function byExpiry(a: Lot, b: Lot): number {
  return a.expiresAt < b.expiresAt ? -1 : a.expiresAt > b.expiresAt ? 1 : a.lotId < b.lotId ? -1 : a.lotId > b.lotId ? 1 : 0;
}

/** `iso` plus whole calendar months (UTC), clamped to the month's last day (Jan 31 + 1 → Feb 28/29). */
export function addMonths(iso: string, months: number): string {
  const d = new Date(iso);
  const day = d.getUTCDate();
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, last));
  return target.toISOString();
}

export interface CreditInput {
  kind: 'earn' | 'adjust';
  points: number;
  sourceId: string;
  entryId: string;
  at: string;
  expiresAt: string;
  reason?: string;
  actor?: string;
}

/** A credit opens a lot of its own that expires at `expiresAt`. */
export function credit(state: LedgerState, input: CreditInput): LedgerChange | LedgerError {
  if (!Number.isSafeInteger(input.points) || input.points <= 0) return 'invalid_points';
  const balanceAfter = state.balance + input.points;
  return {
    balanceBefore: state.balance,
    entry: {
      entryId: input.entryId,
      kind: input.kind,
      points: input.points,
      sourceId: input.sourceId,
      at: input.at,
      balanceAfter,
      expiresAt: input.expiresAt,
      ...(input.reason !== undefined ? { reason: input.reason } : {}),
      ...(input.actor !== undefined ? { actor: input.actor } : {}),
    },
    newLot: { lotId: input.entryId, expiresAt: input.expiresAt, remaining: input.points },
    takes: [],
  };
}

export interface DebitInput {
  kind: 'redeem' | 'reverse' | 'adjust';
  points: number;
  sourceId: string;
  entryId: string;
  at: string;
  /** Take from this lot first (a reversal takes back the order's own points first). */
  preferLot?: string;
  /** Take what there is instead of refusing (reversals); the rest is recorded as `shortfall`. */
  allowPartial?: boolean;
  reason?: string;
  actor?: string;
}

/** A debit takes from lots, the preferred lot first and then oldest expiry first; never below zero. */
export function debit(state: LedgerState, input: DebitInput): LedgerChange | LedgerError {
  if (!Number.isSafeInteger(input.points) || input.points <= 0) return 'invalid_points';
  if (input.points > state.balance && !input.allowPartial) return 'insufficient_points';
  const wanted = Math.min(input.points, state.balance);
  const sorted = [...state.lots].filter((l) => l.remaining > 0).sort(byExpiry);
  const preferred = sorted.findIndex((l) => l.lotId === input.preferLot);
  if (preferred > 0) sorted.unshift(...sorted.splice(preferred, 1));
  const takes: LotTake[] = [];
  let left = wanted;
  for (const lot of sorted) {
    if (left === 0) break;
    if (takes.length === MAX_LOTS_PER_CHANGE) {
      if (!input.allowPartial) return 'too_many_lots';
      break;
    }
    const take = Math.min(left, lot.remaining);
    takes.push({ lotId: lot.lotId, expiresAt: lot.expiresAt, before: lot.remaining, take });
    left -= take;
  }
  const taken = wanted - left;
  const shortfall = input.points - taken;
  if (taken === 0 && !input.allowPartial) return 'insufficient_points';
  return {
    balanceBefore: state.balance,
    entry: {
      entryId: input.entryId,
      kind: input.kind,
      points: taken === 0 ? 0 : -taken,
      sourceId: input.sourceId,
      at: input.at,
      balanceAfter: state.balance - taken,
      ...(shortfall > 0 ? { shortfall } : {}),
      ...(input.reason !== undefined ? { reason: input.reason } : {}),
      ...(input.actor !== undefined ? { actor: input.actor } : {}),
    },
    takes,
  };
}

/** Expiry removes what is left of one lot (nothing when it is already empty or gone). */
export function expireLot(state: LedgerState, lotId: string, entryId: string, at: string): LedgerChange | undefined {
  const lot = state.lots.find((l) => l.lotId === lotId);
  if (!lot || lot.remaining <= 0) return undefined;
  const take = Math.min(lot.remaining, state.balance);
  return {
    balanceBefore: state.balance,
    entry: {
      entryId,
      kind: 'expire',
      points: -take,
      sourceId: expireSource(lotId),
      at,
      balanceAfter: state.balance - take,
    },
    takes: [{ lotId, expiresAt: lot.expiresAt, before: lot.remaining, take }],
  };
}

/** The source id of a lot's expiry (one expiry per lot, ever). */
export function expireSource(lotId: string): string {
  return `expire#${lotId}`;
}

/** The state after a change (what the transaction leaves in the table). */
export function applyChange(state: LedgerState, change: LedgerChange): LedgerState {
  const taken = new Map(change.takes.map((t) => [t.lotId, t.take]));
  const lots = state.lots.map((l) => ({ ...l, remaining: l.remaining - (taken.get(l.lotId) ?? 0) })).filter((l) => l.remaining > 0);
  if (change.newLot) lots.push(change.newLot);
  lots.sort(byExpiry);
  return { balance: change.entry.balanceAfter, lots };
}
