/**
 * Explainable churn risk for shop customers (see docs/churn-score.md).
 *
 * A hand-set logistic combination of interpretable RFM features, in the spirit of the
 * recency/frequency/monetary scoring literature (Hughes 1994; Fader, Hardie & Lee 2005 show
 * recency and frequency carry most of the signal). Nothing is fitted to any data set:
 *
 *   z = −1 + 1.0·ln(1 + daysSinceLast/30) − 0.75·ln(1 + repeatPurchases)
 *         − 0.1·ln(AOV / shop median AOV) + 0.2·max(0, ln(daysSinceLast / (2·meanGap)))
 *         + Σ service-signal log-odds
 *   risk = 1 / (1 + e^(−z))
 *
 * The rhythm term only applies with ≥ 3 purchase days (a usable personal rhythm). Service
 * signals (SLA breaches, low CSAT, repeat contacts, open complaints, bot loops) add fixed,
 * capped log-odds. Reasons list the terms that push the risk up, in zh and en.
 */

/** One purchase. */
export interface Order {
  customerId: string;
  /** ISO date (YYYY-MM-DD) or anything Date.parse understands. */
  date: string;
  amount: number;
  quantity?: number;
}

/** Optional per-customer service signals (all default to 0). */
export interface ServiceSignals {
  slaBreaches?: number;
  lowCsat?: number;
  repeatContacts?: number;
  openComplaints?: number;
  botLoops?: number;
}

/** One bilingual explanation. */
export interface ChurnReason {
  code: string;
  en: string;
  zh: string;
}

/** Churn score of one customer. */
export interface ChurnScore {
  customerId: string;
  risk: number;
  reasons: ChurnReason[];
  /** Interpretable features behind the score. */
  features: {
    purchases: number;
    daysSinceLast: number;
    daysSinceFirst: number;
    medianGapDays: number | null;
    avgOrderValue: number;
    /** Per-term contributions to the log-odds. */
    logOdds: Record<string, number>;
  };
}

/** Scoring options. */
export interface ChurnOptions {
  /** Per-customer service signals. */
  signals?: Readonly<Record<string, ServiceSignals>>;
}

/** Log-odds added per unit of each service signal, with a cap on units counted. */
export const SIGNAL_WEIGHTS: Readonly<Record<keyof ServiceSignals, { perUnit: number; cap: number }>> = {
  slaBreaches: { perUnit: 0.3, cap: 3 },
  lowCsat: { perUnit: 0.5, cap: 2 },
  repeatContacts: { perUnit: 0.2, cap: 5 },
  openComplaints: { perUnit: 0.6, cap: 2 },
  botLoops: { perUnit: 0.25, cap: 4 },
};

const DAY_MS = 86_400_000;

/** Days since the Unix epoch for an ISO date (UTC, whole days). */
export function dayNumber(date: string): number {
  const t = Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date);
  if (Number.isNaN(t)) throw new Error(`invalid date: ${date}`);
  return Math.floor(t / DAY_MS);
}

/** Summary of one customer's history, in days. */
export interface Rfm {
  customerId: string;
  /** Repeat purchase days (distinct purchase days − 1). */
  x: number;
  /** Day of last purchase minus day of first. */
  tx: number;
  /** As-of minus day of first purchase. */
  T: number;
  purchaseDays: number[];
  totalAmount: number;
  orders: number;
}

/** Groups orders on or before asOf into per-customer RFM summaries (same-day orders count once). */
export function summarise(orders: readonly Order[], asOf: string): Rfm[] {
  const cutoff = dayNumber(asOf);
  const by = new Map<string, { days: Set<number>; amount: number; orders: number }>();
  for (const o of orders) {
    const d = dayNumber(o.date);
    if (d > cutoff) continue;
    let c = by.get(o.customerId);
    if (!c) by.set(o.customerId, (c = { days: new Set(), amount: 0, orders: 0 }));
    c.days.add(d);
    c.amount += Number.isFinite(o.amount) ? o.amount : 0;
    c.orders++;
  }
  const out: Rfm[] = [];
  for (const [customerId, c] of by) {
    const days = [...c.days].sort((a, b) => a - b);
    const first = days[0] as number;
    const last = days[days.length - 1] as number;
    out.push({ customerId, x: days.length - 1, tx: last - first, T: cutoff - first, purchaseDays: days, totalAmount: c.amount, orders: c.orders });
  }
  out.sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
  return out;
}

/** Hand-set coefficients of the risk formula (log-odds scale); see docs/churn-score.md. */
export const COEFFICIENTS = {
  intercept: -1,
  recency: 1,
  recencyScaleDays: 30,
  frequency: 0.75,
  monetary: 0.1,
  rhythm: 0.2,
  rhythmTolerance: 2,
} as const;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

const REASON_TEXT: Readonly<Record<string, (v: number) => [string, string]>> = {
  overdue_vs_rhythm: (v) => [
    `No purchase for ${v.toFixed(1)}× this customer's usual gap between orders`,
    `距上次购买已超过其平时购买间隔的 ${v.toFixed(1)} 倍`,
  ],
  long_since_last_purchase: (v) => [`${v} days since the last purchase`, `距上次购买已 ${v} 天`],
  single_purchase: () => ['Bought only once so far', '目前只购买过一次'],
  low_frequency: () => ['Buys less often than most customers', '购买频率低于大多数顾客'],
  low_spend: () => ["Spends well below the shop's typical order value", '客单价明显低于店铺的典型水平'],
  sla_breaches: (v) => [`${v} support response(s) missed the SLA`, `${v} 次客服响应超出服务时限`],
  low_csat: (v) => [`${v} low satisfaction rating(s)`, `${v} 次低满意度评价`],
  repeat_contacts: (v) => [`Contacted support ${v} times about the same issue`, `同一问题联系客服 ${v} 次`],
  open_complaints: (v) => [`${v} open complaint(s)`, `${v} 个未解决的投诉`],
  bot_loops: (v) => [`Got stuck with the bot ${v} time(s)`, `与机器人对话陷入循环 ${v} 次`],
  active_regular: () => ['Buying at their usual rhythm', '按平时的节奏在购买'],
};

/** A bilingual churn reason by its code (the hand-set score's and the fitted models' alike). */
export function churnReason(code: string, v = 0): ChurnReason {
  const [en, zh] = (REASON_TEXT[code] ?? REASON_TEXT.active_regular)?.(v) as [string, string];
  return { code, en, zh };
}
const reason = churnReason;

/** Scores every customer with orders on or before asOf; sorted by customerId. */
export function scoreChurn(orders: readonly Order[], asOf: string, opts: ChurnOptions = {}): ChurnScore[] {
  const k = COEFFICIENTS;
  const rfm = summarise(orders, asOf);
  if (rfm.length === 0) return [];
  const rates = rfm.map((c) => c.x / Math.max(30, c.T));
  const medianRate = median(rates);
  const aov = rfm.map((c) => c.totalAmount / Math.max(1, c.purchaseDays.length));
  const positiveAov = aov.filter((v) => v > 0);
  const medianAov = positiveAov.length > 0 ? median(positiveAov) : 0;
  return rfm.map((c, i) => {
    const daysSinceLast = c.T - c.tx;
    const gaps = c.purchaseDays.slice(1).map((d, n) => d - (c.purchaseDays[n] as number));
    const medianGap = gaps.length > 0 ? median(gaps) : null;
    const meanGap = c.x > 0 ? c.tx / c.x : 0;
    const a = aov[i] as number;
    const terms: Record<string, number> = {
      intercept: k.intercept,
      recency: k.recency * Math.log1p(daysSinceLast / k.recencyScaleDays),
      frequency: -k.frequency * Math.log1p(c.x),
      monetary: a > 0 && medianAov > 0 ? -k.monetary * Math.max(-2, Math.min(2, Math.log(a / medianAov))) : 0,
      rhythm: c.x >= 2 && meanGap > 0 ? k.rhythm * Math.max(0, Math.log(daysSinceLast / (k.rhythmTolerance * meanGap))) : 0,
    };
    const sig = opts.signals?.[c.customerId] ?? {};
    const reasons: Array<{ weight: number; r: ChurnReason }> = [];
    for (const key of Object.keys(SIGNAL_WEIGHTS) as Array<keyof ServiceSignals>) {
      const n = Math.max(0, Math.floor(sig[key] ?? 0));
      if (n === 0) continue;
      const w = SIGNAL_WEIGHTS[key];
      const add = w.perUnit * Math.min(n, w.cap);
      terms[key] = add;
      reasons.push({
        weight: add,
        r: reason(
          key.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`),
          n,
        ),
      });
    }
    const z = Object.values(terms).reduce((s, v) => s + v, 0);
    const risk = 1 / (1 + Math.exp(-z));
    // Reasons: the terms that raise risk compared with a typical recent repeat buyer.
    const recencyExcess = (terms.recency as number) - k.recency * Math.log1p(60 / k.recencyScaleDays);
    if (recencyExcess > 0) reasons.push({ weight: recencyExcess, r: reason('long_since_last_purchase', daysSinceLast) });
    if (meanGap > 0 && daysSinceLast > k.rhythmTolerance * meanGap) {
      const ratio = daysSinceLast / meanGap;
      reasons.push({ weight: 0.2 + (terms.rhythm as number), r: reason('overdue_vs_rhythm', Math.round(ratio * 10) / 10) });
    }
    if (c.x === 0) reasons.push({ weight: 0.5, r: reason('single_purchase') });
    else if ((rates[i] as number) < medianRate) reasons.push({ weight: 0.25, r: reason('low_frequency') });
    if ((terms.monetary as number) >= 0.07) reasons.push({ weight: terms.monetary as number, r: reason('low_spend') });
    reasons.sort((p, q) => q.weight - p.weight);
    const top = reasons.slice(0, 4).map((x) => x.r);
    if (top.length === 0) top.push(reason('active_regular'));
    const logOdds: Record<string, number> = {};
    for (const [name, v] of Object.entries(terms)) logOdds[name] = Math.round(v * 1e4) / 1e4;
    return {
      customerId: c.customerId,
      risk: Math.round(risk * 1e4) / 1e4,
      reasons: top,
      features: {
        purchases: c.purchaseDays.length,
        daysSinceLast,
        daysSinceFirst: c.T,
        medianGapDays: medianGap,
        avgOrderValue: Math.round(a * 100) / 100,
        logOdds,
      },
    };
  });
}

/** Parses the shop order CSV (customer_id,date,quantity,amount; header required, column order free). */
export function parseOrdersCsv(csv: string): Order[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim().toLowerCase());
  const col = (names: string[]) => header.findIndex((h) => names.includes(h));
  const ci = col(['customer_id', 'customerid', 'customer']);
  const di = col(['date', 'order_date', 'created_at']);
  const ai = col(['amount', 'total', 'value']);
  const qi = col(['quantity', 'qty']);
  if (ci < 0 || di < 0) throw new Error('orders CSV needs customer_id and date columns');
  return lines.map((line, n) => {
    const cells = line.split(',').map((c) => c.trim());
    const customerId = cells[ci] ?? '';
    const date = cells[di] ?? '';
    if (!customerId || !date) throw new Error(`orders CSV line ${n + 2}: missing customer_id or date`);
    return { customerId, date, amount: ai >= 0 ? Number(cells[ai]) : 0, quantity: qi >= 0 ? Number(cells[qi]) : 1 };
  });
}

/** ROC AUC with tie handling (Mann–Whitney U); used by the eval to compare scores. */
export function rocAuc(scores: readonly number[], labels: readonly boolean[]): number {
  const idx = scores.map((_, i) => i).sort((i, j) => (scores[i] as number) - (scores[j] as number));
  const ranks = new Array<number>(scores.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1] as number] === scores[idx[i] as number]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[idx[k] as number] = r;
    i = j + 1;
  }
  let pos = 0;
  let sum = 0;
  labels.forEach((l, i) => {
    if (l) {
      pos++;
      sum += ranks[i] as number;
    }
  });
  const neg = labels.length - pos;
  if (pos === 0 || neg === 0) return 0.5;
  return (sum - (pos * (pos + 1)) / 2) / (pos * neg);
}
