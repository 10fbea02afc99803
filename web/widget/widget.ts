import { ATTACHMENT_ACCEPT, fileProblem, isAttachmentType, isImage, linkCache, type UploadGrant, uploadFile } from '../lib/attachments.ts';
import { backoffDelay } from '../lib/backoff.ts';
import { botActionView, type Feedback, lastBotMessageId, offersHandoff, rememberFeedback } from '../lib/bot-actions.ts';
import { applyDelta, type BotStream, dropStale, settleStream, streamsOf, visibleStreamText } from '../lib/bot-stream.ts';
import { fetchSince } from '../lib/catch-up.ts';
import { fill, formatTime, pickLocale } from '../lib/format.ts';
import { ApiError, newClientId } from '../lib/http.ts';
import { addPending, isLocal, lastConfirmed, mergeMessages, setDeliveryState, type ThreadMessage } from '../lib/merge.ts';
import { ReconnectingSocket } from '../lib/socket.ts';
import type { AttachmentRef, VisitorConversation as Conversation, Locale, Message, MessagePage, ServerFrame } from '../lib/types.ts';
import { mountAfterSales } from './aftersales.ts';
import { adoptCss, type Bridge, type KefuUser, LOCALE_KEY, sessionKey, type WidgetController } from './bridge.ts';
import { el, ICONS, icon } from './dom.ts';
import { createExtras } from './extras.ts';
import { createHelp } from './help.ts';
import { type WidgetKey, widgetText } from './i18n.ts';
import { VisitorApi } from './visitor-api.ts';
import css from './widget.css';

interface WidgetStatus {
  agentsOnline: number;
  open: boolean;
  nextOpenAt?: string;
  /** The shop's bot answers (round the clock): after hours the shopper chats with it, not an offline form. */
  botEnabled?: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TYPING_THROTTLE_MS = 3000;
const TYPING_SHOWN_MS = 6000;
const SEND_ATTEMPTS = 4;
const STATUS_POLL_MS = 30_000;
/** How long "Assistant is typing…" may show while the bot works on an answer. */
const BOT_TYPING_MS = 15_000;

type View = 'home' | 'chat' | 'article';

/** Builds the chat panel inside the loader's shadow root and returns the loader's handle on it. */
function createWidget(bridge: Bridge): WidgetController {
  const api = new VisitorApi(bridge.shopId, bridge.scriptUrl, { apiUrl: bridge.apiUrl, wsUrl: bridge.wsUrl });
  api.user = bridge.user;
  api.locale = bridge.locale;
  let locale: Locale = bridge.locale;
  let localeChosen = readLocaleChoice() !== null;
  const t = (key: WidgetKey, values?: Record<string, string | number>) => (values ? fill(widgetText[locale][key], values) : widgetText[locale][key]);

  let isOpen = false;
  let phase: 'idle' | 'loading' | 'ready' | 'error' = 'idle';
  let booting: Promise<void> | undefined;
  let active: Conversation | undefined;
  let thread: ThreadMessage[] = [];
  let previous: { conversation: Conversation; messages: ThreadMessage[] } | undefined;
  let status: WidgetStatus | undefined;
  let agentReadId: string | undefined;
  let typing: { name: string; until: number } | undefined;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let lastTypingSent = 0;
  let lastReadSent: string | undefined;
  let unread = 0;
  let socketDown = false;
  let hint: { key: WidgetKey; values?: Record<string, string>; ok?: boolean } | undefined;
  let offlineSentTo: string | undefined;
  let sendChain: Promise<void> = Promise.resolve();
  let view: View = 'home';
  /** Where "back" goes, and the control that opened each view (focus returns to it). */
  let trail: { view: View; opener: HTMLElement | undefined }[] = [];
  let viewPicked = false;
  let streams: BotStream[] = [];
  let streamTimer: ReturnType<typeof setTimeout> | undefined;
  let botTypingUntil = 0;
  let botTypingTimer: ReturnType<typeof setTimeout> | undefined;
  let feedback: Record<string, Feedback> = readFeedback();
  let feedbackBusy: string | undefined;
  let handoffBusy = false;

  const title = el('h2', { class: 'title', id: 'kefu-title' });
  const dot = el('span', { class: 'dot', 'aria-hidden': 'true' });
  const subText = el('span');
  const sub = el('p', { class: 'sub' }, dot, subText);
  const identity = el('p', { class: 'sub', hidden: true });
  const langButton = el('button', { type: 'button', class: 'icon-btn', lang: '' });
  const closeButton = el('button', { type: 'button', class: 'icon-btn close' }, icon(ICONS.close));
  const backButton = el('button', { type: 'button', class: 'icon-btn back', hidden: true }, icon(ICONS.back));
  const head = el('div', { class: 'head' }, backButton, el('div', { class: 'head-text' }, title, sub, identity), langButton, closeButton);
  const bannerText = el('span');
  const bannerButton = el('button', { type: 'button', hidden: true });
  const banner = el('p', { class: 'banner', role: 'status', hidden: true }, bannerText, bannerButton);
  const log = el('ol', { class: 'log', tabindex: '0' });
  const typingLine = el('p', { class: 'typing', 'aria-hidden': 'true' });
  const botBarText = el('span');
  const humanButton = el('button', { type: 'button', class: 'human' }, icon(ICONS.person, 16), el('span'));
  const botBar = el('div', { class: 'bot-bar', hidden: true }, botBarText, humanButton);
  const hintLine = el('p', { class: 'hint', role: 'status', hidden: true });
  const input = el('textarea', { id: 'kefu-input', rows: '1', autocomplete: 'off', maxlength: '4000' });
  const inputLabel = el('label', { class: 'sr-only', for: 'kefu-input' });
  const sendButton = el('button', { type: 'submit', class: 'send' });
  const attachButton = el('button', { type: 'button', class: 'attach' }, icon(ICONS.clip));
  const fileInput = el('input', { type: 'file', accept: ATTACHMENT_ACCEPT, hidden: true, tabindex: '-1' });
  const composer = el('form', { class: 'composer', novalidate: true }, inputLabel, attachButton, input, sendButton, fileInput);
  /** Files being sent (by clientMessageId), their upload progress, and what was uploaded already (a retry only resends). */
  const files = new Map<string, File>();
  const progress = new Map<string, number>();
  const uploaded = new Map<string, AttachmentRef>();
  const link = linkCache((path) => api.call<{ url: string }>(path));
  const offlineHeading = el('h3');
  const offlineIntro = el('p');
  const offlineNext = el('p', { hidden: true });
  const emailLabel = el('label', { for: 'kefu-email' });
  const emailInput = el('input', { id: 'kefu-email', type: 'email', autocomplete: 'email', required: true, maxlength: '254' });
  const offlineTextLabel = el('label', { for: 'kefu-offline-text' });
  const offlineText = el('textarea', { id: 'kefu-offline-text', required: true, maxlength: '4000' });
  const offlineButton = el('button', { type: 'submit', class: 'send' });
  const offlineForm = el(
    'form',
    { class: 'offline', novalidate: true, hidden: true },
    offlineHeading,
    offlineIntro,
    offlineNext,
    emailLabel,
    emailInput,
    offlineTextLabel,
    offlineText,
    offlineButton,
  );
  const live = el('div', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const chatView = el('div', { class: 'view chat', hidden: true }, log, typingLine, botBar, hintLine, composer, offlineForm);
  const help = createHelp({
    call: (path) => api.call(path),
    t,
    locale: () => locale,
    onChat: () => navigate('chat', bridge.root.activeElement as HTMLElement | null),
    onArticle: (articleId, opener) => openArticle(articleId, opener),
  });
  const extras = createExtras({
    call: (path, options) => api.call(path, options),
    t,
    locale: () => locale,
    storageKey: sessionKey(bridge.shopId) + ':extras',
    onChange: () => render(),
  });
  help.home.insertBefore(extras.home, help.home.children[2] ?? null);
  const afterSales = mountAfterSales({ root: bridge.root, home: help.home, call: (path, options) => api.call(path, options), locale: () => locale });
  /** The log item that holds the survey card while the chat view shows. */
  const surveyItem = el('li', { class: 'survey-item' });
  /** Whether the survey card showed in the chat at the last render (to bring a new one into view once). */
  let surveyWasInChat = false;
  const panel = el(
    'div',
    { class: 'panel', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'kefu-title', id: 'kefu-panel', tabindex: '-1', hidden: true },
    head,
    banner,
    help.home,
    chatView,
    help.reader,
    live,
  );
  adoptCss(bridge.root, css);
  bridge.root.append(panel);
  bridge.launcher.setAttribute('aria-controls', 'kefu-panel');

  const items = new Map<string, { li: HTMLLIElement; signature: string }>();

  const socket = new ReconnectingSocket({
    url: () => api.socketUrl(),
    onFrame: (frame) => onFrame(frame),
    // Every frame of the shopper's own conversations reaches them anyway; views name the rest.
    subscription: () => ({ type: 'subscribe', views: ['conversations', 'presence', 'offers'] }),
    onOpen: (reconnected) => {
      socketDown = false;
      render();
      if (reconnected) void catchUp();
    },
    onState: (state) => {
      if (state === 'closed' && phase === 'ready') {
        socketDown = true;
        render();
      }
    },
  });

  function applyTexts(): void {
    panel.setAttribute('lang', locale);
    panel.setAttribute('aria-label', t('dialogLabel'));
    title.textContent = t('title');
    langButton.textContent = t('languageButton');
    langButton.setAttribute('lang', locale === 'en' ? 'zh-CN' : 'en');
    langButton.title = t('switchLanguage');
    closeButton.setAttribute('aria-label', t('close'));
    backButton.setAttribute('aria-label', t('back'));
    backButton.title = t('back');
    botBarText.textContent = t('botBar');
    help.applyTexts();
    log.setAttribute('aria-label', t('messages'));
    inputLabel.textContent = t('inputLabel');
    input.placeholder = t('inputPlaceholder');
    sendButton.textContent = t('send');
    attachButton.setAttribute('aria-label', t('attach'));
    attachButton.title = t('attach');
    offlineHeading.textContent = t('offlineTitle');
    offlineIntro.textContent = t('offlineIntro');
    emailLabel.textContent = t('email');
    offlineTextLabel.textContent = t('offlineMessage');
    offlineButton.textContent = t('offlineSend');
    bannerButton.textContent = t('tryAgain');
    extras.applyTexts();
  }

  /** Nobody can answer now: no agent online, outside business hours, and no bot. */
  function isOffline(): boolean {
    return !!status && status.agentsOnline === 0 && !status.open && !status.botEnabled;
  }

  /** The header's promise, true to the moment: people now, the bot until business hours, or away. */
  function subtitle(): WidgetKey {
    if (!status || status.agentsOnline > 0 || status.open) return 'subtitleOnline';
    return status.botEnabled ? 'subtitleBot' : 'subtitleOffline';
  }

  function showOfflineForm(): boolean {
    return phase === 'ready' && isOffline() && (!active || active.status === 'resolved') && !offlineSentTo;
  }

  function authorName(message: Pick<Message, 'author'>): string {
    switch (message.author.kind) {
      case 'visitor':
        return t('you');
      case 'agent':
        return message.author.name || t('agent');
      case 'bot':
        return message.author.name || t('bot');
      default:
        return t('system');
    }
  }

  function avatar(message: Pick<Message, 'author'>): HTMLElement | undefined {
    if (message.author.kind === 'bot') return el('span', { class: 'avatar bot', 'aria-hidden': 'true' }, icon(ICONS.bot, 14));
    if (message.author.kind === 'agent') return el('span', { class: 'avatar agent', 'aria-hidden': 'true' }, Array.from(authorName(message))[0] ?? '?');
    return undefined;
  }

  function metaLine(message: Pick<Message, 'author' | 'createdAt'>, time = true): HTMLElement {
    const parts: (Node | string)[] = [];
    const face = avatar(message);
    if (face) parts.push(face);
    parts.push(el('span', { class: 'author' }, authorName(message)));
    if (message.author.kind === 'bot') parts.push(el('span', { class: 'tag' }, t('botTag')));
    if (time) parts.push(el('time', { datetime: message.createdAt }, formatTime(message.createdAt, locale)));
    return el('div', { class: 'meta' }, ...parts);
  }

  function renderMessage(message: ThreadMessage, read: boolean, lastBotId?: string): { li: HTMLLIElement; signature: string } {
    const key = 'm:' + (message.clientMessageId ?? message.messageId);
    const actions = botActionView(message, {
      lastBotId,
      botActive: active?.conversationId === message.conversationId && offersHandoff(active),
      given: feedback[message.messageId],
      busy: feedbackBusy === message.messageId,
    });
    const sending = message.clientMessageId ? progress.get(message.clientMessageId) : undefined;
    const signature = [message.messageId, message.state, read, locale, message.text, actions.buttons.join(), actions.thanks, actions.busy, sending].join('|');
    const existing = items.get(key);
    if (existing && existing.signature === signature) return existing;
    const mine = message.author.kind === 'visitor';
    const li = existing?.li ?? el('li');
    li.className = `msg ${message.author.kind}${mine ? ' mine' : ''}${message.state === 'sent' ? '' : ' ' + message.state}`;
    const bubble = el('div', { class: 'bubble' });
    bubble.textContent = message.text;
    const children: Node[] = [metaLine(message)];
    if (message.text || !message.attachments?.length) children.push(bubble);
    if (message.attachments?.length)
      children.push(el('ul', { class: 'files' }, ...message.attachments.map((a) => el('li', {}, attachmentNode(message.conversationId, a)))));
    const articles = message.meta?.articles ?? [];
    if (articles.length) {
      children.push(
        el(
          'ul',
          { class: 'chips' },
          ...articles.map((a) => {
            const chip = el('button', { type: 'button', class: 'chip', 'aria-label': t('articlePrefix') + a.title }, icon(ICONS.article, 16), a.title);
            chip.dataset.article = a.id;
            chip.addEventListener('click', () => {
              if (isMenu(message)) void pickFromMenu(message, a.id);
              openArticle(a.id, chip);
            });
            return el('li', {}, chip);
          }),
        ),
      );
    }
    if (actions.buttons.length) {
      children.push(
        el(
          'div',
          { class: 'actions', role: 'group', 'aria-label': t('feedbackLabel') },
          ...actions.buttons.map((kind) => {
            const button = el(
              'button',
              { type: 'button', class: 'action', 'aria-disabled': actions.busy ? 'true' : undefined },
              kind === 'helpful' ? t('helpful') : t('notHelpful'),
            );
            button.dataset.action = kind;
            button.addEventListener('click', () => void giveFeedback(message, kind));
            return button;
          }),
        ),
      );
    } else if (actions.thanks) {
      children.push(el('p', { class: 'thanks', role: 'status', tabindex: '-1' }, actions.thanks === 'helpful' ? t('thanksHelpful') : t('thanksNotHelpful')));
    }
    if (message.state === 'pending')
      children.push(
        el('div', { class: 'state' }, sending !== undefined && sending < 1 ? t('uploading', { percent: Math.round(sending * 100) }) : t('sending')),
      );
    else if (message.state === 'failed') {
      const retry = el('button', { type: 'button' }, t('retry'));
      retry.addEventListener('click', () => resend(message));
      children.push(el('div', { class: 'state', role: 'alert' }, t('failed') + ' ', retry));
    } else if (read) children.push(el('div', { class: 'state' }, t('read')));
    const focused = existing && li.contains(bridge.root.activeElement) ? (bridge.root.activeElement as HTMLElement) : undefined;
    li.replaceChildren(...children);
    if (focused) {
      const same = focused.dataset.action
        ? li.querySelector<HTMLElement>(`[data-action="${focused.dataset.action}"]`)
        : focused.dataset.article
          ? li.querySelector<HTMLElement>(`[data-article="${focused.dataset.article}"]`)
          : null;
      (same ?? li.querySelector<HTMLElement>('.thanks') ?? log).focus();
    }
    const entry = { li, signature };
    items.set(key, entry);
    return entry;
  }

  /** An image as a thumbnail, any other file as a download link named after it (text only). */
  function attachmentNode(conversationId: string, a: AttachmentRef): HTMLElement {
    if (!a.attachmentId || !conversationId) return el('span', { class: 'file' }, a.fileName);
    const path = `/widget/conversations/${encodeURIComponent(conversationId)}/attachments/${encodeURIComponent(a.attachmentId)}`;
    const node = isImage(a)
      ? el('img', { class: 'thumb', alt: t('attachment', { name: a.fileName }) })
      : el('a', { class: 'file', download: a.fileName, target: '_blank', rel: 'noopener' }, a.fileName);
    link(path).then(
      (url) => (node instanceof HTMLImageElement ? (node.src = url) : ((node as HTMLAnchorElement).href = url)),
      (err: unknown) => console.warn('[kefu] attachment link failed', err),
    );
    return node;
  }

  /** A bot answer still being written (LLM mode): replaced by the final message when it arrives. */
  function renderStream(stream: BotStream): HTMLLIElement {
    const key = 's:' + stream.streamId;
    const text = visibleStreamText(stream.text);
    const existing = items.get(key);
    if (existing?.signature === text + locale) return existing.li;
    const name = [...thread].reverse().find((m) => m.author.kind === 'bot')?.author.name;
    const li =
      existing?.li ??
      el(
        'li',
        { class: 'msg bot streaming', 'aria-busy': 'true' },
        metaLine({ author: { kind: 'bot', name }, createdAt: '' }, false),
        el('div', { class: 'bubble' }),
      );
    const bubble = li.querySelector('.bubble');
    if (bubble) bubble.textContent = text;
    items.set(key, { li, signature: text + locale });
    return li;
  }

  function note(key: string, text: string, divider = false): HTMLLIElement {
    const existing = items.get(key);
    const li = existing?.li ?? el('li', { class: divider ? 'note divider' : 'note' });
    li.textContent = text;
    items.set(key, { li, signature: text });
    return li;
  }

  function renderLog(): void {
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 48;
    const order: HTMLLIElement[] = [];
    const used = new Set<string>();
    const take = (key: string, li: HTMLLIElement) => {
      used.add(key);
      order.push(li);
    };
    take('welcome', note('welcome', t('welcome')));
    if (previous) {
      take('earlier', note('earlier', t('earlier'), true));
      for (const message of previous.messages) take('m:' + (message.clientMessageId ?? message.messageId), renderMessage(message, false).li);
      take('prev-resolved', note('prev-resolved', t('resolved')));
    }
    const readIndex = agentReadId ? thread.findIndex((m) => m.messageId === agentReadId) : -1;
    let lastMine = -1;
    thread.forEach((m, i) => {
      if (m.author.kind === 'visitor' && m.state === 'sent') lastMine = i;
    });
    const lastBotId = lastBotMessageId(thread);
    thread.forEach((message, i) => {
      if (message.internal) return;
      take('m:' + (message.clientMessageId ?? message.messageId), renderMessage(message, i === lastMine && readIndex >= i, lastBotId).li);
    });
    for (const stream of streamsOf(streams, active?.conversationId)) take('s:' + stream.streamId, renderStream(stream));
    if (active?.status === 'resolved') take('resolved', note('resolved', t('resolved')));
    if (offlineSentTo) take('offline-sent', note('offline-sent', t('offlineSent', { email: offlineSentTo })));
    if (extras.hasSurvey() && view !== 'home') {
      items.set('survey', { li: surveyItem, signature: '' });
      take('survey', surveyItem);
    }
    for (const [key, entry] of items) {
      if (!used.has(key)) {
        entry.li.remove();
        items.delete(key);
      }
    }
    order.forEach((li, i) => {
      if (log.children[i] !== li) log.insertBefore(li, log.children[i] ?? null);
    });
    if (atBottom) log.scrollTop = log.scrollHeight;
  }

  function render(): void {
    const online = !isOffline();
    subText.textContent = t(subtitle());
    dot.classList.toggle('off', !online);
    const session = api.session;
    identity.hidden = !(session?.verified && api.user?.name);
    identity.textContent = api.user?.name ? t('signedInAs', { name: api.user.name }) : '';
    if (phase === 'error') {
      banner.hidden = false;
      bannerText.textContent = t('loadFailed');
      bannerButton.hidden = false;
    } else if (phase === 'loading') {
      banner.hidden = false;
      bannerText.textContent = t('loading');
      bannerButton.hidden = true;
    } else if (socketDown) {
      banner.hidden = false;
      bannerText.textContent = t('reconnecting');
      bannerButton.hidden = true;
    } else banner.hidden = true;
    renderLog();
    extras.surveyBox.hidden = !extras.hasSurvey();
    if (extras.hasSurvey()) {
      const host = view === 'home' ? extras.home : surveyItem;
      if (extras.surveyBox.parentNode !== host) host.prepend(extras.surveyBox);
    }
    // A survey that just arrived in the chat is brought into view (it is the log's last item, and
    // would otherwise sit below the fold of a shopper who scrolled up).
    const surveyInChat = extras.hasSurvey() && view !== 'home';
    if (surveyInChat && !surveyWasInChat) surveyItem.scrollIntoView({ block: 'nearest' });
    surveyWasInChat = surveyInChat;
    const now = Date.now();
    const showTyping = typing && typing.until > now;
    const botTyping = !showTyping && botTypingUntil > now && !streamsOf(streams, active?.conversationId).length;
    typingLine.textContent = showTyping ? t('typing', { name: typing!.name }) : botTyping ? t('typing', { name: botName() }) : '';
    const handoff = offersHandoff(active);
    botBar.hidden = !handoff;
    humanButton.disabled = handoffBusy;
    humanButton.lastElementChild!.textContent = handoffBusy ? t('connecting') : t('talkToHuman');
    help.setChat(!!active && active.status !== 'resolved', active && active.status !== 'resolved' ? active.lastMessagePreview : '');
    backButton.hidden = view === 'home';
    help.home.hidden = view !== 'home';
    chatView.hidden = view !== 'chat';
    help.reader.hidden = view !== 'article';
    hintLine.hidden = !hint;
    hintLine.className = hint?.ok ? 'hint ok' : 'hint';
    hintLine.textContent = hint ? t(hint.key, hint.values) : '';
    const offline = showOfflineForm();
    const wasOffline = !offlineForm.hidden;
    offlineForm.hidden = !offline;
    composer.hidden = offline;
    if (offline) {
      offlineNext.hidden = !status?.nextOpenAt;
      if (status?.nextOpenAt) offlineNext.textContent = t('offlineNext', { time: formatNext(status.nextOpenAt) });
    }
    if (wasOffline !== offline && isOpen && view === 'chat' && !panel.contains(bridge.root.activeElement)) focusFirst();
  }

  function botName(): string {
    for (let i = thread.length - 1; i >= 0; i--) {
      const m = thread[i];
      if (m?.author.kind === 'bot' && m.author.name) return m.author.name;
    }
    return t('bot');
  }

  /** The view a fresh opening shows: the conversation while one is under way, else the home view. */
  function defaultView(): View {
    return (active && active.status !== 'resolved') || thread.some(isLocal) ? 'chat' : 'home';
  }

  /** Switches views; `opener` gets the focus back when the shopper comes back with "back". */
  function navigate(next: View, opener?: HTMLElement | null): void {
    viewPicked = true;
    if (next === view) {
      focusView();
      return;
    }
    const earlier = trail.findIndex((step) => step.view === next);
    trail = next === 'home' ? [] : earlier >= 0 ? trail.slice(0, earlier) : [...trail, { view, opener: opener ?? undefined }];
    view = next;
    if (next === 'home') help.loadSuggestions();
    render();
    if (next === 'chat') log.scrollTop = log.scrollHeight;
    focusView();
  }

  function back(): void {
    const step = trail.pop();
    view = step?.view ?? 'home';
    render();
    if (step?.opener?.isConnected && step.opener.getClientRects().length) step.opener.focus();
    else focusView();
  }

  function openArticle(articleId: string, opener: HTMLElement): void {
    void help.showArticle(articleId);
    navigate('article', opener);
  }

  function focusView(): void {
    if (!isOpen) return;
    // On a touch screen a focused text field opens the keyboard over the panel: focus the panel instead.
    if (view === 'home') (touchScreen() ? panel : help.searchInput).focus();
    else if (view === 'article') help.readerTitle.focus();
    else focusFirst();
  }

  function formatNext(iso: string): string {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : new Intl.DateTimeFormat(locale, { weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(date);
  }

  function setLocale(next: Locale, chosen: boolean): void {
    locale = next;
    api.locale = next;
    if (chosen) {
      localeChosen = true;
      try {
        localStorage.setItem(LOCALE_KEY, next);
      } catch {
        /* storage disabled: the choice lasts this page view */
      }
    }
    bridge.setLocale(next);
    applyTexts();
    help.relocalize();
    render();
  }

  function boot(): Promise<void> {
    if (!booting) {
      phase = 'loading';
      render();
      booting = (async () => {
        await api.ensureSession();
        await Promise.all([loadStatus(), loadConversations()]);
        phase = 'ready';
        void extras.load(!!api.session?.verified);
        socket.start();
        setInterval(() => {
          if (isOpen && isOffline()) void loadStatus().then(render);
        }, STATUS_POLL_MS);
        if (isOpen && !viewPicked && view === 'home' && !help.searchInput.value && defaultView() === 'chat') {
          const hadFocus = bridge.root.activeElement === help.searchInput;
          view = 'chat';
          render();
          if (hadFocus) focusView();
        }
        render();
        markRead();
      })().catch((err: unknown) => {
        console.error('[kefu]', err);
        phase = 'error';
        booting = undefined;
        render();
      });
    }
    return booting;
  }

  async function loadStatus(): Promise<void> {
    try {
      status = await api.call<WidgetStatus>('/widget/status');
    } catch (err) {
      console.warn('[kefu] status unavailable', err);
    }
  }

  async function loadConversations(): Promise<void> {
    const { items: list } = await api.call<{ items: Conversation[] }>('/widget/conversations');
    const newest = list[0];
    if (!newest) return;
    if (active && newest.conversationId !== active.conversationId && thread.length)
      previous = { conversation: active, messages: thread.filter((m) => !isLocal(m)) };
    if (!active || newest.conversationId !== active.conversationId) thread = thread.filter(isLocal);
    active = newest;
    unread = Math.max(unread, newest.unreadByVisitor);
    agentReadId = newest.readByAgent;
    const messages = await fetchMessages(newest.conversationId, undefined);
    thread = mergeMessages(
      thread,
      messages.filter((m) => !m.internal),
    );
    if (!isOpen) bridge.setUnread(unread);
  }

  function fetchMessages(conversationId: string, knownId: string | undefined): Promise<Message[]> {
    const path = `/widget/conversations/${encodeURIComponent(conversationId)}/messages`;
    return fetchSince((before) => api.call<MessagePage>(before ? `${path}?limit=50&before=${encodeURIComponent(before)}` : `${path}?limit=50`), knownId);
  }

  async function catchUp(): Promise<void> {
    try {
      await loadStatus();
      if (active) {
        const conversationId = active.conversationId;
        const missed = await fetchMessages(conversationId, lastConfirmed(thread)?.messageId);
        if (active?.conversationId === conversationId)
          thread = mergeMessages(
            thread,
            missed.filter((m) => !m.internal),
          );
        if (missed.some((m) => m.author.kind === 'bot')) streams = [];
      }
      const { items: list } = await api.call<{ items: Conversation[] }>('/widget/conversations');
      const newest = list[0];
      if (newest && newest.conversationId === active?.conversationId) active = newest;
      else if (newest && (!active || active.status === 'resolved') && newest.status !== 'resolved') await loadConversations();
      render();
      markRead();
    } catch (err) {
      console.warn('[kefu] catch-up failed', err);
    }
  }

  function onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'message': {
        const message = frame.message;
        if (message.internal) return;
        if (!active || frame.conversationId !== active.conversationId) {
          if (!active || active.status === 'resolved') void catchUp();
          return;
        }
        const known = thread.some((m) => m.messageId === message.messageId);
        thread = mergeMessages(thread, [message]);
        if (!known && message.author.kind === 'bot') streams = settleStream(streams, frame.conversationId);
        if (!known && message.author.kind !== 'visitor') {
          typing = undefined;
          botTypingUntil = 0;
          live.textContent = t('newMessageFrom', {
            name: authorName(message),
            text: message.text || (message.attachments ?? []).map((a) => a.fileName).join(', '),
          });
          bridge.emit('message', { conversationId: frame.conversationId, message });
          if (isOpen && document.visibilityState === 'visible') markRead();
          else {
            unread += 1;
            bridge.setUnread(unread);
          }
        }
        render();
        return;
      }
      case 'conversation': {
        const incoming = frame.conversation;
        if (active && incoming.conversationId === active.conversationId) {
          active = { ...active, ...incoming };
          if (incoming.readByAgent) agentReadId = incoming.readByAgent;
          render();
        } else if ((!active || active.status === 'resolved') && incoming.status !== 'resolved') void catchUp();
        return;
      }
      case 'typing':
        if (frame.from === 'agent' && frame.conversationId === active?.conversationId) {
          typing = { name: frame.name || t('agent'), until: Date.now() + TYPING_SHOWN_MS };
          clearTimeout(typingTimer);
          typingTimer = setTimeout(render, TYPING_SHOWN_MS + 50);
          render();
        }
        return;
      case 'read':
        if (frame.by === 'agent' && frame.conversationId === active?.conversationId) {
          agentReadId = frame.messageId;
          render();
        }
        return;
      case 'presence':
        status = { ...(status ?? { open: false }), agentsOnline: frame.agentsOnline };
        render();
        return;
      case 'bot_delta':
        if (typeof frame.delta !== 'string' || !frame.streamId) return;
        streams = applyDelta(dropStale(streams, Date.now()), frame, Date.now());
        clearTimeout(streamTimer);
        streamTimer = setTimeout(() => {
          streams = dropStale(streams, Date.now());
          render();
        }, 61_000);
        render();
        return;
      case 'survey':
        extras.addSurvey(frame.survey);
        if (!isOpen) {
          unread += 1;
          bridge.setUnread(unread);
        }
        return;
      case 'campaign_message':
        extras.addOffer(frame.message);
        return;
      case 'error':
        console.warn('[kefu] server:', frame.message);
        return;
      default:
        return;
    }
  }

  function markRead(): void {
    if (!isOpen || document.visibilityState !== 'visible') return;
    if (unread) {
      unread = 0;
      bridge.setUnread(0);
    }
    const last = lastConfirmed(thread);
    if (!active || !last || last.messageId === lastReadSent || last.author.kind === 'visitor') return;
    lastReadSent = last.messageId;
    const conversationId = active.conversationId;
    api.call(`/widget/conversations/${encodeURIComponent(conversationId)}/read`, { body: { messageId: last.messageId } }).catch((err: unknown) => {
      lastReadSent = undefined;
      console.warn('[kefu] read receipt failed', err);
    });
  }

  function pageRef(): { url: string; title?: string } | undefined {
    if (!/^https?:$/.test(location.protocol) || location.href.length > 2048) return undefined;
    const ref: { url: string; title?: string } = { url: location.href };
    if (document.title) ref.title = document.title.slice(0, 300);
    return ref;
  }

  function needsNewConversation(): boolean {
    return !active || active.status === 'resolved';
  }

  function send(text: string): void {
    const clientMessageId = newClientId();
    if (active?.status === 'resolved' && thread.length) {
      previous = { conversation: active, messages: thread };
      thread = [];
    }
    thread = addPending(thread, {
      clientMessageId,
      conversationId: active?.status === 'resolved' ? '' : (active?.conversationId ?? ''),
      text,
      author: { kind: 'visitor' },
      createdAt: new Date().toISOString(),
    });
    hint = undefined;
    render();
    log.scrollTop = log.scrollHeight;
    sendChain = sendChain.then(() => deliver(clientMessageId, text));
  }

  function resend(message: ThreadMessage): void {
    if (!message.clientMessageId) return;
    const clientMessageId = message.clientMessageId;
    thread = setDeliveryState(thread, clientMessageId, 'pending');
    render();
    sendChain = sendChain.then(() => (files.has(clientMessageId) ? deliverFile(clientMessageId) : deliver(clientMessageId, message.text)));
  }

  /** Attaching needs a conversation to upload into: the first message is text (see docs/web.md). */
  function pickFile(): void {
    if (phase !== 'ready') {
      void boot();
      return;
    }
    if (needsNewConversation()) {
      hint = { key: 'attachFirst' };
      render();
      input.focus();
      return;
    }
    hint = undefined;
    render();
    fileInput.click();
  }

  function sendFile(file: File): void {
    const problem = fileProblem(file);
    if (problem) {
      hint = { key: problem, values: { name: file.name } };
      render();
      return;
    }
    if (needsNewConversation()) {
      hint = { key: 'attachFirst' };
      render();
      return;
    }
    const clientMessageId = newClientId();
    files.set(clientMessageId, file);
    progress.set(clientMessageId, 0);
    thread = addPending(thread, {
      clientMessageId,
      conversationId: active!.conversationId,
      text: '',
      attachments: [{ attachmentId: '', fileName: file.name, contentType: isAttachmentType(file.type) ? file.type : 'text/plain', size: file.size }],
      author: { kind: 'visitor' },
      createdAt: new Date().toISOString(),
    });
    hint = undefined;
    render();
    log.scrollTop = log.scrollHeight;
    sendChain = sendChain.then(() => deliverFile(clientMessageId));
  }

  async function deliverFile(clientMessageId: string): Promise<void> {
    const file = files.get(clientMessageId);
    let attachment = uploaded.get(clientMessageId);
    if (!file || !active || needsNewConversation()) {
      thread = setDeliveryState(thread, clientMessageId, 'failed');
      render();
      return;
    }
    if (!attachment) {
      try {
        attachment = await uploadFile(
          (path, body) => api.call<UploadGrant>(path, { body }),
          `/widget/conversations/${encodeURIComponent(active.conversationId)}`,
          file,
          (fraction) => {
            progress.set(clientMessageId, fraction);
            render();
          },
        );
        uploaded.set(clientMessageId, attachment);
      } catch (err) {
        console.warn('[kefu] upload failed', err);
        if (err instanceof ApiError && err.status === 429) hint = { key: 'rateLimited' };
        progress.set(clientMessageId, 0);
        thread = setDeliveryState(thread, clientMessageId, 'failed');
        render();
        return;
      }
    }
    progress.delete(clientMessageId);
    await deliver(clientMessageId, '', [attachment]);
    if (!thread.some((m) => m.clientMessageId === clientMessageId && isLocal(m))) {
      files.delete(clientMessageId);
      uploaded.delete(clientMessageId);
    }
  }

  async function deliver(clientMessageId: string, text: string, attachments?: AttachmentRef[]): Promise<void> {
    for (let attempt = 0; attempt < SEND_ATTEMPTS; attempt++) {
      try {
        if (needsNewConversation()) {
          const result = await api.call<{ conversation: Conversation; message: Message }>('/widget/conversations', {
            body: { clientMessageId, text, page: pageRef() },
          });
          active = result.conversation;
          agentReadId = undefined;
          thread = mergeMessages(
            thread.map((m) => (isLocal(m) ? { ...m, conversationId: result.conversation.conversationId } : m)),
            [result.message],
          );
        } else {
          const conversationId = active!.conversationId;
          const result = await api.call<{ message: Message }>(`/widget/conversations/${encodeURIComponent(conversationId)}/messages`, {
            body: { clientMessageId, text: text || undefined, attachments },
          });
          thread = mergeMessages(thread, [result.message]);
        }
        expectBotReply(clientMessageId);
        render();
        return;
      } catch (err) {
        const retryable = err instanceof ApiError && err.retryable;
        if (err instanceof ApiError && err.status === 429) hint = { key: 'rateLimited' };
        if (!retryable || attempt === SEND_ATTEMPTS - 1) break;
        await new Promise((resolve) => setTimeout(resolve, (err as ApiError).retryAfterMs ?? backoffDelay(attempt)));
      }
    }
    thread = setDeliveryState(thread, clientMessageId, 'failed');
    render();
  }

  /** Shows "Assistant is typing…" until the bot's answer to this message arrives (or a while passed). */
  function expectBotReply(clientMessageId: string): void {
    const sent = thread.find((m) => m.clientMessageId === clientMessageId);
    if (!sent || !offersHandoff(active)) return;
    if (thread.some((m) => m.author.kind !== 'visitor' && m.createdAt > sent.createdAt)) return;
    botTypingUntil = Date.now() + BOT_TYPING_MS;
    clearTimeout(botTypingTimer);
    botTypingTimer = setTimeout(render, BOT_TYPING_MS + 50);
  }

  /** The bot's "did you mean…" menu: articles offered without an answer to rate. */
  function isMenu(message: Message): boolean {
    return message.author.kind === 'bot' && !!message.meta?.articles?.length && !message.meta.actions?.includes('helpful');
  }

  /** A pick from the menu teaches the bot that this article answers questions like the shopper's. */
  async function pickFromMenu(message: Message, articleId: string): Promise<void> {
    try {
      await api.call(`/widget/conversations/${encodeURIComponent(message.conversationId)}/kb-pick`, { body: { articleId, messageId: message.messageId } });
    } catch (err) {
      console.warn('[kefu] article pick not recorded', err);
    }
  }

  async function giveFeedback(message: Message, kind: Feedback): Promise<void> {
    if (!active || feedbackBusy) return;
    feedbackBusy = message.messageId;
    render();
    try {
      const result = await api.call<{ conversation: Conversation }>(`/widget/conversations/${encodeURIComponent(message.conversationId)}/bot-feedback`, {
        body: { helpful: kind === 'helpful' },
      });
      feedback = rememberFeedback(feedback, message.messageId, kind);
      writeFeedback(feedback);
      if (active?.conversationId === result.conversation.conversationId) active = { ...active, ...result.conversation };
      hint = undefined;
    } catch (err) {
      console.warn('[kefu] bot feedback failed', err);
      hint = { key: err instanceof ApiError && err.status === 429 ? 'rateLimited' : 'errorGeneric' };
    } finally {
      feedbackBusy = undefined;
      render();
    }
  }

  async function handOff(): Promise<void> {
    if (!active || handoffBusy) return;
    handoffBusy = true;
    render();
    try {
      const result = await api.call<{ conversation: Conversation }>(`/widget/conversations/${encodeURIComponent(active.conversationId)}/handoff`, {
        body: { locale },
      });
      if (active?.conversationId === result.conversation.conversationId) active = { ...active, ...result.conversation };
      botTypingUntil = 0;
      hint = undefined;
    } catch (err) {
      console.warn('[kefu] hand-off failed', err);
      hint = { key: err instanceof ApiError && err.status === 429 ? 'rateLimited' : 'errorGeneric' };
    } finally {
      handoffBusy = false;
      render();
      if (!botBar.hidden) return;
      if (!panel.contains(bridge.root.activeElement) || bridge.root.activeElement === humanButton) input.focus();
    }
  }

  function readFeedback(): Record<string, Feedback> {
    try {
      return JSON.parse(localStorage.getItem(sessionKey(bridge.shopId) + ':feedback') ?? '{}') as Record<string, Feedback>;
    } catch {
      return {};
    }
  }

  function writeFeedback(value: Record<string, Feedback>): void {
    try {
      localStorage.setItem(sessionKey(bridge.shopId) + ':feedback', JSON.stringify(value));
    } catch {
      /* storage disabled: the answers last this page view */
    }
  }

  function onInput(): void {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight + 2, 120) + 'px';
    const now = Date.now();
    if (active && active.status !== 'resolved' && input.value.trim() && now - lastTypingSent > TYPING_THROTTLE_MS) {
      if (socket.send({ type: 'typing', conversationId: active.conversationId })) lastTypingSent = now;
    }
  }

  async function submitOffline(): Promise<void> {
    const email = emailInput.value.trim();
    const text = offlineText.value.trim();
    emailInput.removeAttribute('aria-invalid');
    offlineText.removeAttribute('aria-invalid');
    if (!EMAIL.test(email)) {
      emailInput.setAttribute('aria-invalid', 'true');
      hint = { key: 'invalidEmail' };
      render();
      emailInput.focus();
      return;
    }
    if (!text) {
      offlineText.setAttribute('aria-invalid', 'true');
      hint = { key: 'emptyMessage' };
      render();
      offlineText.focus();
      return;
    }
    offlineButton.disabled = true;
    try {
      const body: Record<string, unknown> = { email, text, page: pageRef() };
      if (api.user?.name) body.name = api.user.name;
      const result = await api.call<{ conversation: Conversation }>('/widget/offline-message', { body });
      offlineSentTo = email;
      hint = undefined;
      active = result.conversation;
      thread = mergeMessages([], await fetchMessages(result.conversation.conversationId, undefined).catch(() => []));
      offlineText.value = '';
      render();
      input.focus();
    } catch (err) {
      hint = { key: err instanceof ApiError && err.status === 429 ? 'rateLimited' : 'errorGeneric' };
      render();
    } finally {
      offlineButton.disabled = false;
    }
  }

  function focusables(): HTMLElement[] {
    return Array.from(panel.querySelectorAll<HTMLElement>('button, [href], input, textarea, select, [tabindex]:not([tabindex="-1"])')).filter(
      (node) => !(node as HTMLButtonElement).disabled && node.getClientRects().length > 0,
    );
  }

  function touchScreen(): boolean {
    return typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;
  }

  function focusFirst(): void {
    if (!offlineForm.hidden) emailInput.focus();
    else input.focus();
  }

  function open(): void {
    if (isOpen) return;
    isOpen = true;
    panel.hidden = false;
    bridge.setOpen(true);
    if (!viewPicked) view = defaultView();
    if (view === 'home') help.loadSuggestions();
    void boot().then(() => {
      render();
      markRead();
    });
    render();
    log.scrollTop = log.scrollHeight;
    focusView();
  }

  function close(): void {
    if (!isOpen) return;
    const hadFocus = panel.contains(bridge.root.activeElement);
    isOpen = false;
    panel.hidden = true;
    bridge.setOpen(false);
    if (hadFocus || bridge.root.activeElement === null) bridge.launcher.focus();
  }

  async function setUser(user: KefuUser | null): Promise<void> {
    api.user = user;
    bridge.user = user;
    if (!booting) {
      await boot();
      return;
    }
    await booting;
    if (phase !== 'ready') return;
    const before = api.session?.contactId;
    try {
      const session = await api.ensureSession(true);
      if (session.contactId !== before) {
        active = undefined;
        previous = undefined;
        thread = [];
        agentReadId = undefined;
        extras.reset();
        await loadConversations();
        socket.reconnectNow();
      }
      void extras.load(session.verified);
      afterSales.sessionChanged();
      render();
    } catch (err) {
      console.error('[kefu] setUser failed', err);
    }
  }

  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
      return;
    }
    if (event.key !== 'Tab') return;
    const nodes = focusables();
    const first = nodes[0];
    const last = nodes[nodes.length - 1];
    if (!first || !last) return;
    const current = bridge.root.activeElement;
    if (event.shiftKey && (current === first || !panel.contains(current))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (current === last || !panel.contains(current))) {
      event.preventDefault();
      first.focus();
    }
  });
  closeButton.addEventListener('click', close);
  backButton.addEventListener('click', back);
  humanButton.addEventListener('click', () => void handOff());
  langButton.addEventListener('click', () => setLocale(locale === 'en' ? 'zh-CN' : 'en', true));
  bannerButton.addEventListener('click', () => void boot());
  input.addEventListener('input', onInput);
  attachButton.addEventListener('click', pickFile);
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    fileInput.value = '';
    if (file) sendFile(file);
  });
  input.addEventListener('keydown', (event) => {
    // an input method's Enter (choosing a pinyin candidate) never sends; Safari reports it as keyCode 229
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });
  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    if (phase !== 'ready') {
      void boot();
      return;
    }
    input.value = '';
    input.style.height = '';
    send(text);
  });
  offlineForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void submitOffline();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') markRead();
  });
  new MutationObserver(() => {
    if (!localeChosen) setLocale(pickLocale(document.documentElement.lang, navigator.language), false);
  }).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });

  applyTexts();
  render();
  void boot();

  return {
    open,
    close,
    setUser: (user) => void setUser(user),
  };
}

function readLocaleChoice(): string | null {
  try {
    return localStorage.getItem(LOCALE_KEY);
  } catch {
    return null;
  }
}

const bridge = window.__kefuBridge;
if (bridge) bridge.ready(createWidget(bridge));
