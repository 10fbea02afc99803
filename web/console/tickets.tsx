import { useEffect, useRef, useState } from 'preact/hooks';
import { formatTime } from '../lib/format.ts';
import { ApiError, fieldErrors, type FieldError } from '../lib/http.ts';
import { headerClock, targetMinutes, type ClockLike } from '../lib/sla.ts';
import type { Bilingual, Priority, SlaMetric, Ticket, TicketStatus } from '../lib/types.ts';
import { ConversationView } from './conversation.tsx';
import { CustomerPanel } from './customer360.tsx';
import { useI18n, type ConsoleKey, type Translate } from './i18n.ts';
import { TICKET_VIEWS, type TicketView } from './inbox-state.ts';
import { useStore, type InboxStore } from './inbox-store.ts';
import { SlaBadge } from './sla-badge.tsx';
import {
  CATEGORIES,
  draftOfTicket,
  emptyTicketForm,
  messagesFor,
  newTicketBody,
  PRIORITIES,
  TICKET_STATUSES,
  ticketChanges,
  ticketFormProblems,
  unclaimed,
  type AtRiskEntry,
  type NewTicketForm,
  type TicketDraft,
} from './tickets-state.ts';
import { useTickets, type TicketConfig, type TicketStore } from './tickets-store.ts';
import { priorityLabel, teamLabel } from './labels.ts';

const VIEW_LABEL: Record<TicketView, ConsoleKey> = {
  mine: 'ticketsMine',
  unassigned: 'ticketsUnassigned',
  team: 'ticketsTeam',
  sla_at_risk: 'ticketsAtRisk',
};

const STATUS_LABEL: Record<TicketStatus, ConsoleKey> = {
  new: 'tStatusNew',
  open: 'tStatusOpen',
  pending: 'tStatusPending',
  on_hold: 'tStatusOnHold',
  solved: 'tStatusSolved',
  closed: 'tStatusClosed',
};

const CHANNEL_LABEL: Record<Ticket['channel'], ConsoleKey> = {
  chat: 'channelChat',
  email: 'channelEmail',
  phone: 'channelPhone',
  web_form: 'channelWebForm',
  api: 'channelApi',
};

export const ticketStatusLabel = (status: TicketStatus, t: Translate) => t(STATUS_LABEL[status]);
export const channelLabel = (channel: string, t: Translate) => (channel in CHANNEL_LABEL ? t(CHANNEL_LABEL[channel as Ticket['channel']]) : channel);

/** A category in the reader's language (`DELIVERY` → "Delivery"); unknown ones as they are. */
export function categoryLabel(category: string | undefined, t: Translate): string {
  if (!category) return '';
  const key = `cat_${category}` as ConsoleKey;
  const text = t(key);
  return text === undefined || text === key ? category : text;
}

const pick = (text: Bilingual | undefined, locale: string) => (text ? (locale === 'zh-CN' ? text['zh-CN'] : text.en) : '');

/** A team's name from the configuration, else the built-in label or its id. */
export function teamName(teamId: string | undefined, config: TicketConfig | undefined, t: Translate, locale: string): string {
  if (!teamId) return '';
  const team = config?.teams.find((x) => x.teamId === teamId);
  return team ? pick(team.name, locale) : teamLabel(teamId, t);
}

const TEAM_KEY = 'kefu:console:team';

function readTeam(): string | undefined {
  try {
    return localStorage.getItem(TEAM_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Tickets: the four list views beside the selected ticket, or the new-ticket form. */
export function TicketsPage(props: { store: TicketStore; inbox: InboxStore; view: TicketView; ticketId: string | undefined }) {
  const { store, inbox, view, ticketId } = props;
  const { t, locale } = useI18n();
  useTickets(store);
  const [team, setTeamState] = useState<string | undefined>(readTeam);
  const config = store.config;
  const teams = config?.teams ?? [];
  const chosenTeam = team && teams.some((x) => x.teamId === team) ? team : (teams.find((x) => x.members.includes(store.me)) ?? teams[0])?.teamId;

  const setTeam = (next: string) => {
    setTeamState(next);
    try {
      localStorage.setItem(TEAM_KEY, next);
    } catch {
      /* the choice lasts this page view */
    }
  };

  useEffect(() => {
    void store.loadConfig();
    void store.load('mine', undefined);
    void store.load('unassigned', undefined);
    void store.load('sla_at_risk', undefined);
  }, [store]);

  useEffect(() => {
    if (chosenTeam) void store.load('team', chosenTeam);
  }, [store, chosenTeam]);

  if (ticketId === 'new') return <NewTicket store={store} view={view} />;

  const atRisk = view === 'sla_at_risk' ? store.atRiskEntries() : [];
  const items = view === 'sla_at_risk' ? [] : store.view(view, chosenTeam);
  const count = (v: TicketView) => (v === 'sla_at_risk' ? store.atRiskEntries().length : store.view(v, chosenTeam).length);
  const loaded = store.isLoaded(view, chosenTeam);

  return (
    <div class={`inbox tickets${ticketId ? ' has-selection' : ''}`}>
      <section class="inbox-list" aria-labelledby="tickets-heading">
        <div class="list-head">
          <h1 id="tickets-heading">{t('navTickets')}</h1>
          <a class="btn small" href="#/tickets/new">
            {t('ticketNew')}
          </a>
        </div>
        <nav aria-label={t('ticketViews')}>
          <ul class="views">
            {TICKET_VIEWS.map((v) => (
              <li key={v}>
                <a href={`#/tickets/${v}`} aria-current={v === view ? 'page' : undefined} data-view={v}>
                  {t(VIEW_LABEL[v])}
                  <span class={`count${v === 'sla_at_risk' && count(v) > 0 ? '' : ' quiet'}`} aria-label={t('ticketCount', { count: count(v) })}>
                    {count(v)}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {view === 'team' && (
          <label class="team-pick">
            {t('team')}{' '}
            <select value={chosenTeam ?? ''} onChange={(e) => setTeam(e.currentTarget.value)}>
              {teams.map((x) => (
                <option key={x.teamId} value={x.teamId}>
                  {pick(x.name, locale)}
                </option>
              ))}
            </select>
          </label>
        )}
        {store.loadError && (
          <p class="error pad" role="alert">
            {t('loadFailed', { message: store.loadError })}
          </p>
        )}
        {!loaded && !store.loadError && <p class="muted pad">{t('loading')}</p>}
        {loaded && (view === 'sla_at_risk' ? atRisk.length === 0 : items.length === 0) && <p class="muted pad">{t('noTickets')}</p>}
        <ul class="conversations" aria-label={t(VIEW_LABEL[view])}>
          {view === 'sla_at_risk'
            ? atRisk.map((e) => <TicketRow key={`${e.ticketId}#${e.metric}`} store={store} ticket={e.ticket!} view={view} selected={ticketId} entry={e} />)
            : items.map((x) => <TicketRow key={x.ticketId} store={store} ticket={x} view={view} selected={ticketId} />)}
        </ul>
      </section>
      <section class="inbox-detail">
        {ticketId ? <TicketDetail key={ticketId} store={store} inbox={inbox} ticketId={ticketId} view={view} /> : <p class="muted center">{t('selectTicket')}</p>}
      </section>
    </div>
  );
}

/** The clock a list row shows: the at-risk entry's, else the header's soonest running one. */
function rowClock(store: TicketStore, ticket: Ticket, entry: AtRiskEntry | undefined): { clock: ClockLike; warnAtPercent: number } | undefined {
  const policy = store.config?.policies.find((p) => p.policyId === ticket.sla.policyId);
  const base: ClockLike | undefined = entry
    ? { metric: entry.metric, state: 'running', dueAt: entry.dueAt, ...(entry.breached ? { breachedAt: entry.dueAt } : {}) }
    : headerClock(ticket.sla);
  if (!base) return undefined;
  const target = targetMinutes(policy, ticket.priority, ticket.tier, base.metric);
  return {
    clock: { ...base, ...(target !== undefined ? { targetMinutes: target } : {}), ...(store.warned(ticket.ticketId, base.metric) ? { warnedAt: 'pushed' } : {}) },
    warnAtPercent: policy?.warnAtPercent ?? 80,
  };
}

function TicketRow(props: { store: TicketStore; ticket: Ticket; view: TicketView; selected: string | undefined; entry?: AtRiskEntry }) {
  const { t, locale } = useI18n();
  const { ticket } = props;
  const shown = rowClock(props.store, ticket, props.entry);
  const breachedOther = ticket.sla.breached.filter((m) => m !== shown?.clock.metric);
  return (
    <li>
      <a
        href={`#/tickets/${props.view}/${encodeURIComponent(ticket.ticketId)}`}
        class="conv ticket-row"
        aria-current={ticket.ticketId === props.selected ? 'true' : undefined}
        data-ticket={ticket.ticketId}
      >
        <span class="conv-top">
          <span class="conv-name">{ticket.subject}</span>
          <span class={`prio ${ticket.priority}`}>{priorityLabel(ticket.priority, t)}</span>
        </span>
        <span class="conv-meta">
          <span>
            {ticket.requester.name || ticket.requester.email || ticket.requester.phone || t('anonymous', { id: ticket.requester.contactId.slice(-6) })} ·{' '}
            {channelLabel(ticket.channel, t)}
          </span>
          <span class={`status-pill ${ticket.status}`}>{ticketStatusLabel(ticket.status, t)}</span>
        </span>
        <span class="conv-meta">
          <span>
            {teamName(ticket.team, props.store.config, t, locale)}
            {ticket.team && ' · '}
            {ticket.assignee ? ticket.assignee.name : ticket.waiting ? t('waitingInQueue') : t('unassigned')}
          </span>
          <time dateTime={ticket.updatedAt}>{formatTime(ticket.updatedAt, locale)}</time>
        </span>
        <span class="sla-row">
          {shown && <SlaBadge clock={shown.clock} warnAtPercent={shown.warnAtPercent} />}
          {breachedOther.length > 0 && (
            <span class="sla breached" data-tone="breached">
              {t('slaBreachedMetrics', { metrics: breachedOther.map((m) => t(METRIC_KEY[m])).join(', ') })}
            </span>
          )}
        </span>
      </a>
    </li>
  );
}

const METRIC_KEY: Record<SlaMetric, ConsoleKey> = { first_response: 'slaFirstResponse', next_response: 'slaNextResponse', resolution: 'slaResolution' };

interface ClockView extends ClockLike {
  policy: { policyId: string; version: number };
}

interface AuditEntry {
  auditId: string;
  at: string;
  actor: { kind: string; sub?: string; name?: string };
  action: string;
  text: Bilingual;
}

interface TicketData {
  ticket: Ticket;
  clocks: ClockView[];
  audit: AuditEntry[];
}

type Notice = { kind: 'ok' | 'error' | 'conflict'; text: string };

/**
 * One ticket: header, live SLA clocks, the edit form (PATCH with the version loaded; a 409 says
 * someone else changed it and loads the newer state), merge, the audit trail, and the linked
 * conversation thread (reply and internal notes as in the inbox).
 */
function TicketDetail(props: { store: TicketStore; inbox: InboxStore; ticketId: string; view: TicketView }) {
  const { store, inbox, ticketId } = props;
  const { t, locale } = useI18n();
  useStore(inbox);
  const [data, setData] = useState<TicketData>();
  const [loadError, setLoadError] = useState<string>();
  const [draft, setDraft] = useState<TicketDraft>();
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const dirtyRef = useRef(false);
  const versionRef = useRef(0);
  /** The version the agent started editing at: live refreshes meanwhile do not move it, so saving over someone else's change is a 409. */
  const formVersion = useRef<number | undefined>(undefined);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  const base = `/tickets/${encodeURIComponent(ticketId)}`;

  const load = async (resetDraft: boolean) => {
    try {
      const next = await store.api.call<TicketData>(base);
      versionRef.current = next.ticket.version;
      setData(next);
      setLoadError(undefined);
      store.update(next.ticket);
      if (resetDraft || !dirtyRef.current) {
        setDraft(draftOfTicket(next.ticket));
        dirtyRef.current = false;
        setDirty(false);
      }
      return next;
    } catch (err) {
      setLoadError(err instanceof ApiError && err.status === 404 ? t('ticketNotFound') : err instanceof Error ? err.message : String(err));
      return undefined;
    }
  };

  useEffect(() => {
    void load(true);
    return store.onFrames((frame) => {
      if (frame.type === 'reconnected') void load(false);
      else if (frame.type === 'ticket' && frame.ticket.ticketId === ticketId && frame.ticket.version > versionRef.current) void load(false);
      else if (frame.type === 'sla' && frame.ticketId === ticketId) void load(false);
    });
  }, [ticketId]);

  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  if (loadError && !data) {
    return (
      <div class="pad">
        <p class="error" role="alert">
          {t('loadFailed', { message: loadError })}
        </p>
        <button type="button" class="btn" onClick={() => void load(true)}>
          {t('retry')}
        </button>
      </div>
    );
  }
  if (!data || !draft) return <p class="muted pad">{t('loading')}</p>;
  const ticket = data.ticket;
  const config = store.config;
  const policy = config?.policies.find((p) => p.policyId === ticket.sla.policyId);

  const set = <K extends keyof TicketDraft>(key: K, value: TicketDraft[K]) => {
    if (!dirtyRef.current) formVersion.current = ticket.version;
    dirtyRef.current = true;
    setDirty(true);
    setDraft((d) => (d ? { ...d, [key]: value } : d));
  };

  const save = async (event: Event) => {
    event.preventDefault();
    const body = ticketChanges(ticket, draft, formVersion.current ?? ticket.version);
    if (!body) {
      setNotice({ kind: 'ok', text: t('ticketNoChanges') });
      return;
    }
    setBusy(true);
    setErrors([]);
    setNotice(undefined);
    try {
      await store.api.patch(base, body);
      formVersion.current = undefined;
      await load(true);
      setNotice({ kind: 'ok', text: t('ticketSaved') });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        formVersion.current = undefined;
        await load(true);
        setNotice({ kind: 'conflict', text: t('ticketConflict') });
      } else {
        setErrors(fieldErrors(err));
        setNotice({ kind: 'error', text: t('ticketSaveFailed', { message: err instanceof Error ? err.message : String(err) }) });
      }
    } finally {
      setBusy(false);
    }
  };

  const agents = inbox.staff.filter((s) => s.roles.some((r) => r === 'agent' || r === 'supervisor' || r === 'admin'));
  const fieldError = (path: string) => {
    const messages = messagesFor(errors, path);
    return messages.length ? (
      <span id={`tf-${path}-error`} class="field-error">
        {messages.join(' ')}
      </span>
    ) : null;
  };
  const invalid = (path: string) => (messagesFor(errors, path).length ? { 'aria-invalid': true as const, 'aria-describedby': `tf-${path}-error` } : {});
  const other = unclaimed(errors, ['subject', 'status', 'priority', 'category', 'team', 'assignee', 'tags']);

  return (
    <div class="ticket-detail">
      <section class="ticket-side" aria-labelledby="ticket-heading">
        <a class="btn ghost back" href={`#/tickets/${props.view}`}>
          {t('back')}
        </a>
        <h2 id="ticket-heading">{ticket.subject}</h2>
        <p class="muted small">
          <span class="mono">{ticket.ticketId}</span> · {channelLabel(ticket.channel, t)} · {t('ticketCreatedAt', { time: formatTime(ticket.createdAt, locale) })}
          {ticket.createdBy.name ? ` · ${ticket.createdBy.name}` : ''}
        </p>
        <p class="ticket-pills">
          <span class={`status-pill ${ticket.status}`}>{ticketStatusLabel(ticket.status, t)}</span>
          <span class={`prio ${ticket.priority}`}>{priorityLabel(ticket.priority, t)}</span>
          {ticket.category && <span class="badge muted">{categoryLabel(ticket.category, t)}</span>}
          {ticket.waiting && <span class="badge warn-bg">{t('waitingInQueue')}</span>}
          {ticket.tier && <span class="badge muted">{t('tierIs', { tier: ticket.tier })}</span>}
        </p>
        {ticket.mergedInto && (
          <p class="notice">
            {t('ticketMergedInto')} <a href={`#/tickets/${props.view}/${encodeURIComponent(ticket.mergedInto)}`}>{ticket.mergedInto}</a>
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
        <h3>{t('slaHeading')}</h3>
        {data.clocks.length ? (
          <ul class="clocks">
            {data.clocks.map((c) => (
              <li key={c.metric}>
                <SlaBadge clock={c} warnAtPercent={policy?.warnAtPercent} />
                <span class="muted small">
                  {t('slaTarget', { target: c.targetMinutes ?? '–', used: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(c.elapsedMinutes ?? 0) })}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted small">{t('slaNone')}</p>
        )}
        <p class="muted small">
          {t('slaPolicyIs', { policy: pick(policy?.name, locale) || ticket.sla.policyId, version: ticket.sla.policyVersion })}
        </p>

        <dl class="requester">
          <dt>{t('requester')}</dt>
          <dd>{ticket.requester.name || t('anonymous', { id: ticket.requester.contactId.slice(-6) })}</dd>
          {ticket.requester.email && (
            <>
              <dt>{t('email')}</dt>
              <dd>{ticket.requester.email}</dd>
            </>
          )}
          {ticket.requester.phone && (
            <>
              <dt>{t('phone')}</dt>
              <dd>{ticket.requester.phone}</dd>
            </>
          )}
        </dl>

        <form class="ticket-form" onSubmit={save} noValidate aria-labelledby="ticket-edit-heading">
          <h3 id="ticket-edit-heading">{t('ticketEdit')}</h3>
          {other.length > 0 && (
            <p class="error" role="alert">
              {other.join(' ')}
            </p>
          )}
          <div class="field">
            <label for="tf-subject">{t('subject')}</label>
            <input id="tf-subject" value={draft.subject} maxLength={200} {...invalid('subject')} onInput={(e) => set('subject', e.currentTarget.value)} />
            {fieldError('subject')}
          </div>
          <div class="field-row">
            <div class="field">
              <label for="tf-status">{t('status')}</label>
              <select id="tf-status" value={draft.status} {...invalid('status')} onChange={(e) => set('status', e.currentTarget.value as TicketStatus)}>
                {TICKET_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {ticketStatusLabel(s, t)}
                  </option>
                ))}
              </select>
              {fieldError('status')}
            </div>
            <div class="field">
              <label for="tf-priority">{t('priority')}</label>
              <select id="tf-priority" value={draft.priority} {...invalid('priority')} onChange={(e) => set('priority', e.currentTarget.value as Priority)}>
                {PRIORITIES.map((p) => (
                  <option key={p} value={p}>
                    {priorityLabel(p, t)}
                  </option>
                ))}
              </select>
              {fieldError('priority')}
            </div>
          </div>
          <div class="field-row">
            <div class="field">
              <label for="tf-category">{t('category')}</label>
              <select id="tf-category" value={draft.category} {...invalid('category')} onChange={(e) => set('category', e.currentTarget.value)}>
                {!draft.category && <option value="">{t('none')}</option>}
                {CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {categoryLabel(c, t)}
                  </option>
                ))}
              </select>
              {fieldError('category')}
            </div>
            <div class="field">
              <label for="tf-team">{t('team')}</label>
              <select id="tf-team" value={draft.team} {...invalid('team')} onChange={(e) => set('team', e.currentTarget.value)}>
                {!draft.team && <option value="">{t('none')}</option>}
                {draft.team && !config?.teams.some((x) => x.teamId === draft.team) && <option value={draft.team}>{teamName(draft.team, config, t, locale)}</option>}
                {(config?.teams ?? []).map((x) => (
                  <option key={x.teamId} value={x.teamId}>
                    {pick(x.name, locale)}
                  </option>
                ))}
              </select>
              {fieldError('team')}
            </div>
          </div>
          <div class="field">
            <label for="tf-assignee">{t('assignee')}</label>
            <select id="tf-assignee" value={draft.assignee} {...invalid('assignee')} onChange={(e) => set('assignee', e.currentTarget.value)}>
              <option value="">{t('nobodyQueue')}</option>
              {ticket.assignee && !agents.some((a) => a.sub === ticket.assignee?.sub) && <option value={ticket.assignee.sub}>{ticket.assignee.name}</option>}
              {agents.map((a) => (
                <option key={a.sub} value={a.sub}>
                  {a.name || a.email} ({t(a.presence)})
                </option>
              ))}
            </select>
            {fieldError('assignee')}
          </div>
          <div class="field">
            <label for="tf-tags">{t('tags')}</label>
            <input id="tf-tags" value={draft.tags} {...invalid('tags')} aria-describedby={messagesFor(errors, 'tags').length ? 'tf-tags-error' : 'tf-tags-hint'} onInput={(e) => set('tags', e.currentTarget.value)} />
            <span id="tf-tags-hint" class="muted small">
              {t('tagsHint')}
            </span>
            {fieldError('tags')}
          </div>
          <div class="kb-actions">
            <button type="submit" class="btn primary" disabled={busy}>
              {busy ? t('saving') : t('save')}
            </button>
            {dirty && (
              <button
                type="button"
                class="btn"
                onClick={() => {
                  formVersion.current = undefined;
                  void load(true);
                }}
              >
                {t('discard')}
              </button>
            )}
          </div>
        </form>

        <MergeForm store={store} ticket={ticket} view={props.view} onMerged={() => void load(true)} />

        <h3>{t('auditTrail')}</h3>
        <ol class="audit" aria-label={t('auditTrail')}>
          {[...data.audit].reverse().map((a) => (
            <li key={a.auditId} data-action={a.action}>
              <time dateTime={a.at}>{formatTime(a.at, locale)}</time>
              <span class="audit-who">{a.actor.name || t(a.actor.kind === 'staff' ? 'agent' : a.actor.kind === 'visitor' ? 'visitor' : a.actor.kind === 'bot' ? 'bot' : 'system')}</span>
              <span class="audit-text">{pick(a.text, locale)}</span>
            </li>
          ))}
        </ol>
        <CustomerPanel api={store.api} contactId={ticket.requester.contactId} />
      </section>
      <div class="ticket-thread">
        <ConversationView store={inbox} conversationId={ticket.conversationId} view="open" embedded />
      </div>
    </div>
  );
}

function MergeForm(props: { store: TicketStore; ticket: Ticket; view: TicketView; onMerged: () => void }) {
  const { t } = useI18n();
  const [into, setInto] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string; target?: string }>();
  const resultLine = result && (
    <p id="merge-result" class={result.ok ? 'notice ok' : 'error'} role={result.ok ? 'status' : 'alert'}>
      {result.text}{' '}
      {result.target && <a href={`#/tickets/${props.view}/${encodeURIComponent(result.target)}`}>{result.target}</a>}
    </p>
  );
  if (props.ticket.mergedInto || props.ticket.status === 'closed') return resultLine ?? null;

  const merge = async (event: Event) => {
    event.preventDefault();
    const target = into.trim();
    if (!/^tkt_[0-9a-z]{26}$/.test(target)) {
      setResult({ ok: false, text: t('mergeInvalid') });
      return;
    }
    setBusy(true);
    try {
      await props.store.api.call(`/tickets/${encodeURIComponent(props.ticket.ticketId)}/merge`, { into: target, version: props.ticket.version });
      setResult({ ok: true, text: t('mergeDone'), target });
      props.onMerged();
    } catch (err) {
      setResult({ ok: false, text: err instanceof ApiError && err.status === 409 ? t('ticketConflict') : t('ticketSaveFailed', { message: err instanceof Error ? err.message : String(err) }) });
      if (err instanceof ApiError && err.status === 409) props.onMerged();
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="merge">
      <summary>{t('mergeTitle')}</summary>
      <form onSubmit={merge} noValidate class="inline-form">
        <p class="muted small">{t('mergeHint')}</p>
        <label for="merge-into">{t('mergeInto')}</label>
        <input id="merge-into" class="mono" placeholder="tkt_…" value={into} onInput={(e) => setInto(e.currentTarget.value)} aria-describedby={result ? 'merge-result' : undefined} />
        <button type="submit" class="btn" disabled={busy}>
          {t('merge')}
        </button>
      </form>
      {resultLine}
    </details>
  );
}

/** Logs a phone call or an email as a ticket: classified, routed, assigned and SLA-timed by the server. */
function NewTicket(props: { store: TicketStore; view: TicketView }) {
  const { t, locale } = useI18n();
  useTickets(props.store);
  const [form, setForm] = useState<NewTicketForm>(emptyTicketForm);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const set = <K extends keyof NewTicketForm>(key: K, value: NewTicketForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = ticketFormProblems(form);
    setProblems(found);
    if (found.length) return;
    setBusy(true);
    setErrors([]);
    setFailure(undefined);
    try {
      const result = await props.store.api.call<{ ticket: Ticket }>('/tickets', newTicketBody(form));
      props.store.update(result.ticket);
      location.hash = `#/tickets/${props.view}/${encodeURIComponent(result.ticket.ticketId)}`;
    } catch (err) {
      setErrors(fieldErrors(err));
      setFailure(t('ticketSaveFailed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };

  const messages = (path: string, local?: ConsoleKey) => [...(local && problems.includes(path) ? [t(local)] : []), ...messagesFor(errors, path)];
  const described = (path: string, local?: ConsoleKey) => (messages(path, local).length ? { 'aria-invalid': true as const, 'aria-describedby': `nt-${path}-error` } : {});
  const errorLine = (path: string, local?: ConsoleKey) => {
    const list = messages(path, local);
    return list.length ? (
      <span id={`nt-${path}-error`} class="field-error">
        {list.join(' ')}
      </span>
    ) : null;
  };
  const other = unclaimed(errors, ['channel', 'subject', 'text', 'requester', 'priority', 'category', 'team']);

  return (
    <section class="kb pad" aria-labelledby="new-ticket-heading">
      <a class="btn ghost" href={`#/tickets/${props.view}`}>
        ← {t('backToTickets')}
      </a>
      <h1 id="new-ticket-heading">{t('ticketNewTitle')}</h1>
      <p class="muted">{t('ticketNewIntro')}</p>
      {failure && (
        <p class="error" role="alert">
          {failure} {other.join(' ')}
        </p>
      )}
      <form class="kb-form" onSubmit={submit} noValidate>
        <fieldset class="field">
          <legend class="label">{t('channel')}</legend>
          <div class="radio-row">
            {(['phone', 'email'] as const).map((c) => (
              <label key={c}>
                <input type="radio" name="nt-channel" value={c} checked={form.channel === c} onChange={() => set('channel', c)} /> {channelLabel(c, t)}
              </label>
            ))}
          </div>
        </fieldset>
        <div class="kb-fields">
          <div class="field">
            <label for="nt-name">{t('requesterName')}</label>
            <input id="nt-name" value={form.name} autocomplete="off" {...described('requester', 'requesterRequired')} onInput={(e) => set('name', e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="nt-email">{t('email')}</label>
            <input id="nt-email" type="email" value={form.email} autocomplete="off" {...described('requester', 'requesterRequired')} onInput={(e) => set('email', e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="nt-phone">{t('phone')}</label>
            <input id="nt-phone" type="tel" value={form.phone} autocomplete="off" {...described('requester', 'requesterRequired')} onInput={(e) => set('phone', e.currentTarget.value)} />
          </div>
        </div>
        {errorLine('requester', 'requesterRequired')}
        <div class="field">
          <label for="nt-subject">{t('subject')}</label>
          <input id="nt-subject" value={form.subject} maxLength={200} {...described('subject', 'subjectRequired')} onInput={(e) => set('subject', e.currentTarget.value)} />
          {errorLine('subject', 'subjectRequired')}
        </div>
        <div class="field">
          <label for="nt-text">{t('ticketText')}</label>
          <textarea id="nt-text" rows={6} value={form.text} maxLength={4000} {...described('text', 'textRequired')} onInput={(e) => set('text', e.currentTarget.value)} />
          {errorLine('text', 'textRequired')}
        </div>
        <div class="kb-fields">
          <div class="field">
            <label for="nt-priority">{t('priority')}</label>
            <select id="nt-priority" value={form.priority} onChange={(e) => set('priority', e.currentTarget.value as NewTicketForm['priority'])}>
              <option value="">{t('automatic')}</option>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {priorityLabel(p, t)}
                </option>
              ))}
            </select>
            {errorLine('priority')}
          </div>
          <div class="field">
            <label for="nt-category">{t('category')}</label>
            <select id="nt-category" value={form.category} onChange={(e) => set('category', e.currentTarget.value)}>
              <option value="">{t('automatic')}</option>
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {categoryLabel(c, t)}
                </option>
              ))}
            </select>
            {errorLine('category')}
          </div>
          <div class="field">
            <label for="nt-team">{t('team')}</label>
            <select id="nt-team" value={form.team} onChange={(e) => set('team', e.currentTarget.value)}>
              <option value="">{t('automaticRouting')}</option>
              {(props.store.config?.teams ?? []).map((x) => (
                <option key={x.teamId} value={x.teamId}>
                  {pick(x.name, locale)}
                </option>
              ))}
            </select>
            {errorLine('team')}
          </div>
        </div>
        <div class="kb-actions">
          <button type="submit" class="btn primary" disabled={busy}>
            {busy ? t('saving') : t('ticketCreate')}
          </button>
        </div>
      </form>
    </section>
  );
}
