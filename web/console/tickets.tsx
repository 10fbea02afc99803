/**
 * Tickets: the four list views beside the selected ticket (tickets/detail.tsx), the new-ticket form
 * (tickets/new-ticket.tsx) and the search (tickets/search.tsx, loaded on first use).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { formatTime } from '../lib/format.ts';
import { type ClockLike, headerClock, targetMinutes } from '../lib/sla.ts';
import type { SlaMetric, Ticket } from '../lib/types.ts';
import './i18n-ticket-screens.ts';
import { type ConsoleKey, useI18n } from './i18n.ts';
import { TICKET_VIEWS, type TicketView } from './inbox-state.ts';
import type { InboxStore } from './inbox-store.ts';
import { LoadError, Loading, lazyPage, pickText } from './kit/index.ts';
import { channelLabel, priorityLabel, teamName, ticketStatusLabel } from './labels.ts';
import { SlaBadge } from './sla-badge.tsx';
import { TicketDetail } from './tickets/detail.tsx';
import type { AtRiskEntry } from './tickets-state.ts';
import { type TicketStore, useTickets } from './tickets-store.ts';

const VIEW_LABEL: Record<TicketView, ConsoleKey> = {
  mine: 'ticketsMine',
  unassigned: 'ticketsUnassigned',
  team: 'ticketsTeam',
  sla_at_risk: 'ticketsAtRisk',
};

const NewTicket = lazyPage<{ store: TicketStore; view: TicketView }>(() => import('./tickets/new-ticket.tsx').then((m) => m.NewTicket));
const TicketSearch = lazyPage<{ store: TicketStore; inbox: InboxStore; ticketId: string | undefined; nav: ComponentChildren }>(() =>
  import('./tickets/search.tsx').then((m) => m.TicketSearch),
);

const TEAM_KEY = 'kefu:console:team';

function readTeam(): string | undefined {
  try {
    return localStorage.getItem(TEAM_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Where the ticket views are (the four lists and the search). */
function ViewNav(props: { store: TicketStore; current: TicketView | 'search'; count: (v: TicketView) => number }) {
  const { t } = useI18n();
  return (
    <nav aria-label={t('ticketViews')}>
      <ul class="views">
        {TICKET_VIEWS.map((v) => (
          <li key={v}>
            <a href={`#/tickets/${v}`} aria-current={v === props.current ? 'page' : undefined} data-view={v}>
              {t(VIEW_LABEL[v])}
              <span class={`count${v === 'sla_at_risk' && props.count(v) > 0 ? '' : ' quiet'}`} aria-label={t('ticketCount', { count: props.count(v) })}>
                {props.count(v)}
              </span>
            </a>
          </li>
        ))}
        <li>
          <a href="#/tickets/search" aria-current={props.current === 'search' ? 'page' : undefined} data-view="search">
            {t('ticketSearch')}
          </a>
        </li>
      </ul>
    </nav>
  );
}

/** Tickets: the four list views beside the selected ticket, the new-ticket form, or the search. */
export function TicketsPage(props: { store: TicketStore; inbox: InboxStore; view: TicketView; ticketId: string | undefined; search?: boolean }) {
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

  const count = (v: TicketView) => (v === 'sla_at_risk' ? store.atRiskEntries().length : store.view(v, chosenTeam).length);
  if (ticketId === 'new') return <NewTicket store={store} view={view} />;
  if (props.search) return <TicketSearch store={store} inbox={inbox} ticketId={ticketId} nav={<ViewNav store={store} current="search" count={count} />} />;

  const atRisk = view === 'sla_at_risk' ? store.atRiskEntries() : [];
  const items = view === 'sla_at_risk' ? [] : store.view(view, chosenTeam);
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
        <ViewNav store={store} current={view} count={count} />
        {view === 'team' && (
          <label class="team-pick">
            {t('team')}{' '}
            <select value={chosenTeam ?? ''} onChange={(e) => setTeam(e.currentTarget.value)}>
              {teams.map((x) => (
                <option key={x.teamId} value={x.teamId}>
                  {pickText(x.name, locale)}
                </option>
              ))}
            </select>
          </label>
        )}
        {store.loadError && <LoadError class="pad" message={store.loadError} />}
        {!loaded && !store.loadError && <Loading class="pad" />}
        {loaded && (view === 'sla_at_risk' ? atRisk.length === 0 : items.length === 0) && <p class="muted pad">{t('noTickets')}</p>}
        <ul class="conversations" aria-label={t(VIEW_LABEL[view])}>
          {view === 'sla_at_risk'
            ? atRisk.map((e) => (
                <TicketRow key={`${e.ticketId}#${e.metric}`} store={store} ticket={e.ticket!} href={`#/tickets/${view}`} selected={ticketId} entry={e} />
              ))
            : items.map((x) => <TicketRow key={x.ticketId} store={store} ticket={x} href={`#/tickets/${view}`} selected={ticketId} />)}
        </ul>
      </section>
      <section class="inbox-detail">
        {ticketId ? (
          <TicketDetail key={ticketId} store={store} inbox={inbox} ticketId={ticketId} listHref={`#/tickets/${view}`} />
        ) : (
          <p class="muted center">{t('selectTicket')}</p>
        )}
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
    clock: {
      ...base,
      ...(target !== undefined ? { targetMinutes: target } : {}),
      ...(store.warned(ticket.ticketId, base.metric) ? { warnedAt: 'pushed' } : {}),
    },
    warnAtPercent: policy?.warnAtPercent ?? 80,
  };
}

/** One ticket in a list (its link opens the ticket under `href`). */
export function TicketRow(props: { store: TicketStore; ticket: Ticket; href: string; selected: string | undefined; entry?: AtRiskEntry }) {
  const { t, locale } = useI18n();
  const { ticket } = props;
  const shown = rowClock(props.store, ticket, props.entry);
  const breachedOther = ticket.sla.breached.filter((m) => m !== shown?.clock.metric);
  return (
    <li>
      <a
        href={`${props.href}/${encodeURIComponent(ticket.ticketId)}`}
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
