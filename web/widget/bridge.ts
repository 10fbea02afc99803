import type { Locale } from '../lib/types.ts';

/** What a shop page passes to `Kefu.setUser` (the hmac comes from the shop's backend). */
export interface KefuUser {
  id: string;
  name?: string;
  email?: string;
  hmac?: string;
}

export type KefuEvent = 'message' | 'open' | 'close';

export type KefuListener = (payload?: unknown) => void;

/** The public `window.Kefu` object. */
export interface KefuApi {
  open(): void;
  close(): void;
  setUser(user: KefuUser | null): void;
  on(event: KefuEvent, listener: KefuListener): void;
  off(event: KefuEvent, listener: KefuListener): void;
  /** Calls queued by the inline stub before the loader ran. */
  q?: unknown[][];
  loaded?: boolean;
}

/** What the lazily loaded panel exposes to the loader. */
export interface WidgetController {
  open(): void;
  close(): void;
  setUser(user: KefuUser | null): void;
}

/** The handshake between loader.js and widget.js (widget.js reads it from `window.__kefuBridge`). */
export interface Bridge {
  shopId: string;
  /** Absolute URL of loader.js; config.json and widget.js are found relative to it. */
  scriptUrl: string;
  apiUrl?: string;
  wsUrl?: string;
  root: ShadowRoot;
  launcher: HTMLButtonElement;
  locale: Locale;
  user: KefuUser | null;
  setLocale(locale: Locale): void;
  setOpen(open: boolean): void;
  setUnread(count: number): void;
  emit(event: KefuEvent, payload?: unknown): void;
  ready(controller: WidgetController): void;
}

declare global {
  interface Window {
    Kefu?: KefuApi;
    __kefuBridge?: Bridge;
  }
}

/**
 * Attaches CSS to a shadow root as a constructed stylesheet (not subject to the host page's
 * style-src CSP), falling back to a <style> element in older browsers.
 */
export function adoptCss(root: ShadowRoot, css: string): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return;
  }
  const style = document.createElement('style');
  style.textContent = css;
  root.prepend(style);
}

/** localStorage key of a shop's visitor session token. */
export function sessionKey(shopId: string): string {
  return `kefu:${shopId}:session`;
}

/** localStorage key of the language the visitor chose in the panel. */
export const LOCALE_KEY = 'kefu:locale';
