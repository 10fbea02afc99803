/** `kefu classify`: intent, category, hand-off, sentiment and language for each message. */
import { classify } from '#shared/ai/classifier.ts';
import { type Command, parseJsonl, readInput, requireString, UsageError } from '../cli-kit.ts';

/** Subcommand definition registered in bin/kefu.ts. */
export const command: Command = {
  name: 'classify',
  summary: 'Classify each message; prints {"id","category","intent","handoff","sentiment","lang"} per input line.',
  usage: 'kefu classify --in IN.jsonl',
  options: {
    in: { type: 'string', description: 'messages, JSONL lines {"id","text"}' },
  },
  run(values, io) {
    const path = requireString(values, 'in');
    const rows = parseJsonl<{ id?: string; text?: string }>(readInput(path), path);
    rows.forEach((r, i) => {
      if (typeof r.text !== 'string') throw new UsageError(`${path}:${i + 1}: line needs a "text" string`);
      const c = classify(r.text);
      io.out(JSON.stringify({ id: r.id ?? String(i), category: c.category, intent: c.intent, handoff: c.handoff, sentiment: c.sentiment, lang: c.lang }));
    });
  },
};
