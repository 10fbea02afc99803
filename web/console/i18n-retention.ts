/**
 * Strings of the churn model card and cohort retention screens: loaded with their chunk and added to the catalogue of i18n.ts then.
 * Keys start with `ret`.
 */
import { addText } from './i18n.ts';

export const retEn = {
  retTitle: 'Retention',
};

export const retZh: Record<keyof typeof retEn, string> = {
  retTitle: '留存',
};

addText({ en: retEn, 'zh-CN': retZh });
