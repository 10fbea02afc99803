import { describe, expect, it } from 'vitest';
import { classify, explicitHumanRequest, INTENT_CATEGORY } from '#shared/ai/classifier.ts';

describe('classifier', () => {
  it('hands off explicit requests for a human, in Chinese and English', () => {
    const zh = classify('我要找人工客服');
    expect(zh.handoff).toBe(true);
    expect(zh.lang).toBe('zh');
    expect(zh.category).toBe('CONTACT');
    expect(classify('let me talk to a real person please').handoff).toBe(true);
    expect(classify('I want to file a complaint about your service').handoff).toBe(true);
  });

  it('does not hand off ordinary requests', () => {
    const c = classify('how can I track my order?');
    expect(c.intent).toBe('track_order');
    expect(c.category).toBe('ORDER');
    expect(c.handoff).toBe(false);
    expect(classify('at what time can I phone customer service?').handoff).toBe(false);
  });

  it('classifies Chinese requests it was not trained on verbatim', () => {
    expect(classify('我想申请退款，东西不想要了').category).toBe('REFUND');
    expect(classify('发票怎么开').category).toBe('INVOICE');
    expect(classify('忘了密码登不上去').intent).toBe('recover_password');
  });

  it('returns a consistent intent/category pair and sentiment', () => {
    const c = classify('I need to change the shipping address of my order');
    expect(INTENT_CATEGORY[c.intent]).toBe(c.category);
    expect(c.category).toBe('SHIPPING_ADDRESS');
    expect(['positive', 'neutral', 'negative']).toContain(c.sentiment);
    expect(c.confidence).toBeGreaterThan(0.5);
  });

  it('falls back to OTHER for text with no known features', () => {
    expect(classify('zzqx vvbnm').category).toBe('OTHER');
  });

  it('does not treat AI (人工智能) as a human request', () => {
    expect(explicitHumanRequest('你们用的是人工智能吗')).toBe(false);
    expect(explicitHumanRequest('转人工')).toBe(true);
  });
});
