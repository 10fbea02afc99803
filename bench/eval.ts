/**
 * Offline AI evaluation (npm run eval): every metric on the public data in one process,
 * each next to a baseline measured in the same run and the target.
 * Data: ../shared/eval beside the repo (override with KEFU_EVAL_DIR) and shared/ai/data.
 */
import { readFileSync } from 'node:fs';
import { buildBaseline } from '../shared/ai/bm25-baseline.ts';
import { dayNumber, parseOrdersCsv, rocAuc, scoreChurn } from '../shared/ai/churn.ts';
import { classify, HANDOFF_INTENTS } from '../shared/ai/classifier.ts';
import { type Article, buildIndex } from '../shared/ai/kb-index.ts';
import { normalize } from '../shared/ai/text.ts';
import { hasIcuSegmenter } from '../shared/ai/zh.ts';
import { evalChurnModel } from './eval-churn.ts';
import { type BotQuestion, DATA, demoArticles, demoBot, EVAL, jsonl, record, rows } from './eval-common.ts';
import { evalLearning } from './eval-learning.ts';
import { evalSentiment } from './eval-sentiment.ts';

// ---------------------------------------------------------------- knowledge base
interface Query {
  id: string;
  query: string;
  relevant: string[];
}

/** recall@1, recall@5 and MRR@10 of a searcher over labelled queries. */
function retrievalMetrics(search: (q: string) => string[], queries: readonly Query[]): { r1: number; r5: number; mrr: number } {
  let r1 = 0;
  let r5 = 0;
  let mrr = 0;
  for (const q of queries) {
    const rank = search(q.query).findIndex((id) => q.relevant.includes(id));
    if (rank === 0) r1++;
    if (rank >= 0 && rank < 5) r5++;
    if (rank >= 0 && rank < 10) mrr += 1 / (rank + 1);
  }
  const n = queries.length;
  return { r1: r1 / n, r5: r5 / n, mrr: mrr / n };
}

function evalKb(): void {
  const kb = jsonl<Article>(`${EVAL}/stackfaq/kb.jsonl`);
  const queries = jsonl<Query>(`${EVAL}/stackfaq/queries-dev.jsonl`);
  const ours = buildIndex(kb);
  const base = buildBaseline(kb);
  const o = retrievalMetrics((q) => ours.search(q, { top: 10 }).map((h) => h.id), queries);
  const b = retrievalMetrics((q) => base.search(q, { top: 10 }).map((h) => h.id), queries);
  record('kb (stackfaq dev)', 'recall@1', o.r1, b.r1, { atLeast: 0.8 });
  record('kb (stackfaq dev)', 'recall@5', o.r5, b.r5, { atLeast: 0.95 });
  record('kb (stackfaq dev)', 'MRR@10', o.mrr, b.mrr);
  const detailed = queries.map((q) => {
    const r = ours.searchDetailed(q.query, { top: 1 });
    return { answer: r.decision === 'answer', ok: r.hits[0] !== undefined && q.relevant.includes(r.hits[0].id) };
  });
  const answered = detailed.filter((d) => d.answer);
  record('kb (stackfaq dev)', 'share auto-answered (confidence)', answered.length / detailed.length, null);
  record('kb (stackfaq dev)', 'precision@1 when auto-answering', answered.filter((d) => d.ok).length / Math.max(1, answered.length), o.r1);

  const zhKb = jsonl<Article>(new URL('zh-kb-demo.jsonl', DATA));
  const zhQ = jsonl<Query>(new URL('zh-kb-demo-queries.jsonl', DATA));
  const zo = retrievalMetrics(
    (q) =>
      buildIndex(zhKb)
        .search(q, { top: 10 })
        .map((h) => h.id),
    zhQ,
  );
  const zb = retrievalMetrics(
    (q) =>
      buildBaseline(zhKb)
        .search(q, { top: 10 })
        .map((h) => h.id),
    zhQ,
  );
  record('kb (zh demo, 12 q)', 'recall@1', zo.r1, zb.r1);

  // Latency: 1,000-article synthetic KB mixing stackfaq and zh demo articles.
  const synthetic: Article[] = [];
  for (let i = 0; i < 1000; i++) {
    const a = kb[i % kb.length] as Article;
    const z = zhKb[i % zhKb.length] as Article;
    const other = kb[(i * 37 + 11) % kb.length] as Article;
    synthetic.push(
      i < kb.length
        ? a
        : {
            id: `syn-${i}`,
            title: i % 3 === 0 ? `${z.title} ${other.title}` : `${a.title} ${other.title.split(' ').slice(0, 4).join(' ')}`,
            body: `${a.body}\n${z.body}\n${other.body.slice(0, 600)}`,
          },
    );
  }
  const t0 = performance.now();
  const big = buildIndex(synthetic);
  const buildMs = performance.now() - t0;
  const allQueries = [...queries.map((q) => q.query), ...zhQ.map((q) => q.query)];
  for (const q of allQueries.slice(0, 20)) big.search(q, { top: 10 });
  const times: number[] = [];
  for (const q of allQueries) {
    const s = performance.now();
    big.search(q, { top: 10 });
    times.push(performance.now() - s);
  }
  times.sort((x, y) => x - y);
  const p95 = times[Math.floor(0.95 * (times.length - 1))] as number;
  const baseBig = buildBaseline(synthetic);
  const btimes: number[] = [];
  for (const q of allQueries) {
    const s = performance.now();
    baseBig.search(q, { top: 10 });
    btimes.push(performance.now() - s);
  }
  btimes.sort((x, y) => x - y);
  record('kb latency (1,000 articles)', 'search p95 ms', p95, btimes[Math.floor(0.95 * (btimes.length - 1))] as number, { atMost: 50 });
  record('kb latency (1,000 articles)', 'index build ms', buildMs, null);
  record('kb latency (1,000 articles)', 'index JSON MB', JSON.stringify(big).length / 1e6, null);
}

// ---------------------------------------------------------------- bot on Chinese questions
function evalBotZh(): void {
  const bot = demoBot();
  const zhArticles = demoArticles().filter((a) => a.lang === 'zh');
  const base = buildBaseline(zhArticles);
  const questions = jsonl<BotQuestion>(new URL('zh-bot-questions.jsonl', DATA));
  for (const split of ['dev', 'holdout'] as const) {
    const qs = questions.filter((q) => q.split === split);
    const covered = qs.filter((q) => q.relevant.length > 0);
    const uncovered = qs.filter((q) => q.relevant.length === 0);
    const S = `bot zh (Kefu questions, ${split}, ${covered.length}+${uncovered.length})`;
    let ok = 0;
    let wrong = 0;
    let clarify = 0;
    let clarifyHasIt = 0;
    let other = 0;
    for (const q of covered) {
      const a = bot(q.text);
      if (a.kind === 'answer') {
        if (q.relevant.includes(a.articles[0]?.id ?? '')) ok++;
        else wrong++;
      } else if (a.kind === 'clarify') {
        clarify++;
        if (a.articles.some((x) => q.relevant.includes(x.id))) clarifyHasIt++;
      } else other++;
    }
    const falseAnswers = uncovered.filter((q) => bot(q.text).kind === 'answer').length;
    const n = covered.length;
    // Baseline: plain BM25 (character bigrams) over the Chinese articles, always answering with its top hit.
    const baseR1 = covered.filter((q) => q.relevant.includes(base.search(q.text, { top: 1 })[0]?.id ?? '')).length / n;
    record(S, 'answer rate (right article)', ok / n, baseR1, { atLeast: 0.8 });
    record(S, 'wrong-answer rate', wrong / n, 1 - baseR1);
    record(S, 'clarify rate', clarify / n, 0);
    record(S, 'clarify: right article among options', clarifyHasIt / Math.max(1, clarify), null);
    record(S, 'hand-off / other rate', other / n, 0);
    record(S, 'answered although not covered (of uncovered)', falseAnswers / Math.max(1, uncovered.length), 1);
  }
  record('bot zh (Kefu questions)', 'ICU word segmenter available (1 = yes)', hasIcuSegmenter() ? 1 : 0, null);
}

/** The hand-off rule before this change: sensitive words, or negative sentiment with anger words or after an unhelpful turn. */
function oldHandoff(text: string, fallbacks: number): boolean {
  const c = classify(text);
  if (c.handoff) return true;
  if (/律师|起诉|法院|诉讼|12315|消协|消费者协会|投诉|欺诈|骗子|拒付|\b(?:lawyer|sue|fraud|scam)\b/i.test(text)) return true;
  return c.sentiment === 'negative' && (fallbacks > 0 || /[!！]{2,}|太差|气死|垃圾|无语/.test(text));
}

function evalHandoffZh(): void {
  const bot = demoBot();
  const probes = jsonl<{ text: string; history: string[]; handoff: boolean }>(new URL('zh-handoff-probes.jsonl', DATA));
  const gold = probes.map((p) => p.handoff);
  // A hand-off for the shopper's mood or words (anger, sensitive topic, asked for a person); the
  // "two unsure turns" hand-off (low_confidence) is a different rule and not counted here.
  const MOOD = new Set(['negative_sentiment', 'sensitive_topic', 'customer_request']);
  const ours = probes.map((p) => {
    const a = bot(p.text, p.history, { turns: p.history.length, fallbacks: p.history.length > 0 ? 1 : 0 });
    return a.kind === 'handoff' && MOOD.has(a.handoff.reason);
  });
  const old = probes.map((p) => oldHandoff(p.text, p.history.length > 0 ? 1 : 0));
  const o = prf(gold, ours);
  const b = prf(gold, old);
  const S = `hand-off zh (Kefu probes, ${probes.length})`;
  record(S, 'hand-off precision (dissatisfied ≠ angry)', o.p, b.p);
  record(S, 'hand-off recall (anger, threats, 催)', o.r, b.r);
  record(S, 'hand-off F1', o.f1, b.f1);
}

// ---------------------------------------------------------------- classifier
interface Labelled {
  id: string;
  text: string;
  category: string;
  intent: string;
}

const KEYWORD_CATEGORY: ReadonlyArray<[RegExp, string]> = [
  [/newsletter|subscri/, 'NEWSLETTER'],
  [/fee|charge|penalt/, 'CANCELLATION_FEE'],
  [/invoice|bill/, 'INVOICE'],
  [/refund|money back|reimburs/, 'REFUND'],
  [/address/, 'SHIPPING_ADDRESS'],
  [/deliver|shipping|ship/, 'DELIVERY'],
  [/pay/, 'PAYMENT'],
  [/complain|review|feedback|claim/, 'FEEDBACK'],
  [/agent|human|person|customer service|support|contact|someone|somebody/, 'CONTACT'],
  [/account|password|profile|regist|sign ?up|user/, 'ACCOUNT'],
  [/order|purchase|buy/, 'ORDER'],
];

/** Keyword-rule baseline: first matching category rule, else the training majority. */
function keywordCategory(text: string, majority: string): string {
  const t = normalize(text);
  for (const [re, c] of KEYWORD_CATEGORY) if (re.test(t)) return c;
  return majority;
}

/** Keyword-rule hand-off baseline. */
function keywordHandoff(text: string): boolean {
  return /\b(agent|human|person|someone|somebody|complain\w*|claim)\b/.test(normalize(text));
}

/** Macro-averaged F1 over the gold labels' classes. */
function macroF1(gold: readonly string[], pred: readonly string[]): number {
  const classes = [...new Set(gold)];
  let sum = 0;
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    gold.forEach((g, i) => {
      const p = pred[i];
      if (p === c && g === c) tp++;
      else if (p === c) fp++;
      else if (g === c) fn++;
    });
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return sum / classes.length;
}

/** Precision, recall and F1 of a binary decision. */
function prf(gold: readonly boolean[], pred: readonly boolean[]): { p: number; r: number; f1: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  gold.forEach((g, i) => {
    if (pred[i] && g) tp++;
    else if (pred[i]) fp++;
    else if (g) fn++;
  });
  const p = tp + fp === 0 ? 0 : tp / (tp + fp);
  const r = tp + fn === 0 ? 0 : tp / (tp + fn);
  return { p, r, f1: p + r === 0 ? 0 : (2 * p * r) / (p + r) };
}

function evalClassifier(): void {
  const train = jsonl<Labelled>(`${EVAL}/bitext/train.jsonl`);
  const dev = jsonl<Labelled>(`${EVAL}/bitext/dev.jsonl`);
  const counts = new Map<string, number>();
  for (const r of train) counts.set(r.category, (counts.get(r.category) ?? 0) + 1);
  const majority = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'ACCOUNT';
  const intentCounts = new Map<string, number>();
  for (const r of train) intentCounts.set(r.intent, (intentCounts.get(r.intent) ?? 0) + 1);
  const majorityIntent = [...intentCounts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  const t0 = performance.now();
  const preds = dev.map((r) => classify(r.text));
  const perMsg = (performance.now() - t0) / dev.length;
  const baseCat = dev.map((r) => keywordCategory(r.text, majority));
  const goldCat = dev.map((r) => r.category);
  const acc = (g: readonly string[], p: readonly string[]) => g.filter((x, i) => x === p[i]).length / g.length;
  const S = 'classifier (bitext dev)';
  record(
    S,
    'category accuracy',
    acc(
      goldCat,
      preds.map((p) => p.category),
    ),
    acc(goldCat, baseCat),
    { atLeast: 0.97 },
  );
  record(
    S,
    'category macro-F1',
    macroF1(
      goldCat,
      preds.map((p) => p.category),
    ),
    macroF1(goldCat, baseCat),
  );
  record(
    S,
    'intent accuracy',
    acc(
      dev.map((r) => r.intent),
      preds.map((p) => p.intent),
    ),
    acc(
      dev.map((r) => r.intent),
      dev.map(() => majorityIntent),
    ),
  );
  const goldH = dev.map((r) => HANDOFF_INTENTS.has(r.intent));
  const ours = prf(
    goldH,
    preds.map((p) => p.handoff),
  );
  const base = prf(
    goldH,
    dev.map((r) => keywordHandoff(r.text)),
  );
  record(S, 'hand-off precision', ours.p, base.p);
  record(S, 'hand-off recall', ours.r, base.r);
  record(S, 'hand-off F1', ours.f1, base.f1, { atLeast: 0.95 });
  record(S, 'ms per message', perMsg, null);
}

// ---------------------------------------------------------------- churn
function evalChurn(): void {
  const orders = parseOrdersCsv(readFileSync(`${EVAL}/cdnow/orders-sample.csv`, 'utf8'));
  const asOf = '1997-09-30';
  const from = dayNumber('1997-10-01');
  const to = dayNumber('1998-06-30');
  const active = new Set(orders.filter((o) => dayNumber(o.date) >= from && dayNumber(o.date) <= to).map((o) => o.customerId));
  const scores = scoreChurn(orders, asOf);
  const churned = scores.map((s) => !active.has(s.customerId));
  record(
    'churn (cdnow, as of 1997-09-30)',
    'ROC AUC',
    rocAuc(
      scores.map((s) => s.risk),
      churned,
    ),
    rocAuc(
      scores.map((s) => s.features.daysSinceLast),
      churned,
    ),
    {
      atLeast: 0.78,
    },
  );
  record('churn (cdnow, as of 1997-09-30)', 'customers scored', scores.length, null);
}

const started = performance.now();
evalKb();
evalBotZh();
evalLearning();
evalHandoffZh();
evalClassifier();
evalSentiment();
evalChurn();
evalChurnModel();

const fmt = (x: number | null) => (x === null ? '—' : Number.isInteger(x) && x > 1 ? String(x) : x.toFixed(3));
const header = ['section', 'metric', 'ours', 'baseline', 'target', ''];
const table = rows.map((r) => [r.section, r.metric, fmt(r.ours), fmt(r.baseline), r.target, r.pass === null ? '' : r.pass ? 'PASS' : 'MISS']);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] as string).length)));
const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 3 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
let section = '';
for (const row of table) {
  console.log(line(row[0] === section ? ['', ...row.slice(1)] : row));
  section = row[0] as string;
}
const misses = rows.filter((r) => r.pass === false).length;
console.log(`\n${rows.filter((r) => r.pass).length} targets met, ${misses} missed; eval took ${((performance.now() - started) / 1000).toFixed(1)} s`);
