/**
 * Trains Kefu's intent classifier deterministically and writes shared/ai/model/classifier.json.
 * Training data: Bitext train split (English), Kefu's hand-written Chinese/product/other set and
 * a small hand-written set of free-phrased English requests (Bitext is very templated).
 * Usage: npm exec -- node scripts/train-classifier.ts [--bitext PATH] [--zh PATH] [--en-extra PATH] [--out PATH]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { classifierFeatures, INTENTS, type ClassifierModelFile } from '../shared/ai/classifier.ts';
import { DEFAULT_SOFTMAX_OPTIONS, trainSoftmax, type SoftmaxExample } from '../shared/ai/softmax.ts';

interface Row {
  text: string;
  intent: string;
}

/** Reads a JSONL file of {text, intent} rows. */
function readJsonl(path: string): Row[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Row);
}

const root = new URL('../', import.meta.url);
const evalDir = process.env.KEFU_EVAL_DIR ?? new URL('../shared/eval', root).pathname;
const { values } = parseArgs({
  options: {
    bitext: { type: 'string', default: `${evalDir}/bitext/train.jsonl` },
    zh: { type: 'string', default: new URL('shared/ai/data/zh-train.jsonl', root).pathname },
    'en-extra': { type: 'string', default: new URL('shared/ai/data/en-extra-train.jsonl', root).pathname },
    out: { type: 'string', default: new URL('shared/ai/model/classifier.json', root).pathname },
    'zh-weight': { type: 'string', default: '2' },
  },
});

const zhWeight = Number(values['zh-weight']);
const sources: Array<{ path: string; weight: number }> = [
  { path: values.bitext, weight: 1 },
  { path: values.zh, weight: zhWeight },
  { path: values['en-extra'], weight: zhWeight },
];
const examples: SoftmaxExample[] = [];
for (const src of sources) {
  for (const row of readJsonl(src.path)) {
    const label = INTENTS.indexOf(row.intent);
    if (label < 0) throw new Error(`unknown intent ${row.intent} in ${src.path}`);
    examples.push({ features: classifierFeatures(row.text), label, weight: src.weight });
  }
}
const started = performance.now();
const model = trainSoftmax(examples, INTENTS);
const file: ClassifierModelFile = {
  format: 'kefu-classifier',
  version: 1,
  trainedOn: [
    'bitext/train.jsonl (CDLA-Sharing-1.0, Bitext)',
    'shared/ai/data/zh-train.jsonl (Kefu, hand-written)',
    'shared/ai/data/en-extra-train.jsonl (Kefu, hand-written)',
  ],
  options: { ...DEFAULT_SOFTMAX_OPTIONS, zhWeight },
  model,
};
const json = JSON.stringify(file);
writeFileSync(values.out, json + '\n');
console.error(
  `trained on ${examples.length} examples in ${Math.round(performance.now() - started)} ms; ` +
    `${Object.keys(model.weights).length} features, ${(json.length / 1e6).toFixed(2)} MB → ${values.out}`,
);
