import { describe, expect, it } from 'vitest';
import { MAX_SUBJECT_TERMS, planSearch, termDiff, ticketTerms, tokenize } from '#shared/tickets/search-terms.ts';

describe('ticket search terms', () => {
  it('lower-cases words, drops stopwords, splits Chinese into bigrams', () => {
    expect(tokenize('Refund for Order #1001 not received')).toEqual(['refund', 'order', '1001', 'not', 'received']);
    expect(tokenize('退款未到账 iPhone')).toEqual(['退款', '款未', '未到', '到账', 'iphone']);
    expect(tokenize('急')).toEqual(['急']);
  });

  it('indexes subject words (bounded), tags and the requester email; diffs on change', () => {
    const t = { subject: 'Refund not received', tags: ['vip'], requester: { contactId: 'c', email: 'Wang@Example.com' } };
    expect(ticketTerms(t)).toEqual(['w:refund', 'w:not', 'w:received', 'tag:vip', 'email:wang@example.com']);
    expect(termDiff(t, { ...t, subject: 'Refund received', tags: ['vip', 'refund'] })).toEqual({ add: ['tag:refund'], remove: ['w:not'] });
    const long = { ...t, subject: Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ') };
    expect(ticketTerms(long).filter((x) => x.startsWith('w:'))).toHaveLength(MAX_SUBJECT_TERMS);
  });

  it('plans a query: ticket id, email, explicit tag, words (each a subject word or a tag)', () => {
    expect(planSearch(' tkt_01jabcdefghjkmnpqrstvwxyz0 ')).toEqual({ kind: 'id', ticketId: 'tkt_01jabcdefghjkmnpqrstvwxyz0' });
    expect(planSearch('Wang@Example.com')).toEqual({ kind: 'terms', groups: [['email:wang@example.com']] });
    expect(planSearch('#vip')).toEqual({ kind: 'terms', groups: [['tag:vip']] });
    expect(planSearch('refund')).toEqual({ kind: 'terms', groups: [['w:refund', 'tag:refund']] });
    expect(planSearch('late-delivery')).toEqual({
      kind: 'terms',
      groups: [
        ['w:late', 'tag:late'],
        ['w:delivery', 'tag:delivery'],
      ],
      or: 'tag:late-delivery',
    });
    expect(planSearch('退款 到账')).toEqual({
      kind: 'terms',
      groups: [
        ['w:退款', 'tag:退款'],
        ['w:到账', 'tag:到账'],
      ],
    });
  });
});
