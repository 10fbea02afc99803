import { useEffect, useState } from 'preact/hooks';
import type { Bilingual, ServerFrame, SlaMetric, Ticket } from '../lib/types.ts';
import type { StaffApi } from './auth.ts';
import type { TicketView } from './inbox-state.ts';
import type { InboxStore } from './inbox-store.ts';
import { errorMessage } from './kit/text.ts';
import { type AtRiskEntry, inTicketView, sortTickets } from './tickets-state.ts';

/** `GET /ticket-config`: what routing, assignment and SLA run on (shared/tickets/store.ts). */
export interface TicketConfig {
  rules: RoutingRule[];
  teams: Team[];
  policies: SlaPolicy[];
  calendars: Record<string, Calendar>;
  defaultTeam: string;
  defaultPolicy: string;
}

export type Targets = Partial<Record<SlaMetric, number>>;

export interface SlaPolicy {
  policyId: string;
  version: number;
  createdAt: string;
  name: Bilingual;
  calendarId: string;
  targets: Record<string, Targets>;
  tierTargets?: Record<string, Record<string, Targets>>;
  warnAtPercent: number;
  breachActions: string[];
  escalateTo?: string;
}

export interface Calendar {
  timeZone: string;
  days: Partial<Record<string, [string, string]>>;
  holidays?: string[];
}

export interface Team {
  teamId: string;
  name: Bilingual;
  members: string[];
  mode: 'round_robin' | 'least_loaded';
  capacity: number;
  capacities?: Record<string, number>;
  supervisor?: string;
  calendarId?: string;
}

export interface RoutingRule {
  ruleId: string;
  name: Bilingual;
  enabled: boolean;
  when: {
    channels?: string[];
    categories?: string[];
    priorities?: string[];
    languages?: string[];
    tiers?: string[];
    tagsAny?: string[];
    businessHours?: 'open' | 'closed';
  };
  then: { team?: string; priority?: string; addTags?: string[]; slaPolicyId?: string };
}

/** An SLA warning or breach pushed to the console (shown as a notice with a link to the ticket). */
export interface SlaAlert {
  id: number;
  kind: 'warn' | 'breach';
  ticketId: string;
  metric: SlaMetric;
  subject: string;
  text: Bilingual;
  at: number;
}

const AT_RISK_WINDOW_MINUTES = 120;
const ALERTS_KEPT = 4;
const ALERT_MS = 20_000;

/**
 * Live ticket state for the console: every ticket a list has shown, kept current by the staff
 * WebSocket (`ticket` and `sla` frames from the InboxStore's socket), the ticket configuration,
 * and the latest SLA alerts. List views filter the map with the server's rules, so tickets move
 * between views without a reload; the SLA-at-risk view is re-read (debounced) when tickets change.
 */
export class TicketStore {
  readonly api: StaffApi;
  readonly me: string;
  private readonly supervisor: boolean;
  private readonly tickets = new Map<string, Ticket>();
  /** `${ticketId}#${metric}` of clocks the server has warned about. */
  private readonly warnedClocks = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private readonly frameListeners = new Set<(frame: ServerFrame | { type: 'reconnected' }) => void>();
  private unsubscribe: (() => void) | undefined;
  private atRiskTimer: ReturnType<typeof setTimeout> | undefined;
  private alertSeq = 0;
  atRisk: AtRiskEntry[] | undefined;
  loaded = new Set<string>();
  loadError: string | undefined;
  config: TicketConfig | undefined;
  alerts: SlaAlert[] = [];
  revision = 0;

  constructor(inbox: InboxStore, roles: readonly string[]) {
    this.api = inbox.api;
    this.me = inbox.me;
    this.supervisor = roles.includes('supervisor') || roles.includes('admin');
    this.unsubscribe = inbox.onFrames((frame) => this.onFrame(frame));
  }

  stop(): void {
    this.unsubscribe?.();
    clearTimeout(this.atRiskTimer);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ticket and SLA frames (and `reconnected`) for an open ticket view. */
  onFrames(listener: (frame: ServerFrame | { type: 'reconnected' }) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  async loadConfig(force = false): Promise<TicketConfig | undefined> {
    if (this.config && !force) return this.config;
    try {
      this.config = await this.api.call<TicketConfig>('/ticket-config');
      this.changed();
    } catch (err) {
      console.warn('[kefu] ticket configuration unavailable', err);
    }
    return this.config;
  }

  /** Loads a list view from the server and merges what it returns. */
  async load(view: TicketView, team: string | undefined): Promise<void> {
    try {
      if (view === 'sla_at_risk') {
        const page = await this.api.call<{ items: AtRiskEntry[] }>(`/tickets?view=sla_at_risk&within=${AT_RISK_WINDOW_MINUTES}`);
        for (const entry of page.items) if (entry.ticket) this.put(entry.ticket);
        this.atRisk = page.items;
      } else {
        if (view === 'team' && !team) return;
        const query = view === 'team' ? `view=team&team=${encodeURIComponent(team!)}` : `view=${view}`;
        const page = await this.api.call<{ items: Ticket[] }>(`/tickets?${query}`);
        for (const ticket of page.items) this.put(ticket);
      }
      this.loaded.add(view === 'team' ? `team:${team}` : view);
      this.loadError = undefined;
    } catch (err) {
      this.loadError = errorMessage(err);
    }
    this.changed();
  }

  isLoaded(view: TicketView, team: string | undefined): boolean {
    return this.loaded.has(view === 'team' ? `team:${team}` : view);
  }

  /** The tickets of a list view, in list order. */
  view(view: Exclude<TicketView, 'sla_at_risk'>, team: string | undefined): Ticket[] {
    return sortTickets(
      view,
      [...this.tickets.values()].filter((t) => inTicketView(view, t, this.me, team)),
    );
  }

  /** The SLA-at-risk entries with their newest known ticket headers (closed ones dropped). */
  atRiskEntries(): AtRiskEntry[] {
    return (this.atRisk ?? [])
      .map((e) => ({ ...e, ticket: this.tickets.get(e.ticketId) ?? e.ticket }))
      .filter((e) => e.ticket && e.ticket.status !== 'solved' && e.ticket.status !== 'closed');
  }

  get(ticketId: string): Ticket | undefined {
    return this.tickets.get(ticketId);
  }

  warned(ticketId: string, metric: SlaMetric): boolean {
    return this.warnedClocks.has(`${ticketId}#${metric}`);
  }

  /** Records a ticket header (an older version never overwrites a newer one). */
  put(ticket: Ticket): void {
    const existing = this.tickets.get(ticket.ticketId);
    if (existing && existing.version > ticket.version) return;
    this.tickets.set(ticket.ticketId, ticket);
  }

  update(ticket: Ticket): void {
    this.put(ticket);
    this.scheduleAtRisk();
    this.changed();
  }

  dismissAlert(id: number): void {
    this.alerts = this.alerts.filter((a) => a.id !== id);
    this.changed();
  }

  private onFrame(frame: ServerFrame | { type: 'reconnected' }): void {
    if (frame.type === 'ticket') {
      this.put(frame.ticket);
      this.scheduleAtRisk();
    } else if (frame.type === 'sla') {
      if (frame.kind === 'warn') this.warnedClocks.add(`${frame.ticketId}#${frame.metric}`);
      this.scheduleAtRisk();
      const ticket = this.tickets.get(frame.ticketId);
      const concernsMe = frame.assignee === this.me || frame.escalatedTo === this.me || ticket?.assignee?.sub === this.me;
      if (concernsMe || (this.supervisor && frame.kind === 'breach')) this.alert(frame);
    } else if (frame.type === 'reconnected') {
      for (const key of this.loaded) {
        if (key.startsWith('team:')) void this.load('team', key.slice(5));
        else void this.load(key as TicketView, undefined);
      }
    } else return;
    for (const listener of this.frameListeners) listener(frame);
    this.changed();
  }

  private alert(frame: Extract<ServerFrame, { type: 'sla' }>): void {
    const alert: SlaAlert = {
      id: ++this.alertSeq,
      kind: frame.kind,
      ticketId: frame.ticketId,
      metric: frame.metric,
      subject: frame.subject,
      text: frame.text,
      at: Date.now(),
    };
    this.alerts = [alert, ...this.alerts].slice(0, ALERTS_KEPT);
    setTimeout(() => this.dismissAlert(alert.id), ALERT_MS);
  }

  /** The at-risk list comes from the server's clock index: re-read it shortly after tickets change. */
  private scheduleAtRisk(): void {
    if (!this.loaded.has('sla_at_risk')) return;
    clearTimeout(this.atRiskTimer);
    this.atRiskTimer = setTimeout(() => void this.load('sla_at_risk', undefined), 400);
  }

  private changed(): void {
    this.revision++;
    for (const listener of this.listeners) listener();
  }
}

/** Re-renders the calling component whenever the ticket store changes. */
export function useTickets(store: TicketStore): number {
  const [revision, setRevision] = useState(store.revision);
  useEffect(() => store.subscribe(() => setRevision(store.revision)), [store]);
  return revision;
}
