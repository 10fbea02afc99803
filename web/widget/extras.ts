import { ApiError, type RequestOptions } from '../lib/http.ts';
import type { CampaignMessage, Locale, SurveyQuestion, VisitorSurvey } from '../lib/types.ts';
import { el } from './dom.ts';
import type { WidgetKey } from './i18n.ts';

/** `GET /widget/membership` (verified shoppers only; shared/members/view.ts). */
export interface Membership {
  tier: { tierId: string; rank: number; name: { zh: string; en: string }; since?: string };
  benefits?: { perks?: { zh: string; en: string }[] };
  points: { balance: number; lifetimeEarned: number; expiringWithin30Days: number; nextExpiry?: { points: number; at: string } };
  nextTier?: { tierId: string; name: { zh: string; en: string }; spendToGo?: number; pointsToGo?: number };
}

export interface ExtrasDeps {
  call<T>(path: string, options?: Omit<RequestOptions, 'token'>): Promise<T>;
  t(key: WidgetKey, values?: Record<string, string | number>): string;
  locale(): Locale;
  /** Remembered per shop: campaign messages and surveys the shopper put aside. */
  storageKey: string;
  /** Something changed that the panel should redraw around (e.g. the survey appeared or went). */
  onChange(): void;
}

const URL_PATTERN = /https?:\/\/[^\s<>"'，。）)]+/g;

/** Text cut into plain pieces and http(s) links (a link's trailing punctuation stays text). */
export function linkSegments(text: string): { text: string; url?: string }[] {
  const out: { text: string; url?: string }[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(/[.,;:!?]+$/, '');
    const at = match.index ?? 0;
    if (at > last) out.push({ text: text.slice(last, at) });
    out.push({ text: url, url });
    last = at + url.length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/**
 * Text with its http(s) links as anchors: every piece is a text node (never parsed as HTML) and a
 * link's href is only ever an http(s) URL found in the text.
 */
export function linkedText(text: string): (Node | string)[] {
  return linkSegments(text).map((s) => (s.url ? el('a', { href: s.url, target: '_blank', rel: 'noopener noreferrer' }, shortUrl(s.url)) : s.text));
}

/** How a long link reads: host and path, with an ellipsis for the query (signed links are long). */
export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname === '/' ? '' : u.pathname}${u.search || u.hash ? '…' : ''}`;
  } catch {
    return url;
  }
}

/** Whether a question shows, given the answers so far (`showIf`: a score at most N). */
export function questionVisible(q: SurveyQuestion, answers: Readonly<Record<string, unknown>>): boolean {
  if (!q.showIf) return true;
  const score = answers[q.showIf.question];
  return typeof score === 'number' && score <= q.showIf.atMost;
}

/** The scale of a score question. */
export function scaleOf(kind: SurveyQuestion['kind']): number[] {
  const [from, to] = kind === 'nps' ? [0, 10] : kind === 'ces' ? [1, 7] : [1, 5];
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** The answers to send: visible questions only, empty ones left out. */
export function answersToSend(
  questions: readonly SurveyQuestion[],
  answers: Readonly<Record<string, number | string | string[]>>,
): Record<string, number | string | string[]> {
  const out: Record<string, number | string | string[]> = {};
  for (const q of questions) {
    if (!questionVisible(q, answers)) continue;
    const value = answers[q.id];
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    out[q.id] = typeof value === 'string' ? value.trim() : value;
  }
  return out;
}

/**
 * What the widget shows around the chat for a signed-in member and any shopper: the membership
 * card (tier, points, perks), campaign messages ("for you") and a pending survey as a small form
 * (CSAT 1–5, CES 1–7, NPS 0–10, choices, comment).
 */
export function createExtras(deps: ExtrasDeps) {
  const { t } = deps;
  let membership: Membership | undefined;
  /** Marketing consent for in-chat offers (verified shoppers): granted, revoked or unknown. */
  let consent: { state: string; busy: boolean; failed: boolean } | undefined;
  let offers: CampaignMessage[] = [];
  let surveys: VisitorSurvey[] = [];
  let put = readPut();
  let answers: Record<string, number | string | string[]> = {};
  let surveyFor: string | undefined;
  let survey: { state: 'idle' | 'sending' | 'done' | 'error'; message?: string; reward?: boolean } = { state: 'idle' };

  const memberCard = el('section', { class: 'card member', hidden: true, 'aria-labelledby': 'kefu-member-title' });
  const offersBox = el('section', { class: 'offers', hidden: true, 'aria-labelledby': 'kefu-offers-title' });
  /** The survey card; the widget places it in the chat log or on the home view. */
  const surveyBox = el('section', { class: 'card survey', 'aria-labelledby': 'kefu-survey-title' });
  const home = el('div', { class: 'extras' }, memberCard, offersBox);

  const text = (v: { zh: string; en: string } | undefined) => (v ? (deps.locale() === 'zh-CN' ? v.zh : v.en) : '');
  const number = (n: number) => new Intl.NumberFormat(deps.locale()).format(n);

  function renderMember(): void {
    memberCard.hidden = !membership;
    if (!membership) return memberCard.replaceChildren();
    const m = membership;
    const parts: Node[] = [
      el('h3', { id: 'kefu-member-title', class: 'member-title' }, t('memberTitle')),
      el(
        'p',
        { class: 'member-tier' },
        el('strong', { class: `tier-name rank-${Math.min(m.tier.rank, 3)}` }, text(m.tier.name)),
        ' · ',
        t('memberPoints', { points: number(m.points.balance) }),
      ),
    ];
    if (m.points.expiringWithin30Days > 0) parts.push(el('p', { class: 'muted' }, t('memberExpiring', { points: number(m.points.expiringWithin30Days) })));
    if (m.nextTier) {
      const next = text(m.nextTier.name);
      parts.push(
        el(
          'p',
          { class: 'muted' },
          m.nextTier.spendToGo !== undefined
            ? t('memberNextSpend', { amount: number(Math.ceil(m.nextTier.spendToGo)), tier: next })
            : m.nextTier.pointsToGo !== undefined
              ? t('memberNextPoints', { points: number(m.nextTier.pointsToGo), tier: next })
              : t('memberNext', { tier: next }),
        ),
      );
    }
    const perks = m.benefits?.perks ?? [];
    if (perks.length) parts.push(el('p', { class: 'perks-title' }, t('memberPerks')), el('ul', { class: 'perks' }, ...perks.map((p) => el('li', {}, text(p)))));
    if (consent) {
      const box = el('input', { type: 'checkbox', id: 'kefu-offers-consent' });
      box.checked = consent.state === 'granted';
      box.disabled = consent.busy;
      box.addEventListener('change', () => void setConsent(box.checked));
      parts.push(el('p', { class: 'consent' }, box, el('label', { for: 'kefu-offers-consent' }, t('offersConsent'))));
      if (consent.failed) parts.push(el('p', { class: 'hint', role: 'alert' }, t('errorGeneric')));
    }
    const focused = (memberCard.getRootNode() as ShadowRoot | Document).activeElement?.id === 'kefu-offers-consent';
    memberCard.replaceChildren(...parts);
    if (focused) memberCard.querySelector<HTMLInputElement>('#kefu-offers-consent')?.focus();
  }

  /** The shopper gives or withdraws consent to offers in the chat (the unsubscribe page points here). */
  async function setConsent(granted: boolean): Promise<void> {
    if (!consent) return;
    consent = { ...consent, busy: true, failed: false };
    renderMember();
    try {
      const result = await deps.call<{ channels: { widget?: { state: string } } }>('/widget/marketing-consent', {
        method: 'PUT',
        body: { channel: 'widget', granted },
      });
      consent = { state: result.channels.widget?.state ?? (granted ? 'granted' : 'revoked'), busy: false, failed: false };
    } catch {
      consent = { ...consent, busy: false, failed: true };
    }
    renderMember();
  }

  /** A coupon: its terms, the code to copy, and until when it is valid. */
  function couponCard(c: { code: string; value: number; threshold: number; expiresAt: string }): HTMLElement {
    const terms =
      c.threshold > 0 ? t('couponTermsMin', { value: number(c.value), threshold: number(c.threshold) }) : t('couponTerms', { value: number(c.value) });
    const status = el('span', { class: 'coupon-status', role: 'status' });
    const copy = el('button', { type: 'button', class: 'coupon-copy', 'aria-label': t('couponCopyLabel', { code: c.code }) }, t('couponCopy'));
    copy.addEventListener('click', () => {
      navigator.clipboard?.writeText(c.code).then(
        () => {
          status.textContent = t('couponCopied');
        },
        () => {
          status.textContent = t('couponCopyFailed');
        },
      );
    });
    return el(
      'div',
      { class: 'coupon' },
      el('p', { class: 'coupon-terms' }, terms),
      el('p', { class: 'coupon-code-row' }, el('code', { class: 'coupon-code' }, c.code), copy, status),
      el('p', { class: 'coupon-expiry' }, t('couponExpires', { date: c.expiresAt.slice(0, 10) })),
    );
  }

  function renderOffers(): void {
    const shown = offers.filter((o) => !put.offers.includes(o.campaignId));
    offersBox.hidden = shown.length === 0;
    offersBox.replaceChildren(
      el('h3', { id: 'kefu-offers-title', class: 'list-heading' }, t('offersTitle')),
      ...shown.map((o) => {
        const dismiss = el('button', { type: 'button', class: 'dismiss', 'aria-label': t('offerDismiss', { title: o.title }) }, '×');
        dismiss.addEventListener('click', () => {
          put = { ...put, offers: [...put.offers, o.campaignId] };
          writePut(put);
          renderOffers();
          deps.onChange();
        });
        const card = el(
          'article',
          { class: 'card offer', lang: o.lang === 'zh' ? 'zh-CN' : 'en' },
          el('h4', {}, o.title),
          el('p', { class: 'offer-body' }, ...linkedText(o.body)),
        );
        if (o.offer?.kind === 'points') card.append(el('p', { class: 'offer-points' }, t('offerPoints', { points: number(o.offer.points) })));
        if (o.offer?.kind === 'coupon') card.append(couponCard(o.offer));
        card.append(dismiss);
        card.dataset.campaign = o.campaignId;
        return card;
      }),
    );
  }

  /** The survey on show: the newest pending one the shopper did not put aside. */
  function current(): VisitorSurvey | undefined {
    return surveys.find((s) => s.status === 'sent' && !put.surveys.includes(s.surveyId) && Date.parse(s.expiresAt) > Date.now());
  }

  function renderSurvey(): void {
    const s = current();
    if (survey.state === 'done') {
      surveyBox.replaceChildren(
        el('h3', { id: 'kefu-survey-title' }, t('surveyThanks')),
        el('p', { class: 'ok', role: 'status' }, survey.reward ? t('surveyReward') : t('surveyThanksBody')),
      );
      return;
    }
    if (!s) return surveyBox.replaceChildren();
    if (surveyFor !== s.surveyId) {
      surveyFor = s.surveyId;
      answers = {};
      survey = { state: 'idle' };
    }
    const form = el('form', { class: 'survey-form', novalidate: true });
    form.dataset.survey = s.surveyId;
    for (const q of s.questions) {
      if (!questionVisible(q, answers)) continue;
      form.append(questionNode(q));
    }
    const send = el(
      'button',
      { type: 'submit', class: 'send', 'aria-disabled': survey.state === 'sending' ? 'true' : undefined },
      survey.state === 'sending' ? t('sending') : t('surveySend'),
    );
    const later = el('button', { type: 'button', class: 'link-btn' }, t('surveyLater'));
    const never = el('button', { type: 'button', class: 'link-btn' }, t('surveyOptOut'));
    later.addEventListener('click', () => putAside(s.surveyId));
    never.addEventListener('click', () => void optOut(s.surveyId));
    const status = el('p', { class: survey.state === 'error' ? 'hint' : 'hint ok', role: 'status' }, survey.message ?? '');
    status.hidden = !survey.message;
    form.append(status, el('div', { class: 'survey-actions' }, send, later, never));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void submit(s);
    });
    const root = surveyBox.getRootNode() as Document | ShadowRoot;
    const active = root.activeElement as HTMLInputElement | null;
    const restore = active && surveyBox.contains(active) ? { name: active.name, value: active.value, tag: active.tagName } : undefined;
    surveyBox.replaceChildren(el('h3', { id: 'kefu-survey-title' }, s.name[deps.locale()] ?? s.name.en), el('p', { class: 'muted' }, t('surveyIntro')), form);
    if (restore) {
      const again = [...surveyBox.querySelectorAll<HTMLInputElement>('input, textarea, button')].find(
        (n) => n.name === restore.name && n.tagName === restore.tag && (n.tagName !== 'INPUT' || n.value === restore.value),
      );
      again?.focus();
    }
  }

  function questionNode(q: SurveyQuestion): HTMLElement {
    const label = q.text[deps.locale()] ?? q.text.en;
    const name = `kefu-q-${q.id}`;
    if (q.kind === 'text') {
      const area = el('textarea', { id: name, name, rows: '2', maxlength: '2000' });
      area.value = typeof answers[q.id] === 'string' ? (answers[q.id] as string) : '';
      area.addEventListener('input', () => (answers[q.id] = area.value));
      return el('div', { class: 'q' }, el('label', { for: name }, label), area);
    }
    const options =
      q.kind === 'choice'
        ? (q.options ?? []).map((o) => ({ value: o.id, label: o.text[deps.locale()] ?? o.text.en }))
        : scaleOf(q.kind).map((n) => ({ value: String(n), label: String(n) }));
    const multiple = q.kind === 'choice' && !!q.multiple;
    const inputs = options.map((o) => {
      const input = el('input', { type: multiple ? 'checkbox' : 'radio', name, value: o.value });
      const value = answers[q.id];
      input.checked = Array.isArray(value) ? value.includes(o.value) : value !== undefined && String(value) === o.value;
      input.addEventListener('change', () => {
        if (multiple) {
          const list = new Set(Array.isArray(answers[q.id]) ? (answers[q.id] as string[]) : []);
          if (input.checked) list.add(o.value);
          else list.delete(o.value);
          answers[q.id] = [...list];
        } else answers[q.id] = q.kind === 'choice' ? o.value : Number(o.value);
        if (q.kind !== 'choice') renderSurvey();
      });
      return el('label', { class: q.kind === 'choice' ? 'choice' : 'score' }, input, el('span', {}, o.label));
    });
    const fieldset = el('fieldset', { class: `q ${q.kind}` }, el('legend', {}, label + (q.required ? ' *' : '')), el('div', { class: 'options' }, ...inputs));
    if (q.kind !== 'choice') {
      const [low, high] = q.kind === 'nps' ? [t('npsLow'), t('npsHigh')] : q.kind === 'ces' ? [t('cesLow'), t('cesHigh')] : [t('csatLow'), t('csatHigh')];
      const ends = scaleOf(q.kind);
      fieldset.append(el('p', { class: 'scale-ends muted' }, el('span', {}, `${ends[0]} = ${low}`), el('span', {}, `${ends[ends.length - 1]} = ${high}`)));
    }
    return fieldset;
  }

  async function submit(s: VisitorSurvey): Promise<void> {
    if (survey.state === 'sending') return;
    const missing = s.questions.filter((q) => q.required && questionVisible(q, answers) && answers[q.id] === undefined);
    if (missing.length) {
      survey = { state: 'error', message: t('surveyRequired') };
      renderSurvey();
      return;
    }
    survey = { state: 'sending' };
    renderSurvey();
    try {
      const result = await deps.call<{ response: { reward?: string } }>(`/widget/surveys/${encodeURIComponent(s.surveyId)}/response`, {
        body: { answers: answersToSend(s.questions, answers), lang: deps.locale() },
      });
      surveys = surveys.map((x) => (x.surveyId === s.surveyId ? { ...x, status: 'answered' } : x));
      survey = { state: 'done', reward: result.response.reward === 'applied' };
    } catch (err) {
      survey = {
        state: 'error',
        message: err instanceof ApiError && (err.status === 409 || err.status === 404 || err.status === 410) ? t('surveyClosed') : t('errorGeneric'),
      };
      if (err instanceof ApiError && (err.status === 409 || err.status === 404)) surveys = surveys.filter((x) => x.surveyId !== s.surveyId);
    }
    renderSurvey();
    deps.onChange();
  }

  function putAside(surveyId: string): void {
    put = { ...put, surveys: [...put.surveys, surveyId] };
    writePut(put);
    renderSurvey();
    deps.onChange();
  }

  async function optOut(surveyId: string): Promise<void> {
    try {
      await deps.call('/widget/surveys/opt-out', { body: {} });
      surveys = [];
      survey = { state: 'idle' };
    } catch {
      /* still put this one aside */
    }
    putAside(surveyId);
  }

  function readPut(): { offers: string[]; surveys: string[] } {
    try {
      const value = JSON.parse(localStorage.getItem(deps.storageKey) ?? '{}') as { offers?: string[]; surveys?: string[] };
      return { offers: value.offers ?? [], surveys: value.surveys ?? [] };
    } catch {
      return { offers: [], surveys: [] };
    }
  }

  function writePut(value: { offers: string[]; surveys: string[] }): void {
    try {
      localStorage.setItem(deps.storageKey, JSON.stringify({ offers: value.offers.slice(-50), surveys: value.surveys.slice(-50) }));
    } catch {
      /* storage disabled: lasts this page view */
    }
  }

  return {
    home,
    surveyBox,
    /** Whether a survey card (form or thank-you) is on show. */
    hasSurvey(): boolean {
      return survey.state === 'done' || !!current();
    },
    /** Membership, offers and pending surveys of the current session (after boot or a change of user). */
    async load(verified: boolean): Promise<void> {
      const [m, o, s, c] = await Promise.all([
        verified ? deps.call<Membership>('/widget/membership').catch(() => undefined) : Promise.resolve(undefined),
        deps.call<{ items: CampaignMessage[] }>('/widget/campaign-messages').then(
          (r) => r.items,
          () => offers,
        ),
        deps.call<{ items: VisitorSurvey[] }>('/widget/surveys').then(
          (r) => r.items,
          () => surveys,
        ),
        verified
          ? deps.call<{ channels: { widget?: { state: string } } }>('/widget/marketing-consent').then(
              (r) => r.channels.widget?.state ?? 'unknown',
              () => undefined,
            )
          : Promise.resolve(undefined),
      ]);
      membership = m;
      consent = m && c ? { state: c, busy: false, failed: false } : undefined;
      offers = o;
      surveys = s;
      renderMember();
      renderOffers();
      renderSurvey();
      deps.onChange();
    },
    addSurvey(s: VisitorSurvey): void {
      surveys = [s, ...surveys.filter((x) => x.surveyId !== s.surveyId)];
      if (survey.state === 'done') survey = { state: 'idle' };
      renderSurvey();
      deps.onChange();
    },
    addOffer(o: CampaignMessage): void {
      offers = [o, ...offers.filter((x) => x.campaignId !== o.campaignId)];
      renderOffers();
      deps.onChange();
    },
    /** A new user signed in (or out): what belonged to the previous one goes. */
    reset(): void {
      membership = undefined;
      consent = undefined;
      offers = [];
      surveys = [];
      survey = { state: 'idle' };
      renderMember();
      renderOffers();
      renderSurvey();
    },
    applyTexts(): void {
      renderMember();
      renderOffers();
      renderSurvey();
    },
  };
}

export type Extras = ReturnType<typeof createExtras>;
