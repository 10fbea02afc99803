import { describe, expect, it } from 'vitest';
import { checkReply, type InspectedMessage, inspectConversation, isCurt, isPreSales, trajectory } from '#shared/quality/inspection.ts';
import { DEFAULT_SETTINGS, defaultRubric, RubricBody, rubricTotal } from '#shared/quality/inspection-model.ts';
import { compact, containsTerm, draw, findTerms } from '#shared/quality/inspection-text.ts';

const settings = DEFAULT_SETTINGS;
const refs = { macros: [], articles: [] };
const T0 = Date.parse('2026-03-02T02:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
let n = 0;
const msg = (kind: 'visitor' | 'agent' | 'bot', text: string, s: number, internal = false): InspectedMessage => ({
  messageId: `msg_${String(++n).padStart(3, '0')}`,
  author: kind === 'agent' ? { kind, sub: 'agent-1' } : { kind },
  text,
  internal,
  createdAt: at(s),
});

describe('term matching', () => {
  it('finds Chinese forbidden words typed with spaces, punctuation, zero-width and full-width characters', () => {
    for (const text of ['我们保证退款的', '保 证 退 款', '保-证·退款', '保\u200b证退款', '保　证　退　款（放心）']) {
      expect(findTerms(text, ['保证退款']), text).toEqual(['保证退款']);
    }
    expect(findTerms('１００％退款，放心', ['100%退款'])).toEqual(['100%退款']);
    expect(findTerms('我们会尽快处理退款', ['保证退款'])).toEqual([]);
  });

  it('finds Latin terms in any width, case or spacing, but only on word boundaries', () => {
    expect(containsTerm(compact('ＧＵＡＲＡＮＴＥＥＤ ＲＥＦＵＮＤ'), 'guaranteed refund')).toBe(true);
    expect(containsTerm(compact('you are S-T-U-P-I-D'), 'stupid')).toBe(true);
    expect(containsTerm(compact('i d i o t'), 'idiot')).toBe(true);
    expect(containsTerm(compact('Let me assist you'), 'ass')).toBe(false);
    expect(containsTerm(compact('this is fine'), 'hi')).toBe(false);
    expect(containsTerm(compact('Hi! how can I help'), 'hi')).toBe(true);
    expect(containsTerm(compact('Shut   up.'), 'shut up')).toBe(true);
  });

  it('draws a stable number per id', () => {
    expect(draw('cnv_a')).toBe(draw('cnv_a'));
    expect(draw('cnv_a')).toBeGreaterThanOrEqual(0);
    expect(draw('cnv_a')).toBeLessThan(10_000);
  });
});

describe('reply checks', () => {
  it('flags a slow reply against the target, measured from the oldest unanswered message', () => {
    const earlier = [msg('visitor', '在吗', 0), msg('visitor', '有货吗', 30)];
    const check = checkReply(msg('agent', '您好，有货的', 90), earlier, settings, refs, { first: true });
    expect(check.responseSeconds).toBe(90);
    expect(check.flags.map((f) => f.kind)).toEqual(['slow_response']);
    expect(checkReply(msg('agent', '您好，有货的', 50), earlier, settings, refs, { first: true }).flags).toEqual([]);
  });

  it('starts the clock at the bot hand-off when the customer wrote before it', () => {
    const earlier = [msg('visitor', '转人工', 0)];
    const check = checkReply(msg('agent', '您好', 100), earlier, settings, refs, { first: true, handoffAt: at(70) });
    expect(check.responseSeconds).toBe(30);
  });

  it('flags forbidden words and promises with the term found, and a missing greeting on the first reply only', () => {
    const earlier = [msg('visitor', '坏了怎么办', 0)];
    const check = checkReply(msg('agent', '放心，保 证 退 款！爱买不买', 10), earlier, settings, refs, { first: true });
    expect(check.flags.map((f) => [f.kind, f.detail])).toEqual([
      ['forbidden_word', '爱买不买'],
      ['forbidden_promise', '保证退款'],
      ['missing_greeting', undefined],
    ]);
    expect(check.flags[0]).toMatchObject({ agent: 'agent-1', messageId: check.messageId });
    expect(checkReply(msg('agent', '马上处理', 10), earlier, settings, refs, { first: false }).flags).toEqual([]);
  });

  it('flags a negative tone with the sentiment model, but not an apology', () => {
    const earlier = [msg('visitor', '怎么还没发货', 0)];
    const rude = checkReply(msg('agent', '您好，这是你自己的问题，跟我们没关系', 10), earlier, settings, refs, { first: true });
    expect(rude.flags.map((f) => f.kind)).toEqual(['negative_tone']);
    const welcome = checkReply(msg('agent', '不客气，还有其他问题吗？祝您生活愉快', 10), earlier, settings, refs, { first: false });
    expect(welcome.flags).toEqual([]);
    const sorry = checkReply(msg('agent', '您好，非常抱歉，物流太慢了，我们马上催', 10), earlier, settings, refs, { first: true });
    expect(sorry.flags).toEqual([]);
  });

  it('flags curt answers to a customer, not short greetings or thanks', () => {
    expect(isCurt('嗯', settings)).toBe(true);
    expect(isCurt('不知道', settings)).toBe(true);
    expect(isCurt('no', settings)).toBe(true);
    expect(isCurt('谢谢', settings)).toBe(false);
    expect(isCurt('Hi', settings)).toBe(false);
    expect(isCurt('您好，这件有货，今天下单明天发', settings)).toBe(false);
    expect(isCurt('好的', settings, false)).toBe(false);
    expect(isCurt('不知道', settings, false)).toBe(true);
    const earlier = [msg('visitor', '这个能便宜点吗', 0)];
    expect(checkReply(msg('agent', '嗯', 5), earlier, settings, refs, { first: false }).flags.map((f) => f.kind)).toEqual(['curt_reply']);
  });

  it('recognises a macro (placeholders filled) and an article link', () => {
    const r = {
      macros: [
        {
          id: 'mac_1',
          texts: ['{{customer.name}}您好，您的订单{{order.id}}已发货，请留意物流信息。', 'Hi {{customer.name}}, order {{order.id}} has shipped.'],
        },
      ],
      articles: [{ id: 'art_returns', title: '七天无理由退货说明' }],
    };
    const earlier = [msg('visitor', '发货了吗', 0)];
    const used = checkReply(msg('agent', '王女士您好，您的订单 A123 已发货，请留意物流信息。详见 /kb/art_returns', 5), earlier, settings, r, { first: true });
    expect(used).toMatchObject({ macroId: 'mac_1', articleId: 'art_returns' });
    const own = checkReply(msg('agent', '您好，已经发出了', 5), earlier, settings, r, { first: true });
    expect(own.macroId).toBeUndefined();
    expect(own.articleId).toBeUndefined();
  });
});

describe('conversation checks', () => {
  const conversation = { conversationId: 'cnv_1', status: 'resolved', assignee: { sub: 'agent-1' } };

  it('checks the closing and the shopper trajectory of a closed conversation', () => {
    const messages = [
      msg('visitor', '你们太差了，东西坏了', 0),
      msg('agent', '您好，非常抱歉，马上给您换新', 20),
      msg('visitor', '谢谢，解决了，很满意', 60),
      msg('agent', '好的', 70),
    ];
    const result = inspectConversation({ conversation, messages, settings, refs });
    expect(result.agent).toBe('agent-1');
    expect(result.shopper?.trend).toBe('improved');
    expect(result.flags.map((f) => f.kind)).toEqual(['missing_closing']);
    const open = inspectConversation({ conversation: { ...conversation, status: 'open' }, messages, settings, refs });
    expect(open.flags).toEqual([]);
  });

  it('flags a worsened shopper mood at the close, and keeps internal notes out', () => {
    const messages = [
      msg('visitor', '请问这个有货吗', 0),
      msg('agent', '傻逼', 5, true),
      msg('agent', '您好，有货', 10),
      msg('visitor', '太差了，再也不买了', 60),
      msg('agent', '感谢您的反馈，祝您生活愉快', 70),
    ];
    const result = inspectConversation({ conversation, messages, settings, refs });
    expect(result.flags.map((f) => f.kind)).toEqual(['sentiment_worsened']);
    expect(result.replies).toHaveLength(2);
    expect(result.preSales).toBe(true);
  });

  it('tells pre-sales enquiries from after-sales ones', () => {
    expect(isPreSales(['这件外套有M码吗？'])).toBe(true);
    expect(isPreSales(['能便宜点吗？包邮吗'])).toBe(true);
    expect(isPreSales(['Is this available in blue? how much?'])).toBe(true);
    expect(isPreSales(['我的快递还没到，订单号 123'])).toBe(false);
    expect(isPreSales(['你好'])).toBe(false);
    expect(isPreSales(['你好'], 'PRODUCT')).toBe(true);
  });

  it('needs two shopper messages for a trajectory', () => {
    expect(trajectory(['太差了'])).toBeUndefined();
    expect(trajectory(['谢谢，很满意', '太差了，东西坏了'])?.trend).toBe('worsened');
  });
});

describe('scorecards', () => {
  it('weights item scores into a total and checks the rubric body', () => {
    const rubric = defaultRubric('general');
    const all = Object.fromEntries(rubric.items.map((i) => [i.id, 100]));
    expect(rubricTotal(rubric, all)).toBe(100);
    expect(rubricTotal(rubric, { ...all, language: 0 })).toBe(90);
    expect(rubricTotal(rubric, {})).toBe(0);
    expect(RubricBody.safeParse({ items: [], passMark: 80 }).success).toBe(false);
    const dup = { passMark: 80, items: [rubric.items[0], rubric.items[0]] };
    expect(RubricBody.safeParse(dup).success).toBe(false);
    expect(RubricBody.safeParse({ passMark: 80, items: [rubric.items[0]], extra: 1 }).success).toBe(false);
  });
});
