/**
 * Strings of the customer 360 panels (customer360/*.tsx): loaded with that chunk and added to the catalogue of i18n.ts then.
 */
import { addText } from './i18n.ts';

export const c360En = {
  c360Placeholder: '',
};

const c360Zh: Record<keyof typeof c360En, string> = {
  c360Placeholder: '',
};

addText({ en: c360En, 'zh-CN': c360Zh });
