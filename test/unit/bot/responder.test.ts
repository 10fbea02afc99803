import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classify } from '#shared/ai/classifier.ts';
import { buildIndex } from '#shared/ai/kb-index.ts';
import { excerpt, type ResponderInput, respond, summaryText, teamFor } from '#shared/bot/responder.ts';

const articles = {
  'ship-zh': { title: '多久能收到货？', body: '现货商品付款后48小时内发货。\n- 京东物流：1–3天送达\n- 顺丰：1–2天', lang: 'zh' as const },
  'ship-en': {
    title: 'How long does delivery take?',
    body: 'In-stock items ship within 48 hours.\n- JD Logistics: 1–3 days\n- SF Express: 1–2 days',
    lang: 'en' as const,
  },
  'ret-en': {
    title: 'How do I return an item?',
    body: 'Returns are accepted within 7 days of delivery.\n1. Open your order\n2. Tap Return',
    lang: 'en' as const,
  },
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
    const first = respond(
      input(vague, {
        retrieval: {
          hits: [
            { id: 'ship-en', score: 1 },
            { id: 'ret-en', score: 0.9 },
          ],
          confidence: 0.3,
          margin: 0.1,
          coverage: 0.3,
          decision: 'clarify',
        },
      }),
    );
    expect(first.kind).toBe('clarify');
    const second = respond(
      input(vague, {
        state: { turns: 1, fallbacks: 1 },
        retrieval: { hits: [{ id: 'ship-en', score: 1 }], confidence: 0.3, margin: 0.1, coverage: 0.3, decision: 'clarify' },
      }),
    );
    expect(second.kind).toBe('handoff');
    if (second.kind === 'handoff') expect(second.handoff.reason).toBe('low_confidence');
  });
  it('hands off when the turn budget is spent', () => {
    const action = respond(input('how long does delivery take?', { state: { turns: 8, fallbacks: 0 } }));
    expect(action.kind === 'handoff' && action.handoff.reason).toBe('budget_exhausted');
  });
  it('a VIP with an unclear question goes straight to a human with high priority', () => {
    const action = respond(
      input('hmm', {
        tier: 'Gold',
        verified: true,
        retrieval: { hits: [{ id: 'ship-en', score: 1 }], confidence: 0.25, margin: 0, coverage: 0.2, decision: 'clarify' },
      }),
    );
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

describe('Chinese shoppers on the demo help centre', () => {
  type DemoArticle = { id: string; lang: 'zh' | 'en'; title: string; body: string; tags?: string[] };
  const demo = JSON.parse(readFileSync(new URL('../../../shared/demo/kb-articles.json', import.meta.url), 'utf8')) as DemoArticle[];
  const byId = new Map(demo.map((a) => [a.id, a]));
  const demoIndex = buildIndex(demo.map((a) => ({ id: a.id, title: a.title, body: a.body, lang: a.lang, tags: a.tags })));
  /** The same steps as bot-consumer: search all, keep the shopper's language, top three to the responder. */
  function zhInput(text: string, over: Partial<ResponderInput> = {}): ResponderInput {
    const classification = classify(text);
    const raw = demoIndex.searchDetailed(text, { top: 8 });
    const hits = raw.hits.filter((h) => byId.get(h.id)?.lang === classification.lang);
    const retrieval = { ...raw, hits: hits.slice(0, 3), decision: hits[0]?.id === raw.hits[0]?.id ? raw.decision : ('clarify' as const) };
    const arts = Object.fromEntries(retrieval.hits.map((h) => [h.id, byId.get(h.id)!]));
    return { text, classification, retrieval, articles: arts, state: { turns: 0, fallbacks: 0 }, verified: false, orders: [], history: [], ...over };
  }

  it('answers everyday questions with the article’s title and the passage that answers them', () => {
    const a = respond(zhInput('金卡会员有什么福利'));
    expect(a.kind).toBe('answer');
    if (a.kind === 'answer') {
      expect(a.articles[0]!.id).toBe('kb-membership-tiers-zh');
      expect(a.text).toContain('会员等级有哪些');
      expect(a.text).toContain('黄金会员');
    }
    const fee = respond(zhInput('买多少钱可以包邮呀'));
    expect(fee.kind === 'answer' && fee.text).toContain('¥99');
  });

  it('a greeting in front of a question does not turn the answer into a menu', () => {
    const a = respond(zhInput('亲，在吗？你们客服几点下班'));
    expect(a.kind === 'answer' && a.articles[0]!.id).toBe('kb-contact-support-zh');
    expect(respond(zhInput('亲，在吗？')).kind).toBe('greet');
  });

  it('“不喜欢” after an unsure turn is a returns question, not anger', () => {
    const a = respond(zhInput('如果茶叶不喜欢可以退货吗？怎么退？', { state: { turns: 1, fallbacks: 1 }, history: ['茶叶什么时候发货'] }));
    expect(a.kind === 'handoff' && a.handoff.reason).not.toBe('negative_sentiment');
  });

  it('anger, threats and repeated chasing still hand off', () => {
    const mad = respond(zhInput('什么破质量，气死我了'));
    expect(mad.kind === 'handoff' && mad.handoff.reason).toBe('negative_sentiment');
    const legal = respond(zhInput('再不退款我就去12315投诉'));
    expect(legal.kind === 'handoff' && legal.handoff.reason).toBe('sensitive_topic');
    const chased = respond(zhInput('到底什么时候发货', { history: ['怎么还没发货'] }));
    expect(chased.kind === 'handoff' && chased.handoff.reason).toBe('negative_sentiment');
  });

  it('asking when the human team works is answered, not handed off', () => {
    const a = respond(zhInput('周末有人工客服吗'));
    expect(a.kind).toBe('answer');
    expect(respond(zhInput('我要转人工')).kind).toBe('handoff');
  });

  it('an anonymous “how do I track my parcel” gets the article plus the log-in hint', () => {
    const a = respond(zhInput('发货了但是查不到物流信息'));
    expect(a.kind).toBe('answer');
    if (a.kind === 'answer') {
      expect(a.articles[0]!.id).toBe('kb-order-tracking-zh');
      expect(a.text).toContain('登录');
    }
  });

  it('writes the hand-off summary as sentences in the agent’s language', () => {
    const text = '什么破质量，气死我了';
    const zh = respond(zhInput(text, { history: ['杯子收到就裂了'], verified: true, tier: 'gold' }));
    expect(zh.kind).toBe('handoff');
    if (zh.kind === 'handoff') {
      expect(zh.handoff.summary).toContain('顾客情绪激动');
      expect(zh.handoff.summary).toContain(`“${text}”`);
      expect(zh.handoff.summary).toContain('会员等级：黄金');
      expect(zh.handoff.summary).not.toMatch(/reason:|intent:/);
    }
    const en = respond(zhInput(text, { agentLang: 'en' }));
    if (en.kind === 'handoff') {
      expect(en.handoff.summary).toMatch(/^The shopper is upset/);
      expect(en.handoff.summary).toContain('They wrote in Chinese');
      expect(en.handoff.summary).toContain(text);
    }
  });

  it('carries the summary in both console languages ({ zh-CN, en }), the agent language’s one as `summary`', () => {
    const text = '你们是骗子吧，我要去12315投诉';
    const zh = respond(zhInput(text));
    expect(zh.kind).toBe('handoff');
    if (zh.kind !== 'handoff') return;
    const both = zh.handoff.summaryText;
    expect(both?.['zh-CN']).toBe(zh.handoff.summary);
    expect(both?.['zh-CN']).toMatch(/^顾客提到投诉、法律或欺诈等敏感事项/);
    expect(both?.en).toMatch(/^The shopper raised a complaint, legal or fraud matter/);
    expect(both?.en).toContain('They wrote in Chinese');
    expect(both?.en).not.toMatch(/[\u4e00-\u9fff](?![^“]*”)/u);
    expect(both?.['zh-CN']).not.toMatch(/reason:|lang:|category:|[A-Z]{4,}/);
    const en = respond(zhInput(text, { agentLang: 'en' }));
    if (en.kind === 'handoff') expect(en.handoff.summary).toBe(en.handoff.summaryText?.en);
    const noted = summaryText(zhInput(text), 'sensitive_topic', [], 'Customer threatens a complaint');
    expect(noted['zh-CN']).toMatch(/AI 助手的小结：“Customer threatens a complaint”$/);
    expect(noted.en).toMatch(/The AI assistant’s note: “Customer threatens a complaint”$/);
  });
});
