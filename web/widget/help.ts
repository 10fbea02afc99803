import { ApiError } from '../lib/http.ts';
import type { Locale } from '../lib/types.ts';
import { articleNodes, el, ICONS, icon } from './dom.ts';
import { categoryKey, type WidgetKey } from './i18n.ts';

export interface ArticleHit {
  articleId: string;
  title?: string;
  category?: string;
  lang?: 'zh' | 'en';
}

export interface HelpArticle {
  articleId: string;
  title: string;
  body: string;
  lang: 'zh' | 'en';
  category?: string;
  updatedAt?: string;
}

export interface HelpDeps {
  call<T>(path: string): Promise<T>;
  t(key: WidgetKey, values?: Record<string, string | number>): string;
  locale(): Locale;
  /** The shopper pressed "send us a message" / "continue the conversation". */
  onChat(): void;
  /** The shopper picked an article (from a list here or a chip in the chat). */
  onArticle(articleId: string, opener: HTMLElement): void;
}

const SEARCH_DEBOUNCE_MS = 250;
const SUGGESTIONS = 5;

/** The knowledge-base language of a widget locale. */
export function kbLang(locale: Locale): 'zh' | 'en' {
  return locale === 'zh-CN' ? 'zh' : 'en';
}

/**
 * The help centre of the panel: the home view (start or continue a chat, search box, suggested
 * articles or search results) and the article reader. View switching stays with the widget.
 */
export function createHelp(deps: HelpDeps) {
  const { t } = deps;
  const greeting = el('h3', { class: 'greet' });
  const chatButton = el('button', { type: 'button', class: 'send wide' });
  const chatHint = el('p', { class: 'muted' });
  const chatPreview = el('p', { class: 'preview', hidden: true });
  const chatCard = el('div', { class: 'card' }, chatButton, chatPreview, chatHint);
  const searchLabel = el('label', { for: 'kefu-search', class: 'search-label' });
  const searchInput = el('input', { id: 'kefu-search', type: 'search', autocomplete: 'off', maxlength: '300', enterkeyhint: 'search' });
  const searchButton = el('button', { type: 'submit', class: 'icon-only' }, icon(ICONS.search, 18));
  const searchForm = el(
    'form',
    { role: 'search', class: 'search', novalidate: true },
    searchLabel,
    el('div', { class: 'search-row' }, searchInput, searchButton),
  );
  const listHeading = el('h4', { id: 'kefu-articles-heading', class: 'list-heading' });
  const status = el('p', { class: 'muted search-status', role: 'status' });
  const list = el('ul', { class: 'articles', 'aria-labelledby': 'kefu-articles-heading' });
  const home = el('div', { class: 'view home', hidden: true }, greeting, chatCard, searchForm, listHeading, status, list);

  const readerTitle = el('h3', { class: 'article-title', tabindex: '-1', id: 'kefu-article-title' });
  const readerMeta = el('p', { class: 'muted' });
  const readerBody = el('div', { class: 'article-body' });
  const readerState = el('p', { class: 'muted', role: 'status' });
  const readerHelp = el('p', { class: 'muted' });
  const readerChat = el('button', { type: 'button', class: 'send wide' });
  const reader = el(
    'div',
    { class: 'view reader', hidden: true, role: 'region', 'aria-labelledby': 'kefu-article-title' },
    el('article', { class: 'article' }, readerTitle, readerMeta, readerState, readerBody),
    el('div', { class: 'card' }, readerHelp, readerChat),
  );

  let query = '';
  let searchSeq = 0;
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let results: ArticleHit[] | undefined;
  let searchState: 'idle' | 'searching' | 'done' | 'failed' = 'idle';
  const suggestions = new Map<Locale, ArticleHit[]>();
  let suggestionsFor: Locale | undefined;
  const articles = new Map<string, HelpArticle>();
  let shownArticle: { id: string; article?: HelpArticle; state: 'loading' | 'ready' | 'missing' } | undefined;
  let articleSeq = 0;
  let continuing = false;
  let preview = '';

  function categoryText(category: string | undefined): string {
    const key = categoryKey(category);
    return key ? t(key) : (category ?? '');
  }

  function renderList(): void {
    const showing = query ? results : suggestions.get(deps.locale());
    listHeading.textContent = query ? t('results', { query }) : t('suggested');
    if (query && searchState === 'searching' && !results) status.textContent = t('searching');
    else if (searchState === 'failed') status.textContent = t('searchFailed');
    else if (query && results) status.textContent = results.length ? t('resultsCount', { count: results.length }) : t('noResults');
    else status.textContent = '';
    status.hidden = !status.textContent;
    listHeading.hidden = !query && !showing?.length;
    list.replaceChildren(
      ...(showing ?? []).map((hit) => {
        const button = el(
          'button',
          { type: 'button', class: 'article-link', lang: hit.lang === 'zh' ? 'zh-CN' : hit.lang },
          icon(ICONS.article, 18),
          el(
            'span',
            { class: 'article-text' },
            el('span', { class: 'article-name' }, hit.title ?? hit.articleId),
            el('span', { class: 'muted' }, categoryText(hit.category)),
          ),
        );
        button.dataset.article = hit.articleId;
        button.addEventListener('click', () => deps.onArticle(hit.articleId, button));
        return el('li', {}, button);
      }),
    );
  }

  async function searchKb(q: string, lang: 'zh' | 'en' | undefined): Promise<ArticleHit[]> {
    const params = new URLSearchParams({ q });
    if (lang) params.set('lang', lang);
    return (await deps.call<{ items: ArticleHit[] }>(`/widget/kb?${params}`)).items;
  }

  /** Searches in the shopper's language first, then in every language when that finds nothing. */
  async function runSearch(q: string): Promise<void> {
    const seq = ++searchSeq;
    searchState = 'searching';
    renderList();
    try {
      let hits = await searchKb(q, kbLang(deps.locale()));
      if (!hits.length) hits = await searchKb(q, undefined);
      if (seq !== searchSeq) return;
      results = hits;
      searchState = 'done';
    } catch (err) {
      if (seq !== searchSeq) return;
      console.warn('[kefu] help search failed', err);
      results = [];
      searchState = 'failed';
    }
    renderList();
  }

  function onQuery(immediate: boolean): void {
    const next = searchInput.value.trim().slice(0, 300);
    if (next === query && (!immediate || searchState === 'done')) return;
    clearTimeout(debounce);
    query = next;
    results = undefined;
    searchSeq++;
    if (!query) {
      searchState = 'idle';
      renderList();
      return;
    }
    searchState = 'searching';
    renderList();
    debounce = setTimeout(() => void runSearch(query), immediate ? 0 : SEARCH_DEBOUNCE_MS);
  }

  /** Suggested articles for the current language (one search with the catalogue's topic words). */
  function loadSuggestions(): void {
    const locale = deps.locale();
    if (suggestions.has(locale) || suggestionsFor === locale) return renderList();
    suggestionsFor = locale;
    searchKb(t('suggestQuery'), kbLang(locale)).then(
      (hits) => {
        suggestions.set(locale, hits.slice(0, SUGGESTIONS));
        renderList();
      },
      (err: unknown) => {
        suggestionsFor = undefined;
        console.warn('[kefu] suggested articles unavailable', err);
      },
    );
  }

  function renderReader(): void {
    const shown = shownArticle;
    const article = shown?.article;
    readerTitle.textContent = article?.title ?? (shown?.state === 'missing' ? t('articleMissing') : t('article'));
    readerTitle.setAttribute('lang', article ? (article.lang === 'zh' ? 'zh-CN' : 'en') : deps.locale());
    readerBody.setAttribute('lang', article?.lang === 'zh' ? 'zh-CN' : 'en');
    readerMeta.textContent = article ? [t('article'), categoryText(article.category)].filter(Boolean).join(' · ') : '';
    readerMeta.hidden = !article;
    readerState.textContent = shown?.state === 'loading' ? t('loading') : '';
    readerState.hidden = shown?.state !== 'loading';
    readerBody.replaceChildren(...(article ? articleNodes(article.body) : []));
  }

  /** Shows an article in the reader (fetched once, then cached). */
  async function showArticle(articleId: string): Promise<void> {
    const seq = ++articleSeq;
    const cached = articles.get(articleId);
    shownArticle = { id: articleId, article: cached, state: cached ? 'ready' : 'loading' };
    renderReader();
    if (cached) return;
    try {
      const article = await deps.call<HelpArticle>(`/widget/kb/${encodeURIComponent(articleId)}`);
      articles.set(articleId, article);
      if (seq === articleSeq) shownArticle = { id: articleId, article, state: 'ready' };
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) console.warn('[kefu] article unavailable', err);
      if (seq === articleSeq) shownArticle = { id: articleId, state: 'missing' };
    }
    if (seq === articleSeq) renderReader();
  }

  function applyTexts(): void {
    greeting.textContent = t('welcome');
    chatButton.textContent = readerChat.textContent = continuing ? t('continueChat') : t('startChat');
    chatHint.textContent = t('startChatHint');
    searchLabel.textContent = t('searchLabel');
    searchInput.placeholder = t('searchPlaceholder');
    searchButton.setAttribute('aria-label', t('search'));
    searchButton.title = t('search');
    readerHelp.textContent = t('stillNeedHelp');
    renderList();
    renderReader();
  }

  /** "Continue the conversation" with its last line while a conversation is under way. */
  function setChat(ongoing: boolean, lastLine: string): void {
    if (ongoing === continuing && lastLine === preview) return;
    continuing = ongoing;
    preview = lastLine;
    chatButton.textContent = readerChat.textContent = continuing ? t('continueChat') : t('startChat');
    chatPreview.hidden = !continuing || !preview;
    chatPreview.textContent = preview;
  }

  searchInput.addEventListener('input', () => onQuery(false));
  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    onQuery(true);
  });
  chatButton.addEventListener('click', deps.onChat);
  readerChat.addEventListener('click', deps.onChat);

  return {
    home,
    reader,
    searchInput,
    readerTitle,
    applyTexts,
    setChat,
    loadSuggestions,
    showArticle,
    /** Language changed: suggestions and results follow it. */
    relocalize(): void {
      applyTexts();
      loadSuggestions();
      if (query) {
        results = undefined;
        void runSearch(query);
      }
    },
  };
}

export type HelpCentre = ReturnType<typeof createHelp>;
