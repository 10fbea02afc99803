/**
 * Learning from use in `npm run eval`: the demo bot on Kefu's Chinese questions before and after
 * simulated shopper picks, with an in-memory copy of the store (the scoring is the production
 * code, shared/ai/learned.ts). For every dev question the bot answered with a menu holding the
 * right article, three distinct shoppers pick that article; the dev questions are asked again,
 * and the held-out questions (other wordings, never picked) show how far it carries. A poisoning
 * run has one shopper pick a wrong menu article 50 times for every such question.
 */
import { addVote, applyLearned, evidence, keysFor, type LearnedEntry, queryTerms } from '../shared/ai/learned.ts';
import type { BotAction } from '../shared/bot/responder.ts';
import { type BotQuestion, DATA, type DemoBot, demoBot, jsonl, record } from './eval-common.ts';

const NOW = Date.UTC(2025, 0, 1);

/** An in-memory learning store with the same keys and caps as shared/kb/learning.ts. */
function memoryStore() {
  const entries = new Map<string, LearnedEntry>();
  return {
    vote(shopper: string, query: string, articleId: string): void {
      for (const { key, weight } of keysFor(queryTerms(query))) {
        const entry = entries.get(key) ?? { key, articles: {} };
        entries.set(key, addVote(entry, articleId, { s: shopper, v: 1, at: NOW, w: weight }, NOW));
      }
    },
    bot(): DemoBot {
      return demoBot((text, result) => {
        const found = keysFor(queryTerms(text)).flatMap(({ key, weight }) => {
          const entry = entries.get(key);
          return entry ? [{ entry, weight }] : [];
        });
        return applyLearned(result, evidence(found, NOW));
      });
    },
  };
}

type Outcome = 'right' | 'wrong' | 'clarify' | 'other';
function outcome(a: BotAction, q: BotQuestion): Outcome {
  if (a.kind === 'answer') return q.relevant.includes(a.articles[0]?.id ?? '') ? 'right' : 'wrong';
  return a.kind === 'clarify' ? 'clarify' : 'other';
}

function rates(bot: DemoBot, qs: readonly BotQuestion[]): Record<Outcome, number> {
  const out: Record<Outcome, number> = { right: 0, wrong: 0, clarify: 0, other: 0 };
  for (const q of qs) out[outcome(bot(q.text), q)]++;
  for (const k of Object.keys(out) as Outcome[]) out[k] /= Math.max(1, qs.length);
  return out;
}

export function evalLearning(): void {
  const questions = jsonl<BotQuestion>(new URL('zh-bot-questions.jsonl', DATA)).filter((q) => q.relevant.length > 0);
  const dev = questions.filter((q) => q.split === 'dev');
  const holdout = questions.filter((q) => q.split === 'holdout');
  const before = demoBot();
  const menus = dev.flatMap((q) => {
    const a = before(q.text);
    return a.kind === 'clarify' ? [{ q, options: a.articles.map((x) => x.id) }] : [];
  });

  const helped = memoryStore();
  for (const { q, options } of menus) {
    const right = options.find((id) => q.relevant.includes(id));
    if (right) for (const shopper of ['a', 'b', 'c']) helped.vote(shopper, q.text, right);
  }
  const poisoned = memoryStore();
  for (const { q, options } of menus) {
    const wrong = options.find((id) => !q.relevant.includes(id));
    if (wrong) for (let i = 0; i < 50; i++) poisoned.vote('mallory', q.text, wrong);
  }

  const S = `bot zh learning from use (${menus.length} dev menus picked by 3 shoppers)`;
  const b = rates(before, dev);
  const a = rates(helped.bot(), dev);
  record(S, 'dev: answer rate (right article) after picks', a.right, b.right);
  record(S, 'dev: wrong-answer rate after picks', a.wrong, b.wrong);
  record(S, 'dev: clarify rate after picks', a.clarify, b.clarify);
  const bh = rates(before, holdout);
  const ah = rates(helped.bot(), holdout);
  record(S, 'held-out wordings: answer rate after dev picks', ah.right, bh.right);
  record(S, 'held-out wordings: wrong-answer rate after dev picks', ah.wrong, bh.wrong);
  const p = rates(poisoned.bot(), dev);
  record(S, 'one shopper x50 on a wrong article: wrong-answer rate', p.wrong, b.wrong, { atMost: Math.ceil(b.wrong * 1000) / 1000 });
}
