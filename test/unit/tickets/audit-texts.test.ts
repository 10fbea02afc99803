import { describe, expect, test } from 'vitest';
import { texts } from '#shared/tickets/texts.ts';

describe('audit lines read as words in both languages', () => {
  test('a priority change names the field and its values, never the code name', () => {
    const line = texts.updated({ priority: { from: 'normal', to: 'high' } });
    expect(line['zh-CN']).toBe('更新了优先级 普通 → 高');
    expect(line.en).toBe('Updated priority normal → high');
    expect(line['zh-CN']).not.toMatch(/[a-z]/);
  });

  test('several fields: tags with their values, the others by name', () => {
    const line = texts.updated({ tags: { from: ['a'], to: ['vip', '破损'] }, team: { from: 'general', to: 'billing' }, assignee: { from: null, to: 'sub-1' } });
    expect(line['zh-CN']).toBe('更新了标签（vip、破损）；团队；负责人');
    expect(line.en).toBe('Updated tags (vip, 破损); team; assignee');
  });
});
