/**
 * The widget's after-sales (售后) entry: a "申请售后" card on the home view and a sheet over the
 * panel where a signed-in shopper picks an order, the kind, the reason, the quantity and photos,
 * submits, and follows the state of their requests. Anonymous shoppers are asked to sign in (the
 * server decides). Bot messages that point to the entry get a button that opens the sheet.
 * Mounted with one line in widget.ts; everything else lives here.
 */
import { KIND_TEXT, KINDS, type Kind, REASON_TEXT, REASONS, type Reason } from '../../shared/aftersales/model.ts';
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, type UploadGrant, uploadFile } from '../lib/attachments.ts';
import { ApiError, type RequestOptions } from '../lib/http.ts';
import type { AttachmentRef, Locale } from '../lib/types.ts';
import css from './aftersales.css';
import { type AfterSalesKey, asText, ENTRY_MARKERS } from './aftersales-text.ts';
import { adoptCss } from './bridge.ts';
import { el, ICONS, icon } from './dom.ts';

type Words = { 'zh-CN': string; en: string };

interface ShopperRequest {
  requestId: string;
  orderId: string;
  kind: Kind;
  kindText: Words;
  stateText: Words;
  sentence: Words;
  state: string;
}

interface OrderChoice {
  orderId: string;
  amount: number;
  quantity: number;
  status: string;
  openRequest: boolean;
  kinds: Record<Kind, { ok: boolean; text?: Words }>;
}

export interface AfterSalesDeps {
  root: ShadowRoot;
  home: HTMLElement;
  call<T>(path: string, options?: Omit<RequestOptions, 'token'>): Promise<T>;
  locale(): Locale;
}

const IMAGE_TYPES = ATTACHMENT_TYPES.filter((type) => type.startsWith('image/'));
const MAX_PHOTOS = 6;

/** What the widget tells the after-sales sheet. */
export interface AfterSales {
  /** The shopper signed in or out (Kefu.setUser): an open sheet loads again with the new session. */
  sessionChanged(): void;
}

/** Mounts the entry on the home view and the sheet on the panel. */
export function mountAfterSales(deps: AfterSalesDeps): AfterSales {
  adoptCss(deps.root, css);
  const t = (key: AfterSalesKey, values?: Record<string, string | number>) => asText(deps.locale(), key, values);
  const words = (w: Words) => (deps.locale() === 'zh-CN' ? w['zh-CN'] : w.en);

  let phase: 'closed' | 'loading' | 'ready' | 'signin' | 'error' = 'closed';
  let loadError = '';
  let requests: ShopperRequest[] = [];
  let orders: OrderChoice[] = [];
  let draft = emptyDraft();
  let photos: AttachmentRef[] = [];
  let uploads = 0;
  let busy = false;
  let notice: { kind: 'ok' | 'error'; text: string } | undefined;
  let opener: HTMLElement | null = null;

  const entryTitle = el('h3', { class: 'as-entry-title' });
  const entryIntro = el('p', { class: 'muted' });
  const entryButton = el('button', { type: 'button', class: 'send wide as-open' });
  const entry = el('section', { class: 'card as-entry', 'aria-labelledby': 'kefu-as-entry-title' }, entryTitle, entryIntro, entryButton);
  entryTitle.id = 'kefu-as-entry-title';
  deps.home.insertBefore(entry, deps.home.children[2] ?? null);

  const title = el('h3', { id: 'kefu-as-title', class: 'as-title', tabindex: '-1' });
  const closeButton = el('button', { type: 'button', class: 'icon-btn as-close' }, icon(ICONS.close, 20));
  const body = el('div', { class: 'as-body' });
  const sheet = el(
    'section',
    { class: 'as-sheet', role: 'region', 'aria-labelledby': 'kefu-as-title', hidden: true },
    el('div', { class: 'as-head' }, title, closeButton),
    body,
  );

  function panel(): HTMLElement | null {
    return deps.root.getElementById('kefu-panel');
  }

  function applyTexts(): void {
    entryTitle.textContent = t('entryTitle');
    entryIntro.textContent = t('entryIntro');
    entryButton.textContent = t('entryButton');
    title.textContent = t('sheetTitle');
    closeButton.setAttribute('aria-label', t('close'));
    closeButton.title = t('close');
    if (phase !== 'closed') render();
  }

  function open(from: HTMLElement): void {
    const host = panel();
    if (!host) return;
    if (sheet.parentNode !== host) host.append(sheet);
    opener = from;
    for (const child of Array.from(host.children)) if (child !== sheet) child.setAttribute('inert', '');
    sheet.hidden = false;
    notice = undefined;
    title.focus();
    void load();
  }

  function close(): void {
    sheet.hidden = true;
    phase = 'closed';
    for (const child of Array.from(panel()?.children ?? [])) child.removeAttribute('inert');
    (opener?.isConnected ? opener : entryButton).focus();
  }

  /** The newest load: an older one finishing later (the session before a sign-in) is dropped. */
  let loads = 0;
  async function load(): Promise<void> {
    const mine = ++loads;
    phase = 'loading';
    render();
    try {
      const data = await deps.call<{ requests: ShopperRequest[]; orders: OrderChoice[] }>('/widget/aftersales', { lang: deps.locale() });
      if (mine !== loads) return;
      requests = data.requests;
      orders = data.orders;
      phase = 'ready';
      const choosable = orders.filter((o) => !o.openRequest);
      if (!choosable.some((o) => o.orderId === draft.orderId)) draft = { ...emptyDraft(), orderId: choosable[0]?.orderId ?? '' };
    } catch (err) {
      if (mine !== loads) return;
      if (err instanceof ApiError && (err.status === 403 || err.status === 401)) phase = 'signin';
      else {
        phase = 'error';
        loadError = err instanceof Error ? err.message : String(err);
      }
    }
    render();
  }

  function render(): void {
    if (phase === 'closed') return;
    const nodes: Node[] = [];
    if (notice)
      nodes.push(el('p', { class: notice.kind === 'ok' ? 'as-notice ok' : 'as-notice error', role: notice.kind === 'ok' ? 'status' : 'alert' }, notice.text));
    if (phase === 'loading') nodes.push(el('p', { class: 'muted', role: 'status' }, t('loading')));
    if (phase === 'signin') nodes.push(el('p', { class: 'as-signin' }, t('signIn')));
    if (phase === 'error') {
      const retry = el('button', { type: 'button', class: 'action' }, t('retry'));
      retry.addEventListener('click', () => void load());
      nodes.push(el('p', { class: 'as-notice error', role: 'alert' }, t('loadFailed', { message: loadError }), ' ', retry));
    }
    if (phase === 'ready') {
      if (requests.length) nodes.push(requestList());
      nodes.push(form());
    }
    body.replaceChildren(...nodes);
  }

  function requestList(): HTMLElement {
    return el(
      'div',
      { class: 'as-requests' },
      el('h4', {}, t('myRequests')),
      el(
        'ul',
        {},
        ...requests.map((r) => {
          const li = el(
            'li',
            { class: `as-request as-${r.state}` },
            el('strong', {}, t('requestLine', { orderId: r.orderId, kind: words(r.kindText) })),
            ' ',
            el('span', { class: 'as-state' }, words(r.stateText)),
            el('p', { class: 'muted' }, words(r.sentence)),
          );
          li.dataset.request = r.requestId;
          return li;
        }),
      ),
    );
  }

  function form(): HTMLElement {
    const choosable = orders.filter((o) => !o.openRequest);
    if (!choosable.length) return el('p', { class: 'muted as-none' }, t('noOrders'));
    const order = choosable.find((o) => o.orderId === draft.orderId) ?? choosable[0]!;
    draft.orderId = order.orderId;
    draft.quantity = Math.min(draft.quantity, order.quantity);

    const orderSelect = select('kefu-as-order', [
      ...orders.map((o) => ({
        value: o.orderId,
        label: o.openRequest
          ? t('orderBusy', { orderId: o.orderId })
          : t('orderOption', { orderId: o.orderId, amount: o.amount.toFixed(2), status: statusText(o.status) }),
        disabled: o.openRequest,
      })),
    ]);
    orderSelect.value = draft.orderId;
    const kindSelect = select(
      'kefu-as-kind',
      KINDS.map((k) => ({ value: k, label: words(KIND_TEXT[k]) })),
    );
    kindSelect.value = draft.kind;
    const reasonSelect = select(
      'kefu-as-reason',
      REASONS.map((r) => ({ value: r, label: words(REASON_TEXT[r]) })),
    );
    reasonSelect.value = draft.reason;
    const quantity = el('input', { id: 'kefu-as-quantity', type: 'number', min: '1', max: String(order.quantity), step: '1', inputmode: 'numeric' });
    quantity.value = String(draft.quantity);
    const note = el('textarea', { id: 'kefu-as-note', maxlength: '1000', rows: '3' });
    note.value = draft.note;
    const fileInput = el('input', { id: 'kefu-as-photos', type: 'file', accept: IMAGE_TYPES.join(','), multiple: true });
    const photoList = el('ul', { class: 'as-photos' });
    const verdict = el('p', { class: 'as-verdict', role: 'alert', hidden: true });
    const submit = el('button', { type: 'submit', class: 'send' }, busy ? t('submitting') : t('submit'));

    const refresh = () => {
      const o = choosable.find((c) => c.orderId === draft.orderId);
      const check = o?.kinds[draft.kind];
      verdict.hidden = !check || check.ok;
      verdict.textContent = check && !check.ok && check.text ? words(check.text) : '';
      submit.disabled = busy || uploads > 0 || !check?.ok;
      photoList.replaceChildren(
        ...photos.map((p) => {
          const remove = el('button', { type: 'button', class: 'action', 'aria-label': t('removePhoto', { name: p.fileName }) }, icon(ICONS.close, 14));
          remove.addEventListener('click', () => {
            photos = photos.filter((x) => x.attachmentId !== p.attachmentId);
            refresh();
          });
          return el('li', {}, p.fileName, ' ', remove);
        }),
      );
      fileInput.disabled = photos.length >= MAX_PHOTOS;
    };

    orderSelect.addEventListener('change', () => {
      draft.orderId = orderSelect.value;
      render();
    });
    kindSelect.addEventListener('change', () => {
      draft.kind = kindSelect.value as Kind;
      refresh();
    });
    reasonSelect.addEventListener('change', () => {
      draft.reason = reasonSelect.value as Reason;
    });
    quantity.addEventListener('input', () => {
      draft.quantity = Math.max(1, Math.min(order.quantity, Number.parseInt(quantity.value, 10) || 1));
    });
    note.addEventListener('input', () => {
      draft.note = note.value;
    });
    fileInput.addEventListener('change', () => {
      const files = Array.from(fileInput.files ?? []).slice(0, MAX_PHOTOS - photos.length);
      fileInput.value = '';
      for (const file of files) void addPhoto(file, refresh);
    });

    const f = el(
      'form',
      { class: 'as-form', novalidate: true, 'aria-labelledby': 'kefu-as-new' },
      el('h4', { id: 'kefu-as-new' }, t('newRequest')),
      field('kefu-as-order', t('order'), orderSelect),
      field('kefu-as-kind', t('kind'), kindSelect),
      verdict,
      field('kefu-as-reason', t('reason'), reasonSelect),
      field('kefu-as-quantity', t('quantity', { max: order.quantity }), quantity),
      field('kefu-as-photos', t('photos'), fileInput),
      photoList,
      field('kefu-as-note', t('note'), note),
      submit,
    );
    f.addEventListener('submit', (event) => {
      event.preventDefault();
      void send(refresh);
    });
    refresh();
    return f;
  }

  async function addPhoto(file: File, refresh: () => void): Promise<void> {
    if (!(IMAGE_TYPES as readonly string[]).includes(file.type) || file.size < 1 || file.size > MAX_ATTACHMENT_BYTES) {
      notice = { kind: 'error', text: t('photoType', { name: file.name }) };
      render();
      return;
    }
    uploads++;
    notice = { kind: 'ok', text: t('uploading', { name: file.name }) };
    render();
    try {
      const ref = await uploadFile((path, b) => deps.call<UploadGrant>(path, { body: b, lang: deps.locale() }), '/widget/aftersales', file);
      photos = [...photos, ref].slice(0, MAX_PHOTOS);
      notice = { kind: 'ok', text: t('uploaded', { name: file.name }) };
    } catch {
      notice = { kind: 'error', text: t('photoFailed', { name: file.name }) };
    } finally {
      uploads--;
    }
    render();
    refresh();
  }

  async function send(refresh: () => void): Promise<void> {
    busy = true;
    refresh();
    try {
      await deps.call('/widget/aftersales', {
        body: {
          orderId: draft.orderId,
          kind: draft.kind,
          reason: draft.reason,
          quantity: draft.quantity,
          ...(draft.note.trim() ? { note: draft.note.trim() } : {}),
          photos,
        },
        lang: deps.locale(),
      });
      draft = emptyDraft();
      photos = [];
      notice = { kind: 'ok', text: t('submitted') };
      busy = false;
      await load();
    } catch (err) {
      busy = false;
      notice = { kind: 'error', text: t('failed', { message: err instanceof Error ? err.message : String(err) }) };
      render();
    }
  }

  function statusText(status: string): string {
    const key = `status_${status}` as AfterSalesKey;
    const text = t(key);
    return text === key ? status : text;
  }

  /** Bot messages that point to the entry get a button that opens the sheet. */
  function decorateBotMessages(): void {
    for (const bubble of Array.from(panel()?.querySelectorAll<HTMLElement>('.msg.bot .bubble') ?? [])) {
      const li = bubble.closest('li');
      if (!li || li.querySelector('.as-ask') || !ENTRY_MARKERS.some((m) => bubble.textContent?.includes(m))) continue;
      const ask = el('button', { type: 'button', class: 'chip as-ask' }, t('ask'));
      ask.addEventListener('click', () => open(ask));
      li.append(ask);
    }
  }

  entryButton.addEventListener('click', () => open(entryButton));
  closeButton.addEventListener('click', close);
  sheet.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    close();
  });
  applyTexts();
  // The panel exists once the widget finished building: follow its language and its chat log.
  queueMicrotask(() => {
    const host = panel();
    if (!host) return;
    new MutationObserver(() => applyTexts()).observe(host, { attributes: true, attributeFilter: ['lang'] });
    const log = host.querySelector('.log');
    if (log) new MutationObserver(() => decorateBotMessages()).observe(log, { childList: true, subtree: true });
  });
  return {
    sessionChanged() {
      if (phase !== 'closed') void load();
    },
  };
}

function emptyDraft(): { orderId: string; kind: Kind; reason: Reason; quantity: number; note: string } {
  return { orderId: '', kind: 'return', reason: 'quality', quantity: 1, note: '' };
}

function select(id: string, options: { value: string; label: string; disabled?: boolean }[]): HTMLSelectElement {
  return el('select', { id }, ...options.map((o) => el('option', { value: o.value, disabled: o.disabled }, o.label)));
}

function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return el('div', { class: 'as-field' }, el('label', { for: id }, label), control);
}
