import { fill, pickLocale } from '../lib/format.ts';
import type { Locale } from '../lib/types.ts';
import {
  adoptCss,
  type Bridge,
  type KefuApi,
  type KefuEvent,
  type KefuListener,
  type KefuUser,
  LOCALE_KEY,
  sessionKey,
  type WidgetController,
} from './bridge.ts';
import { launcherText } from './i18n.ts';

declare const WIDGET_VERSION: string;

const CHAT_ICON =
  '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2Zm3 6.5a1.5 1.5 0 1 0 0 .01Zm5 0a1.5 1.5 0 1 0 0 .01Zm5 0a1.5 1.5 0 1 0 0 .01Z"/></svg>';
const CLOSE_ICON =
  '<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6Z"/></svg>';

const LAUNCHER_CSS = `:host{all:initial}
.launcher{position:fixed;right:max(20px,env(safe-area-inset-right));bottom:max(20px,env(safe-area-inset-bottom));z-index:2147483000;width:56px;height:56px;border:0;border-radius:50%;background:var(--kefu-accent,#0f766e);color:#fff;display:flex;align-items:center;justify-content:center;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);transition:transform .15s}
.launcher:hover{transform:scale(1.05)}
.launcher:focus-visible{outline:3px solid #1d4ed8;outline-offset:3px}
.launcher[aria-busy=true]{opacity:.8;cursor:progress}
.badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 5px;box-sizing:border-box;border-radius:10px;background:#b91c1c;color:#fff;font:600 12px/20px system-ui,sans-serif;text-align:center}
.badge[hidden]{display:none}
@media (prefers-reduced-motion:reduce){.launcher{transition:none}}`;

(() => {
  const existing = window.Kefu;
  if (existing?.loaded) return;
  const script = (document.currentScript ?? document.querySelector('script[data-shop][src*="loader.js"]')) as HTMLScriptElement | null;
  const shopId = script?.dataset.shop;
  if (!script || !shopId) {
    console.warn('[kefu] loader.js needs a data-shop attribute');
    return;
  }
  const storedLocale = readStorage(LOCALE_KEY);
  const host = document.createElement('div');
  host.setAttribute('data-kefu', '');
  const root = host.attachShadow({ mode: 'open' });
  if (script.dataset.color) host.style.setProperty('--kefu-accent', script.dataset.color);
  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'launcher';
  launcher.setAttribute('aria-haspopup', 'dialog');
  launcher.setAttribute('aria-expanded', 'false');
  const icon = document.createElement('span');
  icon.innerHTML = CHAT_ICON;
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.hidden = true;
  badge.setAttribute('aria-hidden', 'true');
  launcher.append(icon, badge);
  root.append(launcher);
  adoptCss(root, LAUNCHER_CSS);

  const listeners = new Map<KefuEvent, Set<KefuListener>>();
  let isOpen = false;
  let unread = 0;
  let controller: WidgetController | undefined;
  let loading: Promise<WidgetController> | undefined;

  const bridge: Bridge = {
    shopId,
    scriptUrl: script.src,
    apiUrl: script.dataset.api,
    wsUrl: script.dataset.ws,
    root,
    launcher,
    locale: pickLocale(storedLocale === 'zh-CN' || storedLocale === 'en' ? storedLocale : null, document.documentElement.lang, navigator.language),
    user: null,
    setLocale(locale: Locale) {
      bridge.locale = locale;
      renderLauncher();
    },
    setOpen(open: boolean) {
      if (open === isOpen) return;
      isOpen = open;
      renderLauncher();
      bridge.emit(open ? 'open' : 'close');
    },
    setUnread(count: number) {
      unread = count;
      renderLauncher();
    },
    emit(event: KefuEvent, payload?: unknown) {
      for (const listener of listeners.get(event) ?? []) {
        try {
          listener(payload);
        } catch (err) {
          console.error('[kefu] listener failed', err);
        }
      }
    },
    ready(ready: WidgetController) {
      controller = ready;
    },
  };

  function renderLauncher(): void {
    const text = launcherText[bridge.locale];
    launcher.setAttribute('aria-expanded', String(isOpen));
    icon.innerHTML = isOpen ? CLOSE_ICON : CHAT_ICON;
    const label = isOpen ? text.close : text.open;
    launcher.setAttribute('aria-label', unread > 0 && !isOpen ? `${label} (${fill(text.unread, { count: unread })})` : label);
    badge.hidden = unread === 0 || isOpen;
    badge.textContent = unread > 9 ? '9+' : String(unread);
  }

  function load(): Promise<WidgetController> {
    if (controller) return Promise.resolve(controller);
    if (loading) return loading;
    window.__kefuBridge = bridge;
    launcher.setAttribute('aria-busy', 'true');
    loading = new Promise<WidgetController>((resolve, reject) => {
      const tag = document.createElement('script');
      tag.src = new URL(`widget.js?v=${WIDGET_VERSION}`, script!.src).href;
      tag.async = true;
      tag.onload = () => (controller ? resolve(controller) : reject(new Error('widget did not start')));
      tag.onerror = () => reject(new Error('widget.js failed to load'));
      document.head.append(tag);
    }).finally(() => launcher.removeAttribute('aria-busy'));
    loading.catch((err: unknown) => {
      loading = undefined;
      console.error('[kefu]', err);
    });
    return loading;
  }

  const api: KefuApi = {
    loaded: true,
    open() {
      void load().then((c) => c.open());
    },
    close() {
      controller?.close();
    },
    setUser(user: KefuUser | null) {
      bridge.user = user;
      if (controller) controller.setUser(user);
      else if (user) void load();
    },
    on(event: KefuEvent, listener: KefuListener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      if (event === 'message') void load();
    },
    off(event: KefuEvent, listener: KefuListener) {
      listeners.get(event)?.delete(listener);
    },
  };

  launcher.addEventListener('click', () => (isOpen ? api.close() : api.open()));
  new MutationObserver(() => {
    if (!readStorage(LOCALE_KEY)) bridge.setLocale(pickLocale(document.documentElement.lang, navigator.language));
  }).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  renderLauncher();
  window.Kefu = api;
  const mount = () => document.body.append(host);
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);

  for (const call of existing?.q ?? []) {
    const [method, args] = call as [keyof KefuApi, unknown[]];
    const fn = api[method];
    if (typeof fn === 'function') (fn as (...a: unknown[]) => void).apply(api, Array.isArray(args) ? args : []);
  }

  if (readStorage(sessionKey(shopId))) {
    const idle = window.requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 1500));
    idle(() => void load());
  }

  function readStorage(key: string): string | null {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  }
})();
