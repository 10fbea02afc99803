/**
 * Message personalisation (pure): `{{name}}`, `{{tier}}`, `{{points}}`, `{{bonusPoints}}`, the
 * coupon's `{{couponCode}}`, `{{couponTerms}}` (满100减10) and `{{couponExpires}}`, and
 * `{{unsubscribeUrl}}` in zh or en text, chosen by the contact's locale. Unknown placeholders are
 * refused when the campaign is saved, so a typo never reaches a customer as raw braces.
 */
import type { Channel, Content } from './model.ts';

export const PLACEHOLDERS = ['name', 'tier', 'points', 'bonusPoints', 'couponCode', 'couponTerms', 'couponExpires', 'unsubscribeUrl'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type Lang = 'zh' | 'en';

const PATTERN = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/** The language a contact reads: English for `en*` locales, Chinese otherwise (the shop's default). */
export function langOf(locale: string | undefined): Lang {
  return locale?.toLowerCase().startsWith('en') ? 'en' : 'zh';
}

/** Placeholders used in a text. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PATTERN)].map((m) => m[1] as string);
}

/** One problem with a campaign's content: the body path it belongs to and its text in both languages. */
export interface ContentIssue {
  path: string;
  zh: string;
  en: string;
}

const CHANNEL_ZH: Record<Channel, string> = { widget: '聊天挂件', email: '电子邮件', webhook: '店铺 Webhook' };

const KNOWN = PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ');

/** Problems with a variant's content for the chosen channels, at their body paths (`variants.{index}.content.…`). */
export function contentIssues(content: Content, channels: readonly Channel[], variantId: string, index = 0): ContentIssue[] {
  const issues: ContentIssue[] = [];
  for (const channel of channels) {
    const c = content[channel];
    const base = `variants.${index}.content.${channel}`;
    if (!c) {
      issues.push({
        path: base,
        zh: `缺少“${CHANNEL_ZH[channel]}”渠道的消息内容（版本 ${variantId}）`,
        en: `variant ${variantId}: content for channel "${channel}" is missing`,
      });
      continue;
    }
    for (const lang of ['zh', 'en'] as const) {
      for (const [field, text] of Object.entries(c[lang]) as [string, string][]) {
        for (const name of placeholdersIn(text)) {
          if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
            issues.push({
              path: `${base}.${lang}.${field}`,
              zh: `未知的占位符 {{${name}}}，可用：${KNOWN}`,
              en: `variant ${variantId}, ${channel} (${lang}): unknown placeholder {{${name}}}; use ${KNOWN}`,
            });
          }
        }
      }
    }
  }
  return issues;
}

/** Problems with a variant's content for the chosen channels (empty when fine), in English. */
export function contentProblems(content: Content, channels: readonly Channel[], variantId: string): string[] {
  return contentIssues(content, channels, variantId).map((i) => i.en);
}

const FALLBACK_NAME: Record<Lang, string> = { zh: '会员', en: 'there' };

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export type Values = Partial<Record<Placeholder, string | number>>;

/** Fills the placeholders (values escaped when `html`); a missing name reads "会员" / "there". */
export function render(text: string, values: Values, lang: Lang, html = false): string {
  return text.replace(PATTERN, (_all, name: string) => {
    const raw = name === 'name' ? (values.name ?? FALLBACK_NAME[lang]) : (values[name as Placeholder] ?? '');
    return html ? escapeHtml(String(raw)) : String(raw);
  });
}

/** The line added to an email whose body does not place the coupon code itself. */
export function couponLine(lang: Lang, coupon: { code: string; terms: string; expires: string }): string {
  return lang === 'zh'
    ? `\n\n您的优惠券：${coupon.code}（${coupon.terms}，${coupon.expires} 前有效）`
    : `\n\nYour coupon: ${coupon.code} (${coupon.terms}, valid until ${coupon.expires})`;
}

/** The footer added to an email whose body does not place the unsubscribe link itself. */
export function unsubscribeFooter(lang: Lang, url: string): string {
  return lang === 'zh' ? `\n\n不想再收到此类消息？一键退订：${url}` : `\n\nDon't want these messages? Unsubscribe in one click: ${url}`;
}
