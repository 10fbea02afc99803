import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  applyChange,
  credit,
  debit,
  expireLot,
  type LedgerChange,
  type LedgerEntry,
  type LedgerState,
  MAX_LOTS_PER_CHANGE,
} from '#shared/members/ledger.ts';

type Command =
  | { op: 'earn'; order: number; points: number }
  | { op: 'redeem'; id: number; points: number }
  | { op: 'reverse'; order: number }
  | { op: 'adjust'; id: number; points: number }
  | { op: 'advance'; days: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ op: fc.constant('earn' as const), order: fc.nat(6), points: fc.integer({ min: 1, max: 500 }) }),
  fc.record({ op: fc.constant('redeem' as const), id: fc.nat(6), points: fc.integer({ min: 1, max: 800 }) }),
  fc.record({ op: fc.constant('reverse' as const), order: fc.nat(6) }),
  fc.record({ op: fc.constant('adjust' as const), id: fc.nat(4), points: fc.integer({ min: -300, max: 300 }).filter((n) => n !== 0) }),
  fc.record({ op: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 200 }) }),
);

/** An in-memory table with the same guarantees as the transaction: one change per source id. */
function simulate(commands: Command[]) {
  let state: LedgerState = { balance: 0, lots: [] };
  let now = Date.parse('2026-01-01T00:00:00Z');
  let seq = 0;
  const entries: LedgerEntry[] = [];
  const sources = new Set<string>();
  const earned = new Map<number, { points: number; lotId: string }>();
  const iso = () => new Date(now).toISOString();
  const id = () => `pt_${String(seq++).padStart(6, '0')}`;
  const commit = (change: LedgerChange | string | undefined) => {
    if (!change || typeof change === 'string') return;
    if (sources.has(change.entry.sourceId)) return;
    expect(change.balanceBefore).toBe(state.balance);
    for (const take of change.takes) {
      const lot = state.lots.find((l) => l.lotId === take.lotId);
      expect(lot?.remaining, 'a take is conditional on the remaining it read').toBe(take.before);
      expect(take.take).toBeGreaterThan(0);
      expect(take.take).toBeLessThanOrEqual(take.before);
    }
    sources.add(change.entry.sourceId);
    entries.push(change.entry);
    state = applyChange(state, change);
  };
  const expireDue = () => {
    for (const lot of [...state.lots]) if (Date.parse(lot.expiresAt) <= now) commit(expireLot(state, lot.lotId, id(), iso()));
  };
  for (const c of commands) {
    switch (c.op) {
      case 'earn': {
        const entryId = id();
        const change = credit(state, {
          kind: 'earn',
          points: c.points,
          sourceId: `order#${c.order}#earn`,
          entryId,
          at: iso(),
          expiresAt: addMonths(iso(), 12),
        });
        if (typeof change !== 'string' && !sources.has(change.entry.sourceId)) earned.set(c.order, { points: c.points, lotId: entryId });
        commit(change);
        break;
      }
      case 'redeem':
        commit(debit(state, { kind: 'redeem', points: c.points, sourceId: `redeem#${c.id}`, entryId: id(), at: iso() }));
        break;
      case 'reverse': {
        const e = earned.get(c.order);
        if (e)
          commit(
            debit(state, {
              kind: 'reverse',
              points: e.points,
              sourceId: `order#${c.order}#reverse`,
              entryId: id(),
              at: iso(),
              preferLot: e.lotId,
              allowPartial: true,
            }),
          );
        break;
      }
      case 'adjust':
        commit(
          c.points > 0
            ? credit(state, {
                kind: 'adjust',
                points: c.points,
                sourceId: `adjust#${c.id}`,
                entryId: id(),
                at: iso(),
                expiresAt: addMonths(iso(), 12),
                reason: 'goodwill',
              })
            : debit(state, { kind: 'adjust', points: -c.points, sourceId: `adjust#${c.id}`, entryId: id(), at: iso(), reason: 'correction' }),
        );
        break;
      case 'advance':
        now += c.days * 86_400_000;
        expireDue();
        break;
    }
    const sum = entries.reduce((s, e) => s + e.points, 0);
    expect(state.balance).toBe(sum);
    expect(state.balance).toBeGreaterThanOrEqual(0);
    expect(state.lots.reduce((s, l) => s + l.remaining, 0)).toBe(state.balance);
    expect(state.lots.every((l) => l.remaining > 0)).toBe(true);
    expect(entries.at(-1)?.balanceAfter ?? 0).toBe(state.balance);
  }
  return { state, entries, now };
}

describe('points ledger (property)', () => {
  it('any sequence of earn/redeem/reverse/adjust/expire with duplicates keeps balance = Σ ledger = Σ lots ≥ 0', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 80 }), (commands) => {
        simulate(commands);
      }),
      { numRuns: 400 },
    );
  });

  it('replaying the whole sequence (every event delivered twice) changes nothing', () => {
    fc.assert(
      fc.property(
        fc.array(
          command.filter((c) => c.op !== 'advance'),
          { maxLength: 40 },
        ),
        (commands) => {
          const once = simulate(commands);
          const twice = simulate(commands.flatMap((c) => [c, c]));
          expect(twice.state.balance).toBe(once.state.balance);
          expect(twice.entries.map((e) => [e.sourceId, e.points])).toEqual(once.entries.map((e) => [e.sourceId, e.points]));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('after 12 months every point earned has been spent, reversed or expired', () => {
    fc.assert(
      fc.property(
        fc.array(
          command.filter((c) => c.op !== 'advance'),
          { maxLength: 40 },
        ),
        (commands) => {
          const { state } = simulate([...commands, { op: 'advance', days: 367 }]);
          expect(state.balance).toBe(0);
          expect(state.lots).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('points ledger (examples)', () => {
  const at = '2026-03-01T00:00:00.000Z';
  it('a redemption takes from the lot that expires first', () => {
    let s: LedgerState = { balance: 0, lots: [] };
    s = applyChange(s, credit(s, { kind: 'earn', points: 100, sourceId: 'a', entryId: 'late', at, expiresAt: '2027-06-01T00:00:00.000Z' }) as LedgerChange);
    s = applyChange(s, credit(s, { kind: 'earn', points: 50, sourceId: 'b', entryId: 'early', at, expiresAt: '2027-01-01T00:00:00.000Z' }) as LedgerChange);
    const change = debit(s, { kind: 'redeem', points: 70, sourceId: 'r', entryId: 'r1', at }) as LedgerChange;
    expect(change.takes.map((t) => [t.lotId, t.take])).toEqual([
      ['early', 50],
      ['late', 20],
    ]);
    expect(change.entry.points).toBe(-70);
  });
  it('a redemption beyond the balance is refused; a reversal takes what is left and records the shortfall', () => {
    const s: LedgerState = { balance: 30, lots: [{ lotId: 'x', expiresAt: '2027-01-01T00:00:00.000Z', remaining: 30 }] };
    expect(debit(s, { kind: 'redeem', points: 31, sourceId: 'r', entryId: 'r', at })).toBe('insufficient_points');
    const reverse = debit(s, { kind: 'reverse', points: 100, sourceId: 'v', entryId: 'v', at, allowPartial: true }) as LedgerChange;
    expect(reverse.entry.points).toBe(-30);
    expect(reverse.entry.shortfall).toBe(70);
    expect(reverse.entry.balanceAfter).toBe(0);
  });
  it(`a debit touching more than ${MAX_LOTS_PER_CHANGE} lots is refused (transaction size)`, () => {
    const lots = Array.from({ length: MAX_LOTS_PER_CHANGE + 5 }, (_, i) => ({
      lotId: `l${String(i).padStart(3, '0')}`,
      expiresAt: '2027-01-01T00:00:00.000Z',
      remaining: 1,
    }));
    const s: LedgerState = { balance: lots.length, lots };
    expect(debit(s, { kind: 'redeem', points: lots.length, sourceId: 'r', entryId: 'r', at })).toBe('too_many_lots');
    expect(debit(s, { kind: 'redeem', points: MAX_LOTS_PER_CHANGE, sourceId: 'r', entryId: 'r', at })).not.toBeTypeOf('string');
  });
  it('adds calendar months, clamping to the end of a short month', () => {
    expect(addMonths('2026-01-31T10:00:00.000Z', 1)).toBe('2026-02-28T10:00:00.000Z');
    expect(addMonths('2024-02-29T00:00:00.000Z', 12)).toBe('2025-02-28T00:00:00.000Z');
    expect(addMonths('2026-05-15T00:00:00.000Z', 12)).toBe('2027-05-15T00:00:00.000Z');
  });
});
