/**
 * Strings of the quality screens (per-agent performance, digest): loaded with that chunk and added to the catalogue of i18n.ts then.
 */
import { addText } from './i18n.ts';

export const qaEn = {
  qaPlaceholder: '',
};

const qaZh: Record<keyof typeof qaEn, string> = {
  qaPlaceholder: '',
};

addText({ en: qaEn, 'zh-CN': qaZh });
