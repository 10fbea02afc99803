import { describe, expect, test } from 'vitest';
import { translator } from '../../../web/console/i18n.ts';
import { draftOf, draftProblems, emptyDraft, filterArticles, type KbArticle, parseTags, saveBody } from '../../../web/console/kb-state.ts';
import { money, orderStatusLabel, priorityLabel, reasonLabel, teamLabel } from '../../../web/console/labels.ts';

const article: KbArticle = {
  articleId: 'kb-refund-timing-en',
  lang: 'en',
  title: 'When will I get my refund?',
  body: 'Within 1 working day.',
  category: 'returns',
  tags: ['refund', 'money back'],
  status: 'published',
  version: 3,
  updatedAt: '2026-01-01T00:00:00Z',
  updatedBy: 'seed',
};

describe('knowledge-base editor logic', () => {
  test('tags: commas of either script, trimmed, unique, capped', () => {
    expect(parseTags(' refund, money back，退款、refund ,, ')).toEqual(['refund', 'money back', '退款']);
    expect(parseTags(Array.from({ length: 30 }, (_, i) => `t${i}`).join(','))).toHaveLength(20);
  });

  test('the save body matches the route: expectedVersion only when editing', () => {
    const draft = { ...draftOf(article), title: '  When will I get my refund?  ', tags: 'refund, money back' };
    expect(saveBody(draft, 3)).toEqual({
      lang: 'en',
      title: 'When will I get my refund?',
      body: 'Within 1 working day.',
      category: 'returns',
      tags: ['refund', 'money back'],
      status: 'published',
      expectedVersion: 3,
    });
    expect(saveBody(draft, undefined)).not.toHaveProperty('expectedVersion');
  });

  test('a draft needs a valid id, a title, a category and a body', () => {
    expect(draftProblems(draftOf(article))).toEqual([]);
    expect(draftProblems(emptyDraft('zh'))).toEqual(['invalidId', 'required']);
    expect(draftProblems({ ...draftOf(article), articleId: 'Bad Id' })).toEqual(['invalidId']);
    expect(draftProblems({ ...draftOf(article), body: '   ' })).toEqual(['required']);
  });

  test('the list filter looks at title, id, category and tags', () => {
    const other = { ...article, articleId: 'kb-size-guide-zh', title: '衣服尺码怎么选？', category: 'products', tags: ['尺码'] };
    expect(filterArticles([article, other], 'MONEY').map((a) => a.articleId)).toEqual(['kb-refund-timing-en']);
    expect(filterArticles([article, other], '尺码').map((a) => a.articleId)).toEqual(['kb-size-guide-zh']);
    expect(filterArticles([article, other], ' ')).toHaveLength(2);
  });
});

describe('hand-off and 360 labels', () => {
  test('reasons, teams, priorities and order statuses in both languages; unknown values shown as sent', () => {
    const en = translator('en');
    const zh = translator('zh-CN');
    expect(reasonLabel('customer_request', en)).toBe('The customer asked for a person');
    expect(reasonLabel('customer_request', zh)).toBe('客户要求转人工');
    expect(reasonLabel('new_reason', zh)).toBe('new_reason');
    expect(teamLabel('logistics', zh)).toBe('物流');
    expect(teamLabel('vip-desk', en)).toBe('vip-desk');
    expect(priorityLabel('urgent', zh)).toBe('紧急');
    expect(orderStatusLabel('shipped', en)).toBe('Shipped');
    expect(money(268, 'CNY', 'zh-CN')).toBe('¥268.00');
    expect(money(undefined, 'CNY', 'en')).toBe('–');
  });
});
