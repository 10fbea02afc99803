import { describe, expect, it } from 'vitest';
import { careDateItem, dueDays, localDay, renderCare } from '#shared/members/care-rules.ts';

describe('care rules', () => {
  it('yearly occasions are indexed by month-day, dated ones by date', () => {
    process.env.TABLE_NAME ??= 'Kefu';
    expect(careDateItem('c1', 'birthday', 'member', '1990-07-14').Put?.Item).toMatchObject({ gsi2pk: 'CAREDAY#birthday#07-14', gsi2sk: 'c1#member' });
    expect(careDateItem('c1', 'post_delivery', 'o1', '2026-03-02T10:00:00Z').Put?.Item).toMatchObject({
      gsi2pk: 'CAREDAY#post_delivery#2026-03-02',
      gsi2sk: 'c1#o1',
    });
  });

  it('today’s partitions: birthdays and anniversaries by month-day, deliveries 3 days back', () => {
    const due = dueDays('2026-03-05');
    expect(due).toContainEqual({ rule: 'birthday', day: '03-05', occurrence: '2026' });
    expect(due).toContainEqual({ rule: 'anniversary', day: '03-05', occurrence: '2026' });
    expect(due).toContainEqual({ rule: 'post_delivery', day: '2026-03-02', occurrence: '2026-03-02' });
    expect(due).toContainEqual({ rule: 'first_order', day: '2026-03-05', occurrence: '2026-03-05' });
  });

  it('Feb 29 birthdays are greeted on Feb 28 in common years only', () => {
    expect(
      dueDays('2027-02-28')
        .filter((d) => d.rule === 'birthday')
        .map((d) => d.day),
    ).toEqual(['02-28', '02-29']);
    expect(
      dueDays('2028-02-28')
        .filter((d) => d.rule === 'birthday')
        .map((d) => d.day),
    ).toEqual(['02-28']);
  });

  it('texts exist in zh-CN and en, with a neutral greeting when the name is unknown', () => {
    expect(renderCare('birthday', 'zh', '王芳').body).toContain('王芳');
    expect(renderCare('birthday', 'en', undefined).body).toContain('dear member');
    expect(renderCare('post_delivery', 'zh', undefined).title).toMatch(/[\u4e00-\u9fff]/);
  });

  it('the local day follows the shop’s time zone', () => {
    expect(localDay(new Date('2026-03-04T17:00:00Z'), 'Asia/Shanghai')).toBe('2026-03-05');
    expect(localDay(new Date('2026-03-04T17:00:00Z'), 'UTC')).toBe('2026-03-04');
  });
});
