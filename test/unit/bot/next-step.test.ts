import { describe, expect, it } from 'vitest';
import { describeHours, nextStepText } from '#shared/bot/responder.ts';

const weekdays = {
  '1': ['09:00', '18:00'],
  '2': ['09:00', '18:00'],
  '3': ['09:00', '18:00'],
  '4': ['09:00', '18:00'],
  '5': ['09:00', '18:00'],
  '6': ['10:00', '16:00'],
} as const;

describe('what a handed-off shopper is told', () => {
  it('describes the calendar the shop really has, grouped, in the shopper’s language', () => {
    expect(describeHours(weekdays, 'zh')).toBe('周一至周五 09:00–18:00，周六 10:00–16:00');
    expect(describeHours(weekdays, 'en')).toBe('Mon–Fri 09:00–18:00, Sat 10:00–16:00');
    expect(describeHours({}, 'zh')).toBe('暂无');
  });

  it('names the agent who has it, else the place in the team queue, else when the team is back', () => {
    const hours = describeHours(weekdays, 'zh');
    expect(nextStepText('zh', { open: true, assignee: '李娜', hours })).toBe('客服 李娜 已接手，会尽快回复您。');
    expect(nextStepText('zh', { open: true, position: 2, hours })).toContain('第 2 位');
    expect(nextStepText('en', { open: true, position: 1, hours: describeHours(weekdays, 'en') })).toContain('number 1');
    expect(nextStepText('zh', { open: false, hours })).toContain('周六 10:00–16:00');
  });
});
