/**
 * Strings of logistics (shipments, 催单) and coupon screens: loaded with their chunk and added to the catalogue of i18n.ts then.
 * Keys start with `lgs`.
 */
import { addText } from './i18n.ts';

export const lgsEn = {
  lgsTitle: 'Logistics',
};

export const lgsZh: Record<keyof typeof lgsEn, string> = {
  lgsTitle: '物流',
};

addText({ en: lgsEn, 'zh-CN': lgsZh });
