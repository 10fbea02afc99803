import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { loadConfig } from '../lib/config.ts';
import { pickLocale } from '../lib/format.ts';
import type { Locale, WebConfig } from '../lib/types.ts';
import { AlertsButton } from './alerts-button.tsx';
import { Attention } from './attention.ts';
import type { StaffApi as Api } from './auth.ts';
import { LoginError, StaffApi, type StaffMe, type StaffSession, signIn, storedSession, storeSession } from './auth.ts';
import { type ConsoleKey, I18n, translator, useI18n } from './i18n.ts';
import { InboxPage } from './inbox.tsx';
import { canEditKb, contactLabel, homeSection, parseRoute, type Section, sectionsFor, type TicketView } from './inbox-state.ts';
import { InboxStore } from './inbox-store.ts';
import { errorMessage, lazyPage } from './kit/index.ts';
import { TicketStore, useTickets } from './tickets-store.ts';

// Tickets, like the sections below, are a chunk of their own: the first screen is the inbox.
const TicketsPage = lazyPage<{ store: TicketStore; inbox: InboxStore; view: TicketView; ticketId: string | undefined; search?: boolean }>(() =>
  import('./tickets.tsx').then((m) => m.TicketsPage),
);
const KbPage = lazyPage<{ api: Api; canEdit: boolean; articleId: string | undefined }>(() => import('./kb.tsx').then((m) => m.KbPage));
const SettingsPage = lazyPage<{ api: Api; tab: string | undefined; itemId: string | undefined; me: string; roles: readonly string[] }>(() =>
  import('./settings.tsx').then((m) => m.SettingsPage),
);
const QualityPage = lazyPage<{ api: Api; tab: string | undefined; itemId: string | undefined }>(() => import('./quality.tsx').then((m) => m.QualityPage));
const MarketingPage = lazyPage<{ api: Api; tab: string | undefined; itemId: string | undefined }>(() => import('./marketing.tsx').then((m) => m.MarketingPage));

const LOCALE_KEY = 'kefu:console:locale';

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

function readLocale(): Locale | undefined {
  try {
    const stored = localStorage.getItem(LOCALE_KEY);
    return stored === 'en' || stored === 'zh-CN' ? stored : undefined;
  } catch {
    return undefined;
  }
}

/** The console: configuration, sign-in, then the shell with the sections the roles allow. */
export function App() {
  const [locale, setLocaleState] = useState<Locale>(() => readLocale() ?? pickLocale(navigator.language));
  const [config, setConfig] = useState<WebConfig>();
  const [configFailed, setConfigFailed] = useState(false);
  const [session, setSession] = useState<StaffSession | undefined>(storedSession);
  const [me, setMe] = useState<StaffMe>();
  const [notice, setNotice] = useState<ConsoleKey>();
  const i18n = useMemo(() => ({ locale, t: translator(locale) }), [locale]);

  const setLocale = (next: Locale) => {
    setLocaleState(next);
    try {
      localStorage.setItem(LOCALE_KEY, next);
    } catch {
      /* storage disabled: the choice lasts this page view */
    }
  };

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = i18n.t('appName');
  }, [locale]);

  useEffect(() => {
    loadConfig(new URL('../config.json', location.href).href).then(setConfig, () => setConfigFailed(true));
  }, []);

  const signOut = (reason?: ConsoleKey) => {
    storeSession(undefined);
    setSession(undefined);
    setMe(undefined);
    setNotice(reason);
  };

  const api = useMemo(() => (config && session ? new StaffApi(config, session, () => signOut('sessionExpired')) : undefined), [config, session]);

  useEffect(() => {
    if (!api) return;
    let cancelled = false;
    api.call<StaffMe>('/staff/me').then(
      (result) => {
        if (cancelled) return;
        setMe(result);
        if (!readLocale() && result.locale) setLocaleState(pickLocale(result.locale));
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [api]);

  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(() => signOut('sessionExpired'), Math.max(0, session.expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [session]);

  let body;
  if (configFailed)
    body = (
      <p class="center error" role="alert">
        {i18n.t('configError')}
      </p>
    );
  else if (!config) body = <p class="center">{i18n.t('loading')}</p>;
  else if (!session || !api)
    body = (
      <LoginPage
        config={config}
        notice={notice}
        onSignedIn={(s) => {
          storeSession(s);
          setNotice(undefined);
          setSession(s);
        }}
        onLocale={setLocale}
      />
    );
  else if (!me) body = <p class="center">{i18n.t('loading')}</p>;
  else body = <Shell api={api} me={me} onSignOut={() => signOut()} onLocale={setLocale} />;
  return <I18n.Provider value={i18n}>{body}</I18n.Provider>;
}

function LanguageButton({ onLocale }: { onLocale: (locale: Locale) => void }) {
  const { locale, t } = useI18n();
  return (
    <button
      type="button"
      class="btn ghost"
      lang={locale === 'en' ? 'zh-CN' : 'en'}
      title={t('switchLanguage')}
      onClick={() => onLocale(locale === 'en' ? 'zh-CN' : 'en')}
    >
      {t('otherLanguage')}
    </button>
  );
}

function LoginPage(props: { config: WebConfig; notice: ConsoleKey | undefined; onSignedIn: (s: StaffSession) => void; onLocale: (l: Locale) => void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      props.onSignedIn(await signIn(props.config.auth, email.trim(), password));
    } catch (err) {
      if (err instanceof LoginError && err.reason === 'credentials') setError(t('loginFailed'));
      else if (err instanceof LoginError && err.reason === 'new-password') setError(t('newPasswordRequired'));
      else if (err instanceof LoginError && err.reason === 'locked') {
        setError(err.retryAfterSeconds ? t('loginLocked', { seconds: err.retryAfterSeconds }) : t('loginLockedLater'));
      } else setError(t('loginError', { message: errorMessage(err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form class="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <div class="login-head">
          <h1 id="login-title">{t('signInTitle')}</h1>
          <LanguageButton onLocale={props.onLocale} />
        </div>
        {props.notice && <p class="notice">{t(props.notice)}</p>}
        <label for="login-email">{t('email')}</label>
        <input id="login-email" type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <label for="login-password">{t('password')}</label>
        <input
          id="login-password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="btn primary" disabled={busy}>
          {busy ? t('signingIn') : t('signIn')}
        </button>
      </form>
    </main>
  );
}

const SECTION_LABEL: Record<Section, ConsoleKey> = {
  inbox: 'navInbox',
  tickets: 'navTickets',
  kb: 'navKb',
  reports: 'navReports',
  campaigns: 'navCampaigns',
  settings: 'navSettings',
};

/** Where a section's navigation link points (its default view). */
const SECTION_HOME: Record<Section, string> = {
  inbox: '#/inbox/open',
  tickets: '#/tickets/mine',
  kb: '#/kb',
  reports: '#/reports',
  campaigns: '#/campaigns/churn',
  settings: '#/settings',
};

function Shell(props: { api: StaffApi; me: StaffMe; onSignOut: () => void; onLocale: (l: Locale) => void }) {
  const { t } = useI18n();
  const sections = sectionsFor(props.me.roles);
  const route = parseRoute(useHash());
  const section = route.section && sections.includes(route.section) ? route.section : homeSection(props.me.roles);
  const store = useMemo(() => (sections.includes('inbox') ? new InboxStore(props.api, props.me.sub) : undefined), [props.api]);
  const tickets = useMemo(() => (store && sections.includes('tickets') ? new TicketStore(store, props.me.roles) : undefined), [store]);

  useEffect(() => {
    if (!store) return;
    store.start();
    return () => {
      tickets?.stop();
      store.stop();
    };
  }, [store]);

  // the tab title counts what waits for the agent; arrivals chime and, out of sight, notify
  const tRef = useRef(t);
  tRef.current = t;
  const attention = useMemo(
    () =>
      store &&
      new Attention(props.me.sub, () => ({
        title: tRef.current('appName'),
        heading: (c) => tRef.current('notifyHeading', { name: contactLabel(c, tRef.current) }),
      })),
    [store],
  );
  useEffect(() => {
    if (!store || !attention) return;
    const update = () => attention.update(store.all(), store.loaded);
    update();
    return store.subscribe(update);
  }, [store, attention, t]);

  useEffect(() => {
    if (section && route.section !== section) location.replace(SECTION_HOME[section]);
  }, [section, route.section]);

  // the ticket screens are not part of the first load: fetch their chunk once the browser is idle, so Tickets opens without a wait
  useEffect(() => {
    if (!tickets) return;
    const fetchTickets = () => void import('./tickets.tsx').catch(() => undefined);
    if (typeof requestIdleCallback !== 'function') {
      const timer = setTimeout(fetchTickets, 3000);
      return () => clearTimeout(timer);
    }
    const id = requestIdleCallback(fetchTickets, { timeout: 10_000 });
    return () => cancelIdleCallback(id);
  }, [tickets]);

  return (
    <div class="shell">
      <a class="skip" href="#main">
        {t('skipToContent')}
      </a>
      <header class="topbar">
        <span class="brand">{t('appName')}</span>
        <nav aria-label={t('mainNav')}>
          <ul class="nav">
            {sections.map((s) => (
              <li key={s}>
                <a href={SECTION_HOME[s]} aria-current={s === section ? 'page' : undefined}>
                  {t(SECTION_LABEL[s])}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="topbar-end">
          {store && <Presence store={store} />}
          <span class="who" title={props.me.email}>
            {props.me.name}
          </span>
          {store && <AlertsButton />}
          <LanguageButton onLocale={props.onLocale} />
          <button type="button" class="btn ghost" onClick={props.onSignOut}>
            {t('signOut')}
          </button>
        </div>
      </header>
      {tickets && <SlaAlerts store={tickets} />}
      <main id="main" class="main" tabIndex={-1}>
        {!section && <Placeholder text={t('noSections')} />}
        {section === 'inbox' && store && <InboxPage store={store} view={route.view} conversationId={route.conversationId} />}
        {section === 'tickets' && store && tickets && (
          <TicketsPage store={tickets} inbox={store} view={route.ticketView ?? 'mine'} ticketId={route.ticketId} search={route.ticketSearch} />
        )}
        {section === 'kb' && <KbPage api={props.api} canEdit={canEditKb(props.me.roles)} articleId={route.articleId} />}
        {section === 'reports' && <QualityPage api={props.api} tab={route.tab} itemId={route.itemId} />}
        {section === 'campaigns' && <MarketingPage api={props.api} tab={route.tab} itemId={route.itemId} />}
        {section === 'settings' && <SettingsPage api={props.api} tab={route.tab} itemId={route.itemId} me={props.me.sub} roles={props.me.roles} />}
      </main>
    </div>
  );
}

function Placeholder(props: { title?: string; text: string; detail?: string }) {
  return (
    <section class="placeholder card">
      {props.title && <h1>{props.title}</h1>}
      <p>{props.text}</p>
      {props.detail && <p class="muted">{props.detail}</p>}
    </section>
  );
}

/** SLA warnings and breaches pushed live: a polite notice with a link to the ticket (auto-dismissed). */
function SlaAlerts({ store }: { store: TicketStore }) {
  const { t, locale } = useI18n();
  useTickets(store);
  return (
    <div class="alerts" role="status" aria-live="polite">
      {store.alerts.map((a) => (
        <p key={a.id} class={`alert ${a.kind}`}>
          <strong>{a.kind === 'breach' ? t('slaAlertBreach') : t('slaAlertWarn')}</strong> {locale === 'zh-CN' ? a.text['zh-CN'] : a.text.en} ·{' '}
          <a href={`#/tickets/sla_at_risk/${encodeURIComponent(a.ticketId)}`}>{a.subject}</a>
          <button type="button" class="link" aria-label={t('dismiss')} onClick={() => store.dismissAlert(a.id)}>
            ×
          </button>
        </p>
      ))}
    </div>
  );
}

function Presence({ store }: { store: InboxStore }) {
  const { t } = useI18n();
  const [, setRevision] = useState(0);
  const [busy, setBusy] = useState(false);
  useEffect(() => store.subscribe(() => setRevision(store.revision)), [store]);
  const mine = store.staff.find((s) => s.sub === store.me)?.presence ?? 'offline';
  const current = mine;

  const toggle = async () => {
    const next = current === 'online' ? 'away' : 'online';
    setBusy(true);
    try {
      await store.api.call('/staff/presence', { status: next });
      store.setOwnPresence(next);
    } catch (err) {
      console.warn('[kefu] presence update failed', err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="presence">
      <span class={`live ${store.socketState === 'open' ? 'on' : 'off'}`} role="status" aria-label={t('connection')}>
        {store.socketState === 'open' ? t('connected') : t('reconnecting')}
      </span>
      <button
        type="button"
        class={`btn presence-btn ${current}`}
        aria-pressed={current === 'online'}
        aria-label={`${t('presence')}: ${t(current)}. ${current === 'online' ? t('setAway') : t('setOnline')}`}
        disabled={busy}
        onClick={toggle}
      >
        <span class="dot" aria-hidden="true" />
        {t(current)}
      </button>
    </div>
  );
}
