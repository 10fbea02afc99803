import { describe, expect, test } from 'vitest';
import { consoleText } from '../../../web/console/i18n.ts';
import { launcherText, widgetText } from '../../../web/widget/i18n.ts';
// the lazily loaded sections add their strings when their chunk loads; load them for the checks
import '../../../web/console/i18n-ops.ts';
import '../../../web/console/i18n-search.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe.each([
  ['widget', widgetText],
  ['launcher', launcherText],
  ['console', consoleText],
] as const)('%s catalogue', (_name, catalogue) => {
  const zh = catalogue['zh-CN'] as Record<string, string>;
  const en = catalogue.en as Record<string, string>;

  test('every key exists in both zh-CN and en', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  test('no string is empty and both languages use the same placeholders', () => {
    for (const key of Object.keys(en)) {
      expect(en[key]?.trim(), `en.${key}`).toBeTruthy();
      expect(zh[key]?.trim(), `zh-CN.${key}`).toBeTruthy();
      expect(placeholders(zh[key]!), `placeholders of ${key}`).toEqual(placeholders(en[key]!));
    }
  });

  test('nothing was left untranslated (a zh-CN string equal to the English one)', () => {
    expect(Object.keys(en).filter((key) => zh[key] === en[key])).toEqual([]);
  });
});
