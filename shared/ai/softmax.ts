/**
 * Multinomial logistic regression (softmax) over sparse binary features, trained with
 * deterministic SGD. Used by scripts/train-classifier.ts; the runtime only needs the
 * sparse weights it exports.
 */

/** One training example: active feature names, class index and sample weight. */
export interface SoftmaxExample {
  features: readonly string[];
  label: number;
  weight?: number;
}

/** Training options; defaults give a stable, small model for short utterances. */
export interface SoftmaxOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  minFeatureCount: number;
  seed: number;
  /** Weights with smaller magnitude are dropped from the exported model. */
  pruneBelow: number;
  /** Decimal places kept in the exported weights. */
  decimals: number;
}

/** Defaults used by the committed model. */
export const DEFAULT_SOFTMAX_OPTIONS: SoftmaxOptions = {
  epochs: 25,
  learningRate: 0.5,
  l2: 1e-5,
  minFeatureCount: 2,
  seed: 20240601,
  pruneBelow: 0.02,
  decimals: 3,
};

/** Sparse model: feature → [classIndex, weight, classIndex, weight, …] plus per-class bias. */
export interface SoftmaxModel {
  classes: string[];
  bias: number[];
  weights: Record<string, number[]>;
}

/** Small deterministic PRNG (mulberry32) so training is reproducible bit for bit. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Numerically stable softmax in place. */
export function softmaxInPlace(z: Float64Array | number[]): void {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let sum = 0;
  for (let k = 0; k < z.length; k++) {
    const e = Math.exp((z[k] as number) - max);
    z[k] = e;
    sum += e;
  }
  for (let k = 0; k < z.length; k++) z[k] = (z[k] as number) / sum;
}

/** Trains the softmax model; identical inputs and options always give identical weights. */
export function trainSoftmax(examples: readonly SoftmaxExample[], classes: readonly string[], opts: Partial<SoftmaxOptions> = {}): SoftmaxModel {
  const o: SoftmaxOptions = { ...DEFAULT_SOFTMAX_OPTIONS, ...opts };
  const K = classes.length;
  const counts = new Map<string, number>();
  for (const ex of examples) for (const f of new Set(ex.features)) counts.set(f, (counts.get(f) ?? 0) + 1);
  const vocab = [...counts.entries()]
    .filter(([, c]) => c >= o.minFeatureCount)
    .map(([f]) => f)
    .sort();
  const index = new Map(vocab.map((f, i) => [f, i]));
  const data = examples.map((ex) => ({
    nRaw: new Set(ex.features).size,
    idx: [...new Set(ex.features)]
      .map((f) => index.get(f))
      .filter((i): i is number => i !== undefined)
      .sort((a, b) => a - b),
    label: ex.label,
    weight: ex.weight ?? 1,
  }));
  const W = new Float64Array(vocab.length * K);
  const bias = new Float64Array(K);
  const rand = mulberry32(o.seed);
  const order = data.map((_, i) => i);
  const z = new Float64Array(K);
  let step = 0;
  const totalSteps = o.epochs * data.length;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
    for (const n of order) {
      const ex = data[n] as { nRaw: number; idx: number[]; label: number; weight: number };
      const lr = (o.learningRate * (1 - step / totalSteps) + 0.01) * ex.weight;
      step++;
      if (ex.idx.length === 0) continue;
      const xv = 1 / Math.sqrt(ex.nRaw);
      for (let k = 0; k < K; k++) z[k] = bias[k] as number;
      for (const f of ex.idx) for (let k = 0; k < K; k++) z[k] = (z[k] as number) + (W[f * K + k] as number) * xv;
      softmaxInPlace(z);
      for (let k = 0; k < K; k++) {
        const g = (z[k] as number) - (k === ex.label ? 1 : 0);
        bias[k] = (bias[k] as number) - lr * 0.1 * g;
        for (const f of ex.idx) {
          const w = W[f * K + k] as number;
          W[f * K + k] = w - lr * (g * xv + o.l2 * w);
        }
      }
    }
  }
  const scale = 10 ** o.decimals;
  const weights: Record<string, number[]> = {};
  vocab.forEach((f, i) => {
    const row: number[] = [];
    for (let k = 0; k < K; k++) {
      const w = W[i * K + k] as number;
      if (Math.abs(w) >= o.pruneBelow) row.push(k, Math.round(w * scale) / scale);
    }
    if (row.length > 0) weights[f] = row;
  });
  return { classes: [...classes], bias: Array.from(bias, (b) => Math.round(b * scale) / scale), weights };
}

/** Class probabilities for a feature list under a sparse model. */
export function predictSoftmax(model: SoftmaxModel, features: readonly string[]): { probs: number[]; known: number } {
  const K = model.classes.length;
  const z = [...model.bias];
  const uniq = [...new Set(features)];
  const xv = uniq.length > 0 ? 1 / Math.sqrt(uniq.length) : 0;
  let known = 0;
  for (const f of uniq) {
    const row = model.weights[f];
    if (!row) continue;
    known++;
    for (let i = 0; i < row.length; i += 2) z[row[i] as number] = (z[row[i] as number] as number) + (row[i + 1] as number) * xv;
  }
  if (K > 0) softmaxInPlace(z);
  return { probs: z, known };
}
