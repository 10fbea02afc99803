import { describe, expect, it } from 'vitest';
import { sentiment, topics } from '#shared/ai/sentiment.ts';

describe('sentiment', () => {
  it('handles English negation', () => {
    expect(sentiment('This is good').label).toBe('positive');
    expect(sentiment('This is not good').label).toBe('negative');
    expect(sentiment("Don't waste your money!").label).toBe('negative');
    expect(sentiment('not bad at all, works well').label).toBe('positive');
  });

  it('handles Chinese negation and intensifiers', () => {
    expect(sentiment('很满意').label).toBe('positive');
    expect(sentiment('不太满意').label).toBe('negative');
    expect(sentiment('质量不错，物流也快').label).toBe('positive');
    expect(sentiment('没有让我失望').label).toBe('positive');
    expect(sentiment('非常差').score).toBeLessThan(sentiment('差').score);
  });

  it('weights the clause after a contrast', () => {
    expect(sentiment('The case looks nice but it broke after two days').label).toBe('negative');
    expect(sentiment('价格有点贵，但是质量很好').label).toBe('positive');
  });

  it('keeps plain questions neutral', () => {
    expect(sentiment('请问什么时候发货').label).toBe('neutral');
    expect(sentiment('Where is my order?').label).toBe('neutral');
  });

  it('tags feedback topics in both languages', () => {
    expect(topics('快递太慢了，包装也破了')).toEqual(expect.arrayContaining(['delivery_speed', 'packaging']));
    expect(topics('The agent was rude')).toContain('agent_attitude');
    expect(topics('refund took forever')).toContain('refund_process');
    expect(topics('嗯')).toEqual(['other']);
  });
});
