/**
 * Strings of Shop settings and webhooks (settings/shop.tsx, settings/webhooks.tsx, settings/email.tsx): loaded with that chunk and added to the catalogue of i18n.ts then.
 */
import { addText } from './i18n.ts';

export const shopEn = {
  setShop: 'Shop',
  setWebhooks: 'Webhooks',
  setEmail: 'Email outbox',
};

const shopZh: Record<keyof typeof shopEn, string> = {
  setShop: '店铺',
  setWebhooks: 'Webhook',
  setEmail: '邮件发件箱',
};

addText({ en: shopEn, 'zh-CN': shopZh });
