import { type ConversationFacts, deltaScopes, type QualityEvent, type QualityState, step } from '#shared/quality/metrics.ts';

/**
 * Counters per scope and day after folding events the way the store does (a delta's agent replaces
 * the assignee; per-agent workload counts in that agent's scope alone). Keys are `scope` (all days
 * summed) and `scope@day`.
 */
export function countedByScope(facts: ConversationFacts, events: readonly QualityEvent[]): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  let state: QualityState | undefined;
  const bump = (key: string, counters: Record<string, number>) => {
    const c = out.get(key) ?? {};
    for (const [k, v] of Object.entries(counters)) c[k] = (c[k] ?? 0) + v;
    out.set(key, c);
  };
  for (const event of events) {
    const r = step(state, facts, event);
    if (!r) continue;
    state = r.state;
    const counted = { ...facts, agent: r.state.agent ?? facts.agent };
    for (const d of r.deltas) {
      for (const scope of deltaScopes(d, counted)) {
        bump(scope, d.counters);
        bump(`${scope}@${d.day}`, d.counters);
      }
    }
  }
  return out;
}
