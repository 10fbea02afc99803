import { describe, expect, test } from 'vitest';
import { planSearch } from '#shared/tickets/search-terms.ts';
import {
  deleteFilter,
  EMPTY_FILTER,
  intersect,
  matchesFilter,
  readSavedFilters,
  savedFiltersKey,
  saveFilter,
  searchProblems,
  searchQueries,
  searchResults,
} from '../../../web/console/ticket-search-state.ts';
import type { Ticket } from '../../../web/lib/types.ts';

const ID = 'tkt_01jabcdefghjkmnpqrstvwxyz0';

const ticket = (ticketId: string, status: Ticket['status'], createdAt: string, updatedAt = createdAt) => ({ ticketId, status, createdAt, updatedAt }) as Ticket;

class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe('ticket search queries', () => {
  test('one query per kind, each planned by the server as that kind', () => {
    const queries = searchQueries({ ...EMPTY_FILTER, text: ' 退款  slow ', requester: 'Wang.Fang@Example.com', tag: '#VIP' });
    expect(queries).toEqual(['退款 slow', 'wang.fang@example.com', 'tag:vip']);
    expect(planSearch(queries[1]!)).toEqual({ kind: 'terms', groups: [['email:wang.fang@example.com']] });
    expect(planSearch(queries[2]!)).toEqual({ kind: 'terms', groups: [['tag:vip']] });
    expect(planSearch(searchQueries({ ...EMPTY_FILTER, id: ID.toUpperCase(), text: 'ignored' })[0]!)).toEqual({ kind: 'id', ticketId: ID });
  });

  test('what keeps a filter from running', () => {
    expect(searchProblems(EMPTY_FILTER)).toEqual({ text: 'tsNeedTerm' });
    expect(searchProblems({ ...EMPTY_FILTER, status: 'open', from: '2026-01-01' })).toEqual({ text: 'tsNeedTerm' });
    expect(searchProblems({ ...EMPTY_FILTER, id: 'tkt_1' })).toEqual({ id: 'tsIdInvalid' });
    expect(searchProblems({ ...EMPTY_FILTER, requester: 'not-an-email' })).toEqual({ requester: 'tsEmailInvalid' });
    expect(searchProblems({ ...EMPTY_FILTER, tag: 'vip', from: '2026-02-01', to: '2026-01-01' })).toEqual({ to: 'tsDateOrder' });
    expect(searchProblems({ ...EMPTY_FILTER, text: '物流' })).toEqual({});
  });

  test('results: in every list, with the status and local creation days, newest activity first', () => {
    const a = ticket('tkt_a', 'open', '2026-03-01T10:00:00', '2026-03-05T10:00:00');
    const b = ticket('tkt_b', 'solved', '2026-03-02T23:59:00', '2026-03-06T10:00:00');
    const c = ticket('tkt_c', 'open', '2026-03-03T00:00:00', '2026-03-07T10:00:00');
    expect(
      intersect([
        [a, b, c],
        [c, a],
      ]).map((x) => x.ticketId),
    ).toEqual(['tkt_a', 'tkt_c']);
    expect(intersect([])).toEqual([]);
    expect(matchesFilter(b, { status: '', from: '2026-03-02', to: '2026-03-02' })).toBe(true);
    expect(matchesFilter(c, { status: '', from: '2026-03-02', to: '2026-03-02' })).toBe(false);
    expect(matchesFilter(b, { status: 'open', from: '', to: '' })).toBe(false);
    expect(searchResults([[a, b, c]], { ...EMPTY_FILTER, text: 'x', status: 'open' }).map((x) => x.ticketId)).toEqual(['tkt_c', 'tkt_a']);
  });
});

describe('saved filters', () => {
  test('kept per staff member, newest first, replaced by name, deleted', () => {
    const storage = new MemoryStorage();
    saveFilter(storage, 'sub-a', '物流 VIP', { ...EMPTY_FILTER, text: '物流', tag: 'vip' });
    saveFilter(storage, 'sub-a', 'Open refunds', { ...EMPTY_FILTER, text: 'refund', status: 'open' });
    expect(readSavedFilters(storage, 'sub-b')).toEqual([]);
    expect(readSavedFilters(storage, 'sub-a').map((x) => x.name)).toEqual(['Open refunds', '物流 VIP']);
    saveFilter(storage, 'sub-a', '物流 VIP', { ...EMPTY_FILTER, text: '快递' });
    expect(readSavedFilters(storage, 'sub-a')[0]).toEqual({ name: '物流 VIP', filter: { ...EMPTY_FILTER, text: '快递' } });
    expect(deleteFilter(storage, 'sub-a', 'Open refunds').map((x) => x.name)).toEqual(['物流 VIP']);
  });

  test('a broken or foreign entry reads as nothing, unknown fields are dropped', () => {
    const storage = new MemoryStorage();
    storage.setItem(savedFiltersKey('sub-a'), '{not json');
    expect(readSavedFilters(storage, 'sub-a')).toEqual([]);
    storage.setItem(savedFiltersKey('sub-a'), JSON.stringify([{ name: 'x', filter: { text: 'a', evil: 1, status: 5 } }, { nope: true }]));
    expect(readSavedFilters(storage, 'sub-a')).toEqual([{ name: 'x', filter: { ...EMPTY_FILTER, text: 'a' } }]);
  });
});
