/**
 * Purchase histories and the features every churn model reads (pure). A history is a customer's
 * distinct purchase days (days since the epoch, same-day orders count once) with the amount per
 * day; `at(h, cutoff)` is what was known on a date, so a time split never peeks past its cutoff.
 * The compact text form (`encodeHistory`) is what the shop stores on a profile and in fit chunks.
 */
import { dayNumber, type Order } from '#shared/ai/churn.ts';

export interface History {
  id: string;
  /** Distinct purchase days, ascending. */
  days: number[];
  /** Amount per purchase day (same order as `days`). */
  amounts: number[];
  /** Optional grouping (the member's tier on the shop side). */
  tier?: string;
}

/** Features of one customer as of a cutoff day (all in days). */
export interface Rfm {
  /** Repeat purchase days (distinct purchase days − 1). */
  x: number;
  /** Last purchase day minus first. */
  tx: number;
  /** Cutoff minus first purchase day. */
  T: number;
  /** Days since the last purchase (T − tx). */
  recency: number;
  /** Average amount per purchase day. */
  aov: number;
  /** Gap between the last two purchase days (0 with one purchase). */
  lastGap: number;
}

/** Groups orders into histories (only orders on or before `asOf` when given), sorted by id. */
export function historiesFromOrders(orders: readonly Order[], asOf?: string): History[] {
  const cutoff = asOf === undefined ? Number.POSITIVE_INFINITY : dayNumber(asOf);
  const by = new Map<string, Map<number, number>>();
  for (const o of orders) {
    const d = dayNumber(o.date);
    if (d > cutoff) continue;
    let days = by.get(o.customerId);
    if (!days) by.set(o.customerId, (days = new Map()));
    days.set(d, (days.get(d) ?? 0) + (Number.isFinite(o.amount) ? o.amount : 0));
  }
  const out: History[] = [];
  for (const [id, days] of by) {
    const sorted = [...days.keys()].sort((a, b) => a - b);
    out.push({ id, days: sorted, amounts: sorted.map((d) => days.get(d) as number) });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** How many purchase days of `h` fall on or before `cutoff` (binary search). */
export function countThrough(h: History, cutoff: number): number {
  let lo = 0;
  let hi = h.days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((h.days[mid] as number) <= cutoff) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The customer's features as of `cutoff`; undefined when they had not bought yet. */
export function rfmAt(h: History, cutoff: number): Rfm | undefined {
  const n = countThrough(h, cutoff);
  if (n === 0) return undefined;
  const first = h.days[0] as number;
  const last = h.days[n - 1] as number;
  let total = 0;
  for (let i = 0; i < n; i++) total += h.amounts[i] as number;
  return {
    x: n - 1,
    tx: last - first,
    T: cutoff - first,
    recency: cutoff - last,
    aov: total / n,
    lastGap: n >= 2 ? last - (h.days[n - 2] as number) : 0,
  };
}

/** True when the customer bought nothing in (from, to]. */
export function silentIn(h: History, from: number, to: number): boolean {
  return countThrough(h, to) === countThrough(h, from);
}

/** Compact text of a history: `day:amount` pairs joined by commas (amounts in cents precision). */
export function encodeHistory(days: readonly number[], amounts: readonly number[]): string {
  return days.map((d, i) => `${d}:${Math.round((amounts[i] ?? 0) * 100) / 100}`).join(',');
}

/** Parses `encodeHistory` text (invalid pairs are skipped). */
export function decodeHistory(id: string, text: string, tier?: string): History {
  const days: number[] = [];
  const amounts: number[] = [];
  for (const pair of text.split(',')) {
    const [d, a] = pair.split(':');
    const day = Number(d);
    if (!d || !Number.isInteger(day)) continue;
    days.push(day);
    amounts.push(Number(a) || 0);
  }
  return { id, days, amounts, ...(tier ? { tier } : {}) };
}

/** Most recent purchase days kept on a profile (older ones are folded into the first kept day). */
export const HISTORY_CAP = 400;

/** A contact's history text from their counted orders (ISO `placedAt`), capped to HISTORY_CAP days. */
export function historyText(orders: readonly { placedAt: string; amount: number }[]): string {
  const h = historiesFromOrders(orders.map((o) => ({ customerId: '', date: o.placedAt, amount: o.amount })))[0];
  if (!h) return '';
  const keep = h.days.length - HISTORY_CAP;
  if (keep <= 0) return encodeHistory(h.days, h.amounts);
  // Keep the first day (tenure) and the most recent ones; frequency is then a lower bound.
  return encodeHistory([h.days[0] as number, ...h.days.slice(keep + 1)], [h.amounts[0] as number, ...h.amounts.slice(keep + 1)]);
}

/** ISO date of a day number. */
export function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = Float64Array.from(xs).sort();
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}
