import { describe, expect, it } from 'vitest';
import { stateSentence } from '#shared/aftersales/model.ts';
import { classify } from '#shared/ai/classifier.ts';
import { type ResponderInput, respond } from '#shared/bot/responder.ts';

const noHits = { hits: [], confidence: 0, margin: 0, coverage: 0, decision: 'handoff' as const };

function input(text: string, over: Partial<ResponderInput> = {}): ResponderInput {
  return {
    text,
    classification: classify(text),
    retrieval: noHits,
    articles: {},
    state: { turns: 0, fallbacks: 0 },
    verified: true,
    orders: [],
    history: [],
    ...over,
  };
}

const sentence = stateSentence({ state: 'awaiting_return', kind: 'return', orderId: 'A-1', returnAddress: '上海市浦东新区 1 号' });
const open = [{ orderId: 'A-1', text: { zh: sentence['zh-CN'], en: sentence.en } }];

describe('the bot on after-sales questions', () => {
  it('reports a verified shopper’s open request in words', () => {
    for (const text of ['我要退货', '怎么换货', '退款到哪了']) {
      const a = respond(input(text, { aftersales: open }));
      expect(a.kind, text).toBe('order_status');
      expect(a.text, text).toContain('您的售后申请进度');
      expect(a.text, text).toContain('请将商品寄回：上海市浦东新区 1 号');
    }
    expect(respond(input('where is my refund?', { aftersales: open })).text).toContain('Please send the item back to');
  });

  it('without an open request points to the widget’s 申请售后 entry; anonymous shoppers are asked to log in', () => {
    const none = respond(input('我要退货'));
    expect(none.kind).toBe('order_status');
    expect(none.text).toContain('「申请售后」');
    const anonymous = respond(input('我要退货', { verified: false, aftersales: open }));
    expect(anonymous.text).toContain('登录');
    expect(anonymous.text).not.toContain('A-1');
  });

  it('“退款到哪了” is not read as a parcel question', () => {
    const a = respond(input('退款到哪了', { shipments: [], aftersales: open }));
    expect(a.text).not.toContain('包裹');
  });
});
