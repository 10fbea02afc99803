/**
 * Ticket search (its own chunk): words, requester email, ticket number and tag through
 * `GET /tickets/search`, narrowed by status and creation date, with filters saved per staff member.
 * A result opens beside the result list (`#/tickets/search/{ticketId}`); the last search is kept
 * for the page's lifetime, so Back returns to it.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { formatTime } from '../../lib/format.ts';
import type { Ticket } from '../../lib/types.ts';
import '../i18n-search.ts';
import '../i18n-ticket-screens.ts';
import { useI18n } from '../i18n.ts';
import type { InboxStore } from '../inbox-store.ts';
import { DataTable, errorMessage, fieldHelpers, LoadError, type Notice, NoticeLine, SelectField, TextField } from '../kit/index.ts';
import { priorityLabel, teamName, ticketStatusLabel } from '../labels.ts';
import {
  deleteFilter,
  EMPTY_FILTER,
  readSavedFilters,
  type SavedFilter,
  type SearchFilter,
  saveFilter,
  searchProblems,
  searchQueries,
  searchResults,
} from '../ticket-search-state.ts';
import { TicketRow } from '../tickets.tsx';
import { TICKET_STATUSES } from '../tickets-state.ts';
import type { TicketStore } from '../tickets-store.ts';
import { TicketDetail } from './detail.tsx';

const HOME = '#/tickets/search';
/** The route's page size: a query with this many matches may have more. */
const PAGE = 50;

interface Outcome {
  filter: SearchFilter;
  tickets: Ticket[];
  truncated: boolean;
}

/** The last search of this page view (Back from a result returns to it). */
let last: { filter: SearchFilter; outcome?: Outcome } = { filter: EMPTY_FILTER };

const storage = (): Storage | undefined => {
  try {
    return localStorage;
  } catch {
    return undefined;
  }
};

export function TicketSearch(props: { store: TicketStore; inbox: InboxStore; ticketId: string | undefined; nav: ComponentChildren }) {
  const { store, ticketId } = props;
  const { t, locale } = useI18n();
  const [filter, setFilterState] = useState<SearchFilter>(last.filter);
  const [outcome, setOutcome] = useState<Outcome | undefined>(last.outcome);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [shown, setShown] = useState<Partial<Record<keyof SearchFilter, string>>>({});
  const [saved, setSaved] = useState<SavedFilter[]>(() => {
    const s = storage();
    return s ? readSavedFilters(s, store.me) : [];
  });
  const [name, setName] = useState('');
  const [notice, setNotice] = useState<Notice>();

  const setFilter = (next: SearchFilter) => {
    setFilterState(next);
    last = { ...last, filter: next };
  };
  const set = <K extends keyof SearchFilter>(key: K, value: SearchFilter[K]) => setFilter({ ...filter, [key]: value });

  useEffect(() => {
    void store.loadConfig();
  }, [store]);

  useEffect(() => setNotice(undefined), [ticketId]);

  const run = async (wanted: SearchFilter) => {
    const problems = searchProblems(wanted);
    setShown(Object.fromEntries(Object.entries(problems).map(([k, v]) => [k, t(v)])));
    if (Object.keys(problems).length) return;
    setBusy(true);
    setError(undefined);
    try {
      const lists = await Promise.all(
        searchQueries(wanted).map((q) => store.api.call<{ tickets: Ticket[] }>(`/tickets/search?q=${encodeURIComponent(q)}`).then((r) => r.tickets)),
      );
      for (const list of lists) for (const ticket of list) store.put(ticket);
      const next = { filter: wanted, tickets: searchResults(lists, wanted), truncated: lists.some((l) => l.length >= PAGE) };
      setOutcome(next);
      last = { filter: wanted, outcome: next };
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    setNotice(undefined);
    void run(filter);
  };

  const saveCurrent = (event: Event) => {
    event.preventDefault();
    const s = storage();
    if (!name.trim()) {
      setNotice({ kind: 'error', text: t('tsNameNeeded') });
      return;
    }
    if (s) setSaved(saveFilter(s, store.me, name, filter));
    setNotice({ kind: 'ok', text: t('tsSavedOk', { name: name.trim() }) });
    setName('');
  };

  const f = fieldHelpers(
    Object.entries(shown).map(([path, message]) => ({ path, message: message! })),
    'ts',
  );

  const results = outcome && (
    <p class="muted" role="status">
      {outcome.tickets.length ? t('tsResults', { count: outcome.tickets.length }) : t('tsNoResults')}
      {outcome.truncated && ` ${t('tsLimit')}`}
    </p>
  );

  if (ticketId) {
    // a result opened: the result list beside the ticket, as in the other ticket views
    return (
      <div class="inbox tickets has-selection">
        <section class="inbox-list" aria-labelledby="ts-list-heading">
          <div class="list-head">
            <h1 id="ts-list-heading">{t('tsTitle')}</h1>
          </div>
          {props.nav}
          <a class="btn ghost small search-back" href={HOME}>
            ← {t('tsBack')}
          </a>
          <ul class="conversations" aria-label={t('tsTitle')}>
            {(outcome?.tickets ?? []).map((x) => (
              <TicketRow key={x.ticketId} store={store} ticket={store.get(x.ticketId) ?? x} href={HOME} selected={ticketId} />
            ))}
          </ul>
        </section>
        <section class="inbox-detail">
          <TicketDetail key={ticketId} store={store} inbox={props.inbox} ticketId={ticketId} listHref={HOME} backLabel={t('tsBack')} />
        </section>
      </div>
    );
  }

  return (
    <section class="kb pad ticket-search" aria-labelledby="ts-heading">
      <div class="list-head">
        <h1 id="ts-heading">{t('tsTitle')}</h1>
        <a class="btn small" href="#/tickets/new">
          {t('ticketNew')}
        </a>
      </div>
      {props.nav}
      <p class="muted small">{t('tsIntro')}</p>
      {saved.length > 0 && (
        <div class="saved-filters" role="group" aria-labelledby="ts-saved-heading">
          <h2 id="ts-saved-heading">{t('tsSaved')}</h2>
          <ul class="chips">
            {saved.map((x) => (
              <li key={x.name} class="chip">
                <button
                  type="button"
                  class="link"
                  aria-label={t('tsApply', { name: x.name })}
                  onClick={() => {
                    setFilter(x.filter);
                    setNotice(undefined);
                    void run(x.filter);
                  }}
                >
                  {x.name}
                </button>
                <button
                  type="button"
                  class="link chip-x"
                  aria-label={t('tsDelete', { name: x.name })}
                  onClick={() => {
                    const s = storage();
                    if (s) setSaved(deleteFilter(s, store.me, x.name));
                  }}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form class="kb-form search-form" role="search" aria-label={t('tsTitle')} onSubmit={submit} noValidate>
        <div class="search-grid">
          <TextField
            id="ts-text"
            class="wide"
            label={t('tsText')}
            value={filter.text}
            hint={t('tsTextHint')}
            maxLength={200}
            errors={f}
            path="text"
            onInput={(v) => set('text', v)}
          />
          <TextField
            id="ts-requester"
            label={t('tsRequester')}
            type="email"
            autocomplete="off"
            value={filter.requester}
            errors={f}
            path="requester"
            onInput={(v) => set('requester', v)}
          />
          <TextField id="ts-id" label={t('tsId')} placeholder="tkt_…" value={filter.id} errors={f} path="id" onInput={(v) => set('id', v)} />
          <TextField id="ts-tag" label={t('tsTag')} value={filter.tag} errors={f} path="tag" onInput={(v) => set('tag', v)} />
          <SelectField
            id="ts-status"
            label={t('status')}
            value={filter.status}
            blank={t('tsAnyStatus')}
            options={TICKET_STATUSES.map((s) => ({ value: s, label: ticketStatusLabel(s, t) }))}
            onChange={(v) => set('status', v as SearchFilter['status'])}
          />
          <TextField id="ts-from" label={t('tsFrom')} type="date" value={filter.from} errors={f} path="from" onInput={(v) => set('from', v)} />
          <TextField id="ts-to" label={t('tsTo')} type="date" value={filter.to} errors={f} path="to" onInput={(v) => set('to', v)} />
        </div>
        <div class="kb-actions">
          <button type="submit" class="btn primary" disabled={busy}>
            {busy ? t('tsSearching') : t('tsSearch')}
          </button>
          <button
            type="button"
            class="btn"
            onClick={() => {
              setFilter(EMPTY_FILTER);
              setShown({});
              setOutcome(undefined);
              last = { filter: EMPTY_FILTER };
            }}
          >
            {t('tsClear')}
          </button>
        </div>
      </form>

      {error && <LoadError message={error} onRetry={() => void run(filter)} />}
      {outcome && (
        <div class="result-bar">
          {results}
          <form class="inline-form" onSubmit={saveCurrent} noValidate>
            <label for="ts-save-name">{t('tsSaveName')}</label>
            <input id="ts-save-name" value={name} maxLength={40} onInput={(e) => setName(e.currentTarget.value)} />
            <button type="submit" class="btn">
              {t('tsSave')}
            </button>
          </form>
        </div>
      )}
      <NoticeLine notice={notice} />
      {outcome && outcome.tickets.length > 0 && (
        <DataTable<Ticket>
          rows={outcome.tickets.map((x) => store.get(x.ticketId) ?? x)}
          rowKey={(x) => x.ticketId}
          caption={t('tsTitle')}
          class="search-results"
          rowProps={(x) => ({ 'data-ticket': x.ticketId })}
          columns={[
            {
              key: 'subject',
              header: t('subject'),
              rowHeader: true,
              cell: (x) => (
                <>
                  <a href={`${HOME}/${encodeURIComponent(x.ticketId)}`}>{x.subject}</a>
                  <div class="muted small mono">{x.ticketId}</div>
                </>
              ),
            },
            {
              key: 'requester',
              header: t('requester'),
              cell: (x) => x.requester.name || x.requester.email || x.requester.phone || t('anonymous', { id: x.requester.contactId.slice(-6) }),
            },
            { key: 'status', header: t('status'), cell: (x) => <span class={`status-pill ${x.status}`}>{ticketStatusLabel(x.status, t)}</span> },
            { key: 'priority', header: t('priority'), cell: (x) => <span class={`prio ${x.priority}`}>{priorityLabel(x.priority, t)}</span> },
            {
              key: 'team',
              header: t('team'),
              cell: (x) => (
                <>
                  {teamName(x.team, store.config, t, locale)}
                  <div class="muted small">{x.assignee ? x.assignee.name : t('unassigned')}</div>
                </>
              ),
            },
            { key: 'tags', header: t('tags'), cell: (x) => x.tags.join(', ') },
            { key: 'created', header: t('tsCreated'), cell: (x) => <time dateTime={x.createdAt}>{formatTime(x.createdAt, locale)}</time> },
            { key: 'updated', header: t('tsUpdated'), cell: (x) => <time dateTime={x.updatedAt}>{formatTime(x.updatedAt, locale)}</time> },
          ]}
        />
      )}
    </section>
  );
}
