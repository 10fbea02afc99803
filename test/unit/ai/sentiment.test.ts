import { describe, expect, it } from 'vitest';
import { anger, sentiment, topics } from '#shared/ai/sentiment.ts';

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

  it('reads Chinese product reviews without opinion words and with comparisons', () => {
    expect(sentiment('洗了一次就缩水了，还掉色').label).toBe('negative');
    expect(sentiment('穿了一天脚后跟就磨破皮了').label).toBe('negative');
    expect(sentiment('不起球不掉色，很满意').label).toBe('positive');
    expect(sentiment('没有想象中好用').label).toBe('negative');
    expect(sentiment('不如之前买的那个好用').label).toBe('negative');
    expect(sentiment('手机发热严重，掉电也快').label).toBe('negative');
    expect(sentiment('用了一个月痘痘少了很多').label).toBe('positive');
    expect(sentiment('好吃，就是米饭少了点').label).toBe('positive');
    expect(sentiment('好吃但是等了两个小时').label).toBe('negative');
    expect(sentiment('第三次回购了，全家都爱吃').label).toBe('positive');
  });

  it('tells anger and threats apart from dissatisfaction', () => {
    for (const t of ['如果茶叶不喜欢可以退货吗？怎么退？', '质量不太好，能换吗', '包装有点难看', '尺码偏小，有点失望']) {
      expect(anger(t).angry, t).toBe(false);
    }
    for (const t of [
      '什么破质量，气死我了',
      '再不退款我就去12315投诉',
      '骗子！',
      '我要找律师',
      '催了三次了还不发货',
      'This is ridiculous, I want my money back',
    ]) {
      expect(anger(t).angry, t).toBe(true);
    }
    expect(anger('怎么还没发货').angry).toBe(false);
    expect(anger('到底什么时候发货', ['我的货怎么还没发']).angry).toBe(true);
    expect(anger('垃圾袋有几种尺寸').angry).toBe(false);
  });

  it('tags feedback topics in both languages', () => {
    expect(topics('快递太慢了，包装也破了')).toEqual(expect.arrayContaining(['delivery_speed', 'packaging']));
    expect(topics('The agent was rude')).toContain('agent_attitude');
    expect(topics('refund took forever')).toContain('refund_process');
    expect(topics('嗯')).toEqual(['other']);
  });
});
