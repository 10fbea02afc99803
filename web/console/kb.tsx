import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { articleBlocks } from '../lib/article-text.ts';
import { ApiError } from '../lib/http.ts';
import type { StaffApi } from './auth.ts';
import './i18n-kb.ts';
import { type ConsoleKey, useI18n } from './i18n.ts';
import {
  draftOf,
  draftProblems,
  emptyDraft,
  filterArticles,
  type KbArticle,
  type KbDraft,
  type KbLang,
  type KbStatus,
  KNOWN_CATEGORIES,
  saveBody,
} from './kb-state.ts';
import { errorMessage } from './kit/index.ts';
import { day } from './labels.ts';

const STATUS_LABEL: Record<KbStatus, ConsoleKey> = { published: 'kbPublished', draft: 'kbDraft' };
const LANG_LABEL: Record<KbLang, ConsoleKey> = { zh: 'kbLangZh', en: 'kbLangEn' };

/** The knowledge base: list for every staff role, editor for admins (read-only view for others). */
export function KbPage(props: { api: StaffApi; canEdit: boolean; articleId: string | undefined }) {
  if (props.articleId === 'new' && props.canEdit) return <KbEditor key="new" api={props.api} articleId={undefined} />;
  if (props.articleId && props.articleId !== 'new') {
    return props.canEdit ? (
      <KbEditor key={props.articleId} api={props.api} articleId={props.articleId} />
    ) : (
      <KbReader key={props.articleId} api={props.api} articleId={props.articleId} />
    );
  }
  return <KbList api={props.api} canEdit={props.canEdit} />;
}

function KbList(props: { api: StaffApi; canEdit: boolean }) {
  const { t, locale } = useI18n();
  const [status, setStatus] = useState<KbStatus>('published');
  const [lang, setLang] = useState<KbLang | ''>('');
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<KbArticle[]>();
  const [error, setError] = useState<string>();

  const load = () => {
    let cancelled = false;
    setError(undefined);
    setItems(undefined);
    const params = new URLSearchParams({ status });
    if (lang) params.set('lang', lang);
    props.api.call<{ items: KbArticle[] }>(`/kb/articles?${params}`).then(
      (result) => !cancelled && setItems(result.items),
      (err: unknown) => !cancelled && setError(errorMessage(err)),
    );
    return () => {
      cancelled = true;
    };
  };
  useEffect(load, [status, lang]);

  const shown = useMemo(() => filterArticles(items ?? [], query), [items, query]);

  return (
    <section class="kb pad" aria-labelledby="kb-heading">
      <div class="kb-head">
        <h1 id="kb-heading">{t('kbTitle')}</h1>
        {props.canEdit && (
          <a class="btn primary" href="#/kb/new">
            {t('kbNew')}
          </a>
        )}
      </div>
      <p class="muted">{t('kbIntro')}</p>
      {!props.canEdit && <p class="notice">{t('kbReadOnly')}</p>}
      <div class="kb-filters" role="group" aria-label={t('kbFilter')}>
        <label>
          {t('kbStatus')}{' '}
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value as KbStatus)}>
            <option value="published">{t('kbPublished')}</option>
            <option value="draft">{t('kbDraft')}</option>
          </select>
        </label>
        <label>
          {t('kbLang')}{' '}
          <select value={lang} onChange={(e) => setLang(e.currentTarget.value as KbLang | '')}>
            <option value="">{t('kbAllLangs')}</option>
            <option value="zh">{t('kbLangZh')}</option>
            <option value="en">{t('kbLangEn')}</option>
          </select>
        </label>
        <label class="grow">
          <span class="sr-only">{t('kbFilter')}</span>
          <input type="search" placeholder={t('kbFilter')} value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        </label>
      </div>
      {error && (
        <p class="error" role="alert">
          {t('loadFailed', { message: error })}{' '}
          <button type="button" class="btn small" onClick={load}>
            {t('retry')}
          </button>
        </p>
      )}
      {!items && !error && <p class="muted">{t('loading')}</p>}
      {items && (
        <>
          <p class="muted small" role="status">
            {shown.length ? t('kbCount', { count: shown.length }) : t('kbEmpty')}
          </p>
          {shown.length > 0 && (
            <table class="kb-table">
              <thead>
                <tr>
                  <th scope="col">{t('kbTitleLabel')}</th>
                  <th scope="col">{t('kbLang')}</th>
                  <th scope="col">{t('kbCategory')}</th>
                  <th scope="col">{t('kbStatus')}</th>
                  <th scope="col">{t('kbVersion')}</th>
                  <th scope="col">{t('kbUpdated')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((a) => (
                  <tr key={a.articleId}>
                    <td>
                      <a href={`#/kb/${encodeURIComponent(a.articleId)}`} lang={a.lang === 'zh' ? 'zh-CN' : 'en'} data-article={a.articleId}>
                        {a.title}
                      </a>
                      <div class="muted small mono">{a.articleId}</div>
                    </td>
                    <td>{t(LANG_LABEL[a.lang])}</td>
                    <td>{a.category}</td>
                    <td>
                      <span class={`status-pill ${a.status === 'draft' ? 'pending' : 'open'}`}>{t(STATUS_LABEL[a.status])}</span>
                    </td>
                    <td>{a.version}</td>
                    <td>{day(a.updatedAt, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

/** The current version of one article (published or draft, any language); undefined when missing. */
async function loadArticle(api: StaffApi, articleId: string): Promise<KbArticle | undefined> {
  const lists = await Promise.all((['published', 'draft'] as const).map((status) => api.call<{ items: KbArticle[] }>(`/kb/articles?status=${status}`)));
  const found = lists.flatMap((l) => l.items).filter((a) => a.articleId === articleId);
  return found.sort((a, b) => b.version - a.version)[0];
}

/** An article body as it reaches shoppers: plain text blocks, never HTML. */
export function ArticlePreview(props: { body: string; lang: KbLang }) {
  const blocks = articleBlocks(props.body);
  return (
    <div class="article-preview" lang={props.lang === 'zh' ? 'zh-CN' : 'en'}>
      {blocks.map((block, i) => {
        if (block.kind === 'heading') return block.level <= 2 ? <h3 key={i}>{block.text}</h3> : <h4 key={i}>{block.text}</h4>;
        if (block.kind === 'list') {
          const items = block.items.map((item, j) => <li key={j}>{item}</li>);
          return block.ordered ? <ol key={i}>{items}</ol> : <ul key={i}>{items}</ul>;
        }
        return <p key={i}>{block.text}</p>;
      })}
    </div>
  );
}

function BackLink() {
  const { t } = useI18n();
  return (
    <a class="btn ghost" href="#/kb">
      ← {t('kbBack')}
    </a>
  );
}

function KbReader(props: { api: StaffApi; articleId: string }) {
  const { t, locale } = useI18n();
  const names = useStaffNames(props.api);
  const [article, setArticle] = useState<KbArticle | null>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    loadArticle(props.api, props.articleId).then(
      (a) => setArticle(a ?? null),
      (err: unknown) => setError(errorMessage(err)),
    );
  }, [props.articleId]);
  return (
    <section class="kb pad" aria-labelledby="kb-article-heading">
      <BackLink />
      {error && (
        <p class="error" role="alert">
          {t('loadFailed', { message: error })}
        </p>
      )}
      {article === undefined && !error && <p class="muted">{t('loading')}</p>}
      {article === null && <p class="error">{t('kbNotFound')}</p>}
      {article && (
        <article class="card kb-read">
          <h1 id="kb-article-heading" lang={article.lang === 'zh' ? 'zh-CN' : 'en'}>
            {article.title}
          </h1>
          <p class="muted small">
            <span class={`status-pill ${article.status === 'draft' ? 'pending' : 'open'}`}>{t(STATUS_LABEL[article.status])}</span>{' '}
            {t(LANG_LABEL[article.lang])} · {article.category} ·{' '}
            {t('kbVersionOf', { version: article.version, date: day(article.updatedAt, locale), who: names.get(article.updatedBy) ?? article.updatedBy })}
          </p>
          {article.tags.length > 0 && (
            <ul class="tags" aria-label={t('kbTags')}>
              {article.tags.map((tag) => (
                <li key={tag}>{tag}</li>
              ))}
            </ul>
          )}
          <ArticlePreview body={article.body} lang={article.lang} />
        </article>
      )}
    </section>
  );
}

type Notice = { kind: 'ok' | 'error' | 'conflict'; text: string };

/** A notice for the editor that opens next (a new article's editor reopens under its id after the first save). */
const carried = new Map<string, Notice>();

/** Staff names by subject, for "updated by" (loaded once per console session). */
let staffNames: Promise<Map<string, string>> | undefined;

function useStaffNames(api: StaffApi): Map<string, string> {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    staffNames ??= api.call<{ items: { sub: string; name: string; email: string }[] }>('/staff').then(
      (result) => new Map(result.items.map((s) => [s.sub, s.name || s.email])),
      () => {
        staffNames = undefined;
        return new Map<string, string>();
      },
    );
    let cancelled = false;
    void staffNames.then((map) => !cancelled && setNames(map));
    return () => {
      cancelled = true;
    };
  }, [api]);
  return names;
}

function KbEditor(props: { api: StaffApi; articleId: string | undefined }) {
  const { t, locale } = useI18n();
  const creating = props.articleId === undefined;
  const [loaded, setLoaded] = useState<KbArticle | null | undefined>(creating ? null : undefined);
  const [draft, setDraft] = useState<KbDraft>(() => emptyDraft(locale === 'zh-CN' ? 'zh' : 'en'));
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | undefined>(() => {
    const pending = props.articleId ? carried.get(props.articleId) : undefined;
    if (props.articleId) carried.delete(props.articleId);
    return pending;
  });
  const [mine, setMine] = useState<KbDraft>();
  const names = useStaffNames(props.api);
  const [loadError, setLoadError] = useState<string>();
  const [tried, setTried] = useState(false);
  const noticeRef = useRef<HTMLParagraphElement>(null);

  const adopt = (article: KbArticle) => {
    setLoaded(article);
    setDraft(draftOf(article));
  };

  useEffect(() => {
    if (creating) return;
    loadArticle(props.api, props.articleId!).then(
      (a) => (a ? adopt(a) : setLoaded(null)),
      (err: unknown) => setLoadError(errorMessage(err)),
    );
  }, [props.articleId]);

  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  const set = <K extends keyof KbDraft>(key: K, value: KbDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const problems = draftProblems(draft);

  const save = async (event: Event) => {
    event.preventDefault();
    setTried(true);
    if (problems.length) {
      setNotice({ kind: 'error', text: problems.map((p) => t(p === 'invalidId' ? 'kbInvalidId' : 'kbRequired')).join(' ') });
      return;
    }
    setBusy(true);
    setNotice(undefined);
    const expected = loaded ? loaded.version : undefined;
    try {
      const result = await props.api.put<{ article: KbArticle }>(`/kb/articles/${encodeURIComponent(draft.articleId)}`, saveBody(draft, expected));
      adopt(result.article);
      setMine(undefined);
      const saved: Notice = { kind: 'ok', text: t('kbSaved', { version: result.article.version }) };
      setNotice(saved);
      if (creating) {
        carried.set(result.article.articleId, saved);
        location.replace(`#/kb/${encodeURIComponent(result.article.articleId)}`);
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        const yours = draft;
        const newer = await loadArticle(props.api, draft.articleId).catch(() => undefined);
        if (newer) adopt(newer);
        setMine(yours);
        setNotice({ kind: 'conflict', text: t(expected === undefined ? 'kbExists' : 'kbConflict') });
      } else setNotice({ kind: 'error', text: t('kbSaveFailed', { message: errorMessage(err) }) });
    } finally {
      setBusy(false);
    }
  };

  if (loadError) {
    return (
      <section class="kb pad">
        <BackLink />
        <p class="error" role="alert">
          {t('loadFailed', { message: loadError })}
        </p>
      </section>
    );
  }
  if (loaded === undefined) return <p class="muted pad">{t('loading')}</p>;
  if (loaded === null && !creating) {
    return (
      <section class="kb pad">
        <BackLink />
        <p class="error">{t('kbNotFound')}</p>
      </section>
    );
  }

  const idInvalid = tried && problems.includes('invalidId');
  const missing = tried && problems.includes('required');
  return (
    <section class="kb pad" aria-labelledby="kb-editor-heading">
      <BackLink />
      <h1 id="kb-editor-heading">{creating ? t('kbNew') : t('kbEditing')}</h1>
      {loaded && (
        <p class="muted small">
          {t('kbVersionOf', { version: loaded.version, date: day(loaded.updatedAt, locale), who: names.get(loaded.updatedBy) ?? loaded.updatedBy })}
        </p>
      )}
      {notice && (
        <p
          ref={noticeRef}
          tabIndex={-1}
          class={notice.kind === 'ok' ? 'notice ok' : notice.kind === 'conflict' ? 'notice' : 'error'}
          role={notice.kind === 'ok' ? 'status' : 'alert'}
        >
          {notice.text}
        </p>
      )}
      {mine && (
        <details class="card yours" open>
          <summary>{t('kbYourText')}</summary>
          <p class="small">
            <strong>{t('kbTitleLabel')}:</strong> {mine.title}
          </p>
          <label for="kb-mine" class="sr-only">
            {t('kbYourText')}
          </label>
          <textarea id="kb-mine" readOnly rows={8} value={mine.body} />
        </details>
      )}
      <form class="kb-form" onSubmit={save} noValidate>
        <div class="kb-fields">
          <div class="field">
            <label for="kb-id">{t('kbArticleId')}</label>
            <input
              id="kb-id"
              class="mono"
              value={draft.articleId}
              readOnly={!!loaded}
              aria-invalid={idInvalid || undefined}
              aria-describedby="kb-id-hint"
              maxLength={81}
              autocomplete="off"
              spellcheck={false}
              onInput={(e) => set('articleId', e.currentTarget.value.trim())}
            />
            <span id="kb-id-hint" class="muted small">
              {t('kbArticleIdHint')}
            </span>
          </div>
          <div class="field wide">
            <label for="kb-title">{t('kbTitleLabel')}</label>
            <input
              id="kb-title"
              value={draft.title}
              maxLength={200}
              required
              aria-invalid={(missing && !draft.title.trim()) || undefined}
              lang={draft.lang === 'zh' ? 'zh-CN' : 'en'}
              onInput={(e) => set('title', e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="kb-lang">{t('kbLang')}</label>
            <select id="kb-lang" value={draft.lang} onChange={(e) => set('lang', e.currentTarget.value as KbLang)}>
              <option value="zh">{t('kbLangZh')}</option>
              <option value="en">{t('kbLangEn')}</option>
            </select>
          </div>
          <div class="field">
            <label for="kb-category">{t('kbCategory')}</label>
            <input
              id="kb-category"
              list="kb-categories"
              value={draft.category}
              maxLength={40}
              required
              aria-invalid={(missing && !draft.category.trim()) || undefined}
              onInput={(e) => set('category', e.currentTarget.value)}
            />
            <datalist id="kb-categories">
              {KNOWN_CATEGORIES.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
          </div>
          <div class="field">
            <label for="kb-status">{t('kbStatus')}</label>
            <select id="kb-status" value={draft.status} onChange={(e) => set('status', e.currentTarget.value as KbStatus)}>
              <option value="draft">{t('kbDraft')}</option>
              <option value="published">{t('kbPublished')}</option>
            </select>
          </div>
          <div class="field wide">
            <label for="kb-tags">{t('kbTags')}</label>
            <input id="kb-tags" value={draft.tags} aria-describedby="kb-tags-hint" onInput={(e) => set('tags', e.currentTarget.value)} />
            <span id="kb-tags-hint" class="muted small">
              {t('kbTagsHint')}
            </span>
          </div>
        </div>
        <div class="kb-body">
          <div class="field">
            <label for="kb-body">{t('kbBody')}</label>
            <textarea
              id="kb-body"
              rows={18}
              value={draft.body}
              maxLength={50_000}
              required
              aria-invalid={(missing && !draft.body.trim()) || undefined}
              aria-describedby="kb-body-hint"
              lang={draft.lang === 'zh' ? 'zh-CN' : 'en'}
              onInput={(e) => set('body', e.currentTarget.value)}
            />
            <span id="kb-body-hint" class="muted small">
              {t('kbBodyHint')}
            </span>
          </div>
          <section class="field" aria-labelledby="kb-preview-heading">
            <h2 id="kb-preview-heading" class="label">
              {t('kbPreview')}
            </h2>
            <div class="card preview-box">
              <h3 lang={draft.lang === 'zh' ? 'zh-CN' : 'en'}>{draft.title}</h3>
              <ArticlePreview body={draft.body} lang={draft.lang} />
            </div>
          </section>
        </div>
        <div class="kb-actions">
          <button type="submit" class="btn primary" disabled={busy}>
            {busy ? t('kbSaving') : t('kbSave')}
          </button>
        </div>
      </form>
    </section>
  );
}
