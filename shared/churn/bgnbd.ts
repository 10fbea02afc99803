/**
 * BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"), pure. While alive a
 * customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each purchase they drop out
 * with probability p ~ Beta(a, b). Fitted by maximum likelihood (Nelder–Mead on the log-parameters)
 * from each customer's (x, tₓ, T) in days. Gives P(alive), P(no purchase in the next τ days) —
 * the churn risk over a horizon — and the expected number of purchases.
 */
import { lnGamma, logAddExp, nelderMead } from './numeric.ts';

export interface BgnbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** What the fit needs of a customer (days). */
export interface Rft {
  x: number;
  tx: number;
  T: number;
}

/** Sum of the log-likelihood over customers (−∞ for invalid parameters). */
export function bgnbdLogLik(p: BgnbdParams, data: readonly Rft[]): number {
  const { r, alpha, a, b } = p;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return Number.NEGATIVE_INFINITY;
  // Terms depending on x only are shared by everyone with that x.
  const byX = new Map<number, number>();
  const lnBab = lnGamma(a) + lnGamma(b) - lnGamma(a + b);
  const xTerm = (x: number) => {
    let v = byX.get(x);
    if (v === undefined) {
      v = lnGamma(r + x) - lnGamma(r) + r * Math.log(alpha) + lnGamma(a) + lnGamma(b + x) - lnGamma(a + b + x) - lnBab;
      byX.set(x, v);
    }
    return v;
  };
  let sum = 0;
  for (const c of data) {
    const a3 = -(r + c.x) * Math.log(alpha + c.T);
    const a4 = c.x > 0 ? Math.log(a) - Math.log(b + c.x - 1) - (r + c.x) * Math.log(alpha + c.tx) : Number.NEGATIVE_INFINITY;
    sum += xTerm(c.x) + logAddExp(a3, a4);
  }
  return sum;
}

/** Maximum-likelihood fit; starts from moment-ish guesses, restarts once from the first optimum. */
export function fitBgnbd(data: readonly Rft[]): BgnbdParams & { logLik: number } {
  if (data.length === 0) throw new Error('BG/NBD fit needs customers');
  let sx = 0;
  let sT = 0;
  for (const c of data) {
    sx += c.x;
    sT += c.T;
  }
  const rate = Math.max(1e-4, sx / Math.max(1, sT));
  const unpack = (v: readonly number[]): BgnbdParams => ({
    r: Math.exp(v[0] as number),
    alpha: Math.exp(v[1] as number),
    a: Math.exp(v[2] as number),
    b: Math.exp(v[3] as number),
  });
  // Bounded log-parameters keep the simplex out of numerically empty regions.
  const f = (v: number[]) => (v.some((u) => Math.abs(u) > 30) ? Number.POSITIVE_INFINITY : -bgnbdLogLik(unpack(v), data));
  let best = nelderMead(f, [0, Math.log(1 / rate), 0, 0], { step: 1 });
  best = nelderMead(f, best.x, { step: 0.3 });
  return { ...unpack(best.x), logLik: -best.value };
}

/** P(alive at T | x, tₓ, T). */
export function pAlive(p: BgnbdParams, c: Rft): number {
  if (c.x === 0) return 1;
  const lnRatio = Math.log(p.a) - Math.log(p.b + c.x - 1) + (p.r + c.x) * Math.log((p.alpha + c.T) / (p.alpha + c.tx));
  return 1 / (1 + Math.exp(lnRatio));
}

/**
 * P(no purchase in (T, T + τ]): dead, or alive with no purchase. Alive customers' rates have
 * posterior Gamma(r + x, α + T), and dropping out only follows a purchase.
 */
export function pNoPurchase(p: BgnbdParams, c: Rft, tau: number): number {
  const alive = pAlive(p, c);
  return 1 - alive + alive * Math.exp((p.r + c.x) * Math.log((p.alpha + c.T) / (p.alpha + c.T + tau)));
}

/** Gauss hypergeometric ₂F₁(a, b; c; z) by its series (|z| < 1). */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < 5000; n++) {
    term *= ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    sum += term;
    if (Math.abs(term) < 1e-12 * Math.abs(sum)) break;
  }
  return sum;
}

/** Expected purchases in (T, T + t] given the history (eq. 10 of the paper; needs a > 1). */
export function expectedPurchases(p: BgnbdParams, c: Rft, t: number): number {
  const { r, alpha, a, b } = p;
  if (a <= 1) return Number.NaN;
  const z = t / (alpha + c.T + t);
  const head = (a + b + c.x - 1) / (a - 1);
  const body = 1 - ((alpha + c.T) / (alpha + c.T + t)) ** (r + c.x) * hyp2f1(r + c.x, b + c.x, a + b + c.x - 1, z);
  const tail = c.x > 0 ? (a / (b + c.x - 1)) * ((alpha + c.T) / (alpha + c.tx)) ** (r + c.x) : 0;
  return (head * body) / (1 + tail);
}

/** Simulates customers from known parameters (tests and benchmarks); `rand` in [0, 1). */
export function simulateBgnbd(p: BgnbdParams, n: number, T: number, rand: () => number): Rft[] {
  const gamma = (shape: number): number => {
    // Marsaglia–Tsang, with the shape < 1 boost.
    if (shape < 1) return gamma(shape + 1) * rand() ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        const u1 = rand() || 1e-12;
        const u2 = rand();
        x = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = rand();
      if (u < 1 - 0.0331 * x ** 4 || Math.log(u || 1e-12) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  };
  const out: Rft[] = [];
  for (let i = 0; i < n; i++) {
    const lambda = gamma(p.r) / p.alpha;
    const ga = gamma(p.a);
    const drop = ga / (ga + gamma(p.b));
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += -Math.log(1 - rand()) / lambda;
      if (t > T) break;
      x++;
      tx = t;
      if (rand() < drop) break;
    }
    out.push({ x, tx, T });
  }
  return out;
}
