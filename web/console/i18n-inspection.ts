/**
 * Strings of the quality-inspection (质检) and scenario-training screens: loaded with their chunk and added to the catalogue of i18n.ts then.
 * Keys start with `insp`.
 */
import { addText } from './i18n.ts';

export const inspEn = {
  inspTitle: 'Inspection',
};

export const inspZh: Record<keyof typeof inspEn, string> = {
  inspTitle: '质检',
};

addText({ en: inspEn, 'zh-CN': inspZh });
