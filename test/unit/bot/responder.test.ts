import { describe, expect, it } from 'vitest';
import { classify } from '#shared/ai/classifier.ts';
import { buildIndex } from '#shared/ai/kb-index.ts';
import { excerpt, respond, teamFor, type ResponderInput } from '#shared/bot/responder.ts';

const articles = {
  'ship-zh': { title: '多久能收到货？', body: '现货商品付款后48小时内发货。\n- 京东物流：1–3天送达\n- 顺丰：1–2天', lang: 'zh' as const },
  'ship-en': { title: 'How long does delivery take?', body: 'In-stock items ship within 48 hours.\n- JD Logistics: 1–3 days\n- SF Express: 1–2 days', lang: 'en' as const },
  'ret-en': { title: 'How do I return an item?', body: 'Returns are accepted within 7 days of delivery.\n1. Open your order\n2. Tap Return', lang: 'en' as const },
  'pts-en': { title: 'How do points work?', body: 'You earn 1 point per yuan spent on paid orders. Points expire after 12 months.', lang: 'en' as const },
};
const index = buildIndex(Object.entries(articles).map(([id, a]) => ({ id, title: a.title, body: a.body, lang: a.lang })));

function input(text: string, over: Partial<ResponderInput> = {}): ResponderInput {
  return {
    text,
    classification: classify(text),
    retrieval: index.searchDetailed(text, { top: 3 }),
    articles,
    state: { turns: 0, fallbacks: 0 },
    verified: false,
    orders: [],
    history: [],
    ...over,
  };
}

describe('offline responder', () => {
  it('answers a covered question from the best article, in the shopper’s language, citing it', () => {
    const en = respond(input('how long does delivery take?'));
    expect(en.kind).toBe('answer');
    if (en.kind === 'answer') {
      expect(en.articles[0]!.id).toBe('ship-en');
      expect(en.text).toContain('48 hours');
      expect(en.text).toContain('Did this answer your question?');
    }
    const zh = respond(input('多久能收到货', { retrieval: { ...index.searchDetailed('多久能收到货', { top: 3 }) } }));
    expect(zh.kind).toBe('answer');
    if (zh.kind === 'answer') expect(zh.text).toContain('这个回答解决您的问题了吗');
  });
  it('hands off on an explicit request in any language, with a typed action and a summary', () => {
    for (const text of ['I want to talk to a real person', '我要转人工', 'can I speak with an agent please']) {
      const action = respond(input(text));
      expect(action.kind, text).toBe('handoff');
      if (action.kind === 'handoff') {
        expect(action.handoff.reason).toBe('customer_request');
        expect(action.handoff.summary).toContain(text);
      }
    }
  });
  it('hands off sensitive topics (legal, complaints) with high priority', () => {
    const action = respond(input('I will contact my lawyer about this charge'));
    expect(action.kind).toBe('handoff');
    if (action.kind === 'handoff') {
      expect(action.handoff.reason).toBe('sensitive_topic');
      expect(action.handoff.priority).toBe('high');
    }
  });
  it('asks a clarifying question first and hands off after the second low-confidence turn', () => {
    const vague = 'hmm something about my thing';
    const first = respond(input(vague, { retrieval: { hits: [{ id: 'ship-en', score: 1 }, { id: 'ret-en', score: 0.9 }], confidence: 0.3, margin: 0.1, coverage: 0.3, decision: 'clarify' } }));
    expect(first.kind).toBe('clarify');
    const second = respond(input(vague, { state: { turns: 1, fallbacks: 1 }, retrieval: { hits: [{ id: 'ship-en', score: 1 }], confidence: 0.3, margin: 0.1, coverage: 0.3, decision: 'clarify' } }));
    expect(second.kind).toBe('handoff');
    if (second.kind === 'handoff') expect(second.handoff.reason).toBe('low_confidence');
  });
  it('hands off when the turn budget is spent', () => {
    const action = respond(input('how long does delivery take?', { state: { turns: 8, fallbacks: 0 } }));
    expect(action.kind === 'handoff' && action.handoff.reason).toBe('budget_exhausted');
  });
  it('a VIP with an unclear question goes straight to a human with high priority', () => {
    const action = respond(input('hmm', { tier: 'Gold', verified: true, retrieval: { hits: [{ id: 'ship-en', score: 1 }], confidence: 0.25, margin: 0, coverage: 0.2, decision: 'clarify' } }));
    expect(action.kind === 'handoff' && action.handoff.reason).toBe('vip');
    expect(action.kind === 'handoff' && action.handoff.priority).toBe('high');
  });
  it('order status only from the authenticated shopper’s own orders', () => {
    const anon = respond(input('where is my order?'));
    expect(anon).toMatchObject({ kind: 'order_status' });
    expect(anon.kind === 'order_status' && anon.text).toMatch(/log in/);
    const own = respond(
      input('where is my order?', {
        verified: true,
        orders: [{ orderId: 'A-1', status: 'shipped', amount: 88, currency: 'CNY', placedAt: '2026-11-20T00:00:00Z', statusAt: '2026-11-21T00:00:00Z' }],
      }),
    );
    expect(own.kind === 'order_status' && own.text).toContain('A-1');
  });
  it('routes hand-offs to a team by category and trims excerpts', () => {
    expect(teamFor('REFUND')).toBe('billing');
    expect(teamFor('DELIVERY')).toBe('logistics');
    expect(teamFor('ACCOUNT')).toBe('general');
    expect(excerpt('# Title\n' + 'word '.repeat(200), 50).length).toBeLessThanOrEqual(50);
  });
});

describe('greetings', () => {
  it('a bare hello gets a greeting back in the same language, not a search or a hand-off', () => {
    expect(respond(input('hi')).kind).toBe('greet');
    const zh = respond(input('你好！'));
    expect(zh.kind === 'greet' && zh.text).toMatch(/您好/);
    expect(respond(input('hi, where is my order?')).kind).not.toBe('greet');
  });
});
