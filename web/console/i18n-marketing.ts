/**
 * Strings of marketing screens (marketing/*.tsx): loaded with that chunk and added to the catalogue of i18n.ts then.
 */
import { addText } from './i18n.ts';

export const mkEn = {
  mkPlaceholder: '',
};

const mkZh: Record<keyof typeof mkEn, string> = {
  mkPlaceholder: '',
};

addText({ en: mkEn, 'zh-CN': mkZh });
