/**
 * One-click unsubscribe (RFC 8058). Each email carries a signed link: the token names the contact
 * and the campaign and is an HMAC under the platform key, so it cannot be forged or altered, and
 * it needs no stored state. GET shows a confirmation page (zh + en) — link scanners that prefetch
 * URLs therefore never unsubscribe anyone — and POST (the page's button, or the mail client's
 * `List-Unsubscribe=One-Click` request) withdraws marketing consent on every channel.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { escapeHtml, type Lang } from './template.ts';

export interface UnsubscribeClaims {
  contactId: string;
  campaignId: string;
}

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

function signature(key: Uint8Array, payload: string): Buffer {
  return createHmac('sha256', key).update(`kefu-unsubscribe.${payload}`).digest();
}

/** A signed unsubscribe token. */
export function signUnsubscribe(claims: UnsubscribeClaims, key: Uint8Array): string {
  const payload = b64(JSON.stringify({ c: claims.contactId, k: claims.campaignId }));
  return `${payload}.${b64(signature(key, payload))}`;
}

/** The claims of a genuine token; undefined for anything altered, truncated or malformed. */
export function verifyUnsubscribe(token: string, key: Uint8Array): UnsubscribeClaims | undefined {
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return undefined;
  const [, payload = '', sig = ''] = m;
  const expected = signature(key, payload);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { c?: unknown; k?: unknown };
    if (typeof value.c !== 'string' || typeof value.k !== 'string') return undefined;
    return { contactId: value.c, campaignId: value.k };
  } catch {
    return undefined;
  }
}

/** The link placed in messages and in the List-Unsubscribe header. */
export function unsubscribeUrl(base: string, token: string, lang: Lang): string {
  return `${base.replace(/\/+$/, '')}/unsubscribe?t=${encodeURIComponent(token)}&lang=${lang}`;
}

/** RFC 8058 headers of a marketing email. */
export function listUnsubscribeHeaders(url: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

const TEXT = {
  confirmTitle: { zh: '退订营销消息', en: 'Unsubscribe from marketing messages' },
  confirmBody: {
    zh: '确认后，您将不再收到本店的营销邮件、站内活动消息和优惠通知。订单和客服消息不受影响。',
    en: 'Once you confirm, you will no longer receive marketing emails, in-chat promotions or offers from this shop. Order and support messages are not affected.',
  },
  button: { zh: '确认退订', en: 'Unsubscribe' },
  doneTitle: { zh: '已退订', en: 'You are unsubscribed' },
  doneBody: {
    zh: '您已成功退订营销消息。如需重新订阅，可在聊天窗口的设置中开启。',
    en: 'You will not receive marketing messages any more. You can opt in again from the chat widget settings.',
  },
  invalidTitle: { zh: '链接无效', en: 'This link is not valid' },
  invalidBody: {
    zh: '退订链接不完整或已被修改。请使用邮件中的原始链接。',
    en: 'The unsubscribe link is incomplete or was altered. Please use the original link from the email.',
  },
  errorTitle: { zh: '出错了', en: 'Something went wrong' },
  errorBody: { zh: '请稍后再试。', en: 'Please try again later.' },
} as const;

type Key = keyof typeof TEXT;

function page(lang: Lang, title: Key, body: Key, extra = ''): string {
  const order: Lang[] = lang === 'en' ? ['en', 'zh'] : ['zh', 'en'];
  const sections = order
    .map((l) => `<section lang="${l === 'zh' ? 'zh-CN' : 'en'}"><h1>${escapeHtml(TEXT[title][l])}</h1><p>${escapeHtml(TEXT[body][l])}</p></section>`)
    .join('\n');
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${escapeHtml(TEXT[title][lang])}</title>
<style>body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;line-height:1.6;color:#1f2328}section+section{border-top:1px solid #d0d7de;margin-top:1.5rem;padding-top:.5rem}button{font:inherit;padding:.6rem 1.4rem;border-radius:6px;border:0;background:#cf222e;color:#fff;cursor:pointer}button:focus-visible{outline:3px solid #0969da;outline-offset:2px}</style>
</head>
<body>
<main>
${sections}
${extra}
</main>
</body>
</html>`;
}

/** The confirmation page; its form POSTs the same token (the body RFC 8058 mail clients send). */
export function confirmPage(lang: Lang, token: string): string {
  const form = `<form method="post" action="?t=${encodeURIComponent(token)}&amp;lang=${lang}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${escapeHtml(TEXT.button[lang])} · ${escapeHtml(TEXT.button[lang === 'zh' ? 'en' : 'zh'])}</button></form>`;
  return page(lang, 'confirmTitle', 'confirmBody', form);
}

/** The page shown once the unsubscribe is done. */
export function donePage(lang: Lang): string {
  return page(lang, 'doneTitle', 'doneBody');
}

/** The page shown for a tampered or malformed link, or another failure. */
export function errorPage(lang: Lang, status: number): string {
  return status === 400 ? page(lang, 'invalidTitle', 'invalidBody') : page(lang, 'errorTitle', 'errorBody');
}
