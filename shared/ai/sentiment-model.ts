/**
 * A small learned complement to the Chinese sentiment lexicon: a softmax regression
 * (shared/ai/softmax.ts) over character n-grams, trained on Kefu's own hand-written review and
 * chat corpus (shared/ai/data/sentiment-zh-train.jsonl: shop products of many kinds, delivery,
 * service, plus neutral shopper questions). It never saw the evaluation sets. The lexicon knows
 * opinion words; the n-grams add what reviews say without them ("少了一个配件", "等了十天才到",
 * "还会再买"). Weights: shared/ai/model/sentiment-zh.ts, written by bench/eval-train-sentiment.ts.
 */
import { SENTIMENT_ZH_MODEL } from './model/sentiment-zh.ts';
import { predictSoftmax, type SoftmaxModel, type SoftmaxOptions, trainSoftmax } from './softmax.ts';
import { normalize } from './text.ts';

/** Model classes in order. */
export const SENTIMENT_CLASSES = ['negative', 'neutral', 'positive'] as const;

/** Training options of the committed model (general defaults, not tuned on evaluation data). */
export const SENTIMENT_TRAINING: Partial<SoftmaxOptions> = { epochs: 30, learningRate: 0.4, l2: 1e-4, minFeatureCount: 2, pruneBelow: 0.01, decimals: 3 };

/**
 * Features of a text: per clause (split at punctuation), character 1-, 2- and 3-grams of the
 * Chinese, bigrams marked at the clause's start and end, Latin words, and whether it ends in a
 * question.
 */
export function sentimentFeatures(text: string): string[] {
  const norm = normalize(text);
  const out: string[] = [];
  const clauses = norm.split(/[,.;!?~，。；！？、\n…]+/u).filter((c) => c.trim() !== '');
  for (const clause of clauses) {
    const chars = Array.from(clause.replace(/[^\u3400-\u9fffa-z0-9]+/gu, ''));
    const cjk = chars.filter((c) => /[\u3400-\u9fff]/u.test(c));
    if (cjk.length > 0) {
      for (let i = 0; i < cjk.length; i++) {
        out.push(`c:${cjk[i]}`);
        if (i + 1 < cjk.length) out.push(`b:${cjk[i]}${cjk[i + 1]}`);
        if (i + 2 < cjk.length) out.push(`t:${cjk[i]}${cjk[i + 1]}${cjk[i + 2]}`);
      }
      out.push(`s:^${cjk.slice(0, 2).join('')}`, `s:${cjk.slice(-2).join('')}$`);
    }
    for (const w of clause.match(/[a-z]{2,}/g) ?? []) out.push(`w:${w}`);
  }
  if (/[?？]\s*$|[吗呢么][?？~。.!！]*$/u.test(norm)) out.push('q:end');
  if (/[!！]/u.test(norm)) out.push('x:bang');
  return out;
}

/** Trains the model from labelled texts (deterministic: same data, same weights). */
export function trainSentimentModel(rows: ReadonlyArray<{ text: string; label: string }>): SoftmaxModel {
  const classes = [...SENTIMENT_CLASSES] as string[];
  const examples = rows.filter((r) => classes.includes(r.label)).map((r) => ({ features: sentimentFeatures(r.text), label: classes.indexOf(r.label) }));
  return trainSoftmax(examples, classes, SENTIMENT_TRAINING);
}

let model: SoftmaxModel | undefined | null = null;

/** The committed model, parsed on first use (a module, so every bundle carries it). */
function committed(): SoftmaxModel | undefined {
  if (model === null) model = JSON.parse(SENTIMENT_ZH_MODEL) as SoftmaxModel;
  return model;
}

/** Replaces the model (evaluation and tests): `undefined` runs the lexicon alone, `null` restores the committed model. */
export function useSentimentModel(m: SoftmaxModel | undefined | null): void {
  model = m;
}

/** Class probabilities of a text, or undefined without a model or known features. */
export function modelSentiment(text: string): { negative: number; neutral: number; positive: number } | undefined {
  const m = committed();
  if (!m) return undefined;
  const { probs, known } = predictSoftmax(m, sentimentFeatures(text));
  if (known === 0) return undefined;
  return { negative: probs[0] as number, neutral: probs[1] as number, positive: probs[2] as number };
}
