/**
 * Sentiment figures of `npm run eval`: accuracy per set next to a ten-word baseline, the lexicon
 * alone (before the n-gram model), and a cross-domain check of the model (retrained without the
 * restaurant/takeaway rows of Kefu's training corpus, then scored on the food-delivery reviews).
 */
import { type SentimentLabel, sentiment } from '../shared/ai/sentiment.ts';
import { trainSentimentModel, useSentimentModel } from '../shared/ai/sentiment-model.ts';
import { normalize } from '../shared/ai/text.ts';
import { DATA, EVAL, jsonl, record } from './eval-common.ts';

const BASE_POS = /\b(good|great|love|excellent|nice|best|happy|recommend)\b|好|满意|喜欢|推荐|棒/;
const BASE_NEG = /\b(bad|poor|terrible|worst|hate|broke|broken|waste|disappoint\w*)\b|差|坏|失望|不满|垃圾/;

/** Baseline: a ten-word lexicon per polarity, no negation or intensity handling. */
function baselineSentiment(text: string): SentimentLabel {
  const t = normalize(text);
  const p = BASE_POS.test(t);
  const n = BASE_NEG.test(t);
  return p && !n ? 'positive' : n && !p ? 'negative' : 'neutral';
}

type Rated = { text: string; label: SentimentLabel; split?: string };

const accuracy = (data: readonly Rated[], call: (t: string) => SentimentLabel) => data.filter((r) => call(r.text) === r.label).length / data.length;

export function evalSentiment(): void {
  const products = jsonl<Rated>(new URL('sentiment-zh-products.jsonl', DATA));
  const waimai = jsonl<Rated>(`${EVAL}/sentiment-zh/waimai.jsonl`);
  const sets: Array<[string, Rated[], boolean]> = [
    ['sentiment-en (amazon, pos/neg)', jsonl<Rated>(`${EVAL}/sentiment-en/amazon.jsonl`), true],
    ['sentiment-zh (Kefu set, 3-way)', jsonl<Rated>(new URL('sentiment-zh-eval.jsonl', DATA)), true],
    ['sentiment-zh products (Kefu, dev split)', products.filter((r) => r.split === 'dev'), false],
    ['sentiment-zh products (Kefu, held-out)', products.filter((r) => r.split === 'holdout'), true],
    ['sentiment-zh waimai (all 4,000)', waimai, true],
    ['sentiment-zh waimai (even rows: errors read)', waimai.filter((_, i) => i % 2 === 0), false],
    ['sentiment-zh waimai (odd rows: never read)', waimai.filter((_, i) => i % 2 === 1), false],
  ];
  const lexiconOnly = new Map<string, number>();
  useSentimentModel(undefined);
  for (const [name, data] of sets)
    lexiconOnly.set(
      name,
      accuracy(data, (t) => sentiment(t).label),
    );
  useSentimentModel(null);
  for (const [name, data, withTarget] of sets) {
    const ours = accuracy(data, (t) => sentiment(t).label);
    const base = accuracy(data, baselineSentiment);
    const target = name.startsWith('sentiment-en') || name.includes('3-way') ? 0.8 : 0.85;
    record(name, 'accuracy (neutral counts as wrong on pos/neg sets)', ours, base, withTarget ? { atLeast: target } : undefined);
    if (/[\u3400-\u9fff]/u.test(data[0]?.text ?? ''))
      record(name, 'accuracy of the lexicon alone (without the n-gram model)', lexiconOnly.get(name) as number, null);
    const polar = data.filter((r) => r.label !== 'neutral');
    const neutralCalls = polar.filter((r) => sentiment(r.text).label === 'neutral').length / Math.max(1, polar.length);
    record(name, 'share of pos/neg items called neutral', neutralCalls, null);
  }
  // Cross-domain: the model without any restaurant/takeaway training rows, on food-delivery reviews.
  const corpus = jsonl<{ text: string; label: string; domain: string }>(new URL('sentiment-zh-train.jsonl', DATA));
  const full = accuracy(waimai, (t) => sentiment(t).label);
  useSentimentModel(trainSentimentModel(corpus.filter((r) => r.domain !== 'food-service')));
  record(
    'sentiment-zh waimai (all 4,000)',
    'accuracy, model trained without restaurant rows (baseline: full corpus)',
    accuracy(waimai, (t) => sentiment(t).label),
    full,
    {
      atLeast: 0.85,
    },
  );
  useSentimentModel(null);
}
