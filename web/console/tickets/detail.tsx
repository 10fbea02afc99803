/** One ticket: header, SLA clocks, the edit form, merge, audit trail, the customer and the linked thread. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatTime } from '../../lib/format.ts';
import { ApiError, type FieldError, fieldErrors } from '../../lib/http.ts';
import type { ClockLike } from '../../lib/sla.ts';
import type { Bilingual, Priority, Ticket, TicketStatus } from '../../lib/types.ts';
import { ConversationView } from '../conversation.tsx';
import { CustomerPanel } from '../customer360.tsx';
import '../i18n-ticket-screens.ts';
import { useI18n } from '../i18n.ts';
import { type InboxStore, useStore } from '../inbox-store.ts';
import { errorMessage, failureNotice, fieldHelpers, LoadError, Loading, type Notice, NoticeLine, pickText, SelectField, TextField } from '../kit/index.ts';
import { categoryLabel, channelLabel, priorityLabel, teamName, ticketStatusLabel } from '../labels.ts';
import { SlaBadge } from '../sla-badge.tsx';
import { CATEGORIES, draftOfTicket, PRIORITIES, TICKET_STATUSES, type TicketDraft, ticketChanges, unclaimed } from '../tickets-state.ts';
import type { TicketStore } from '../tickets-store.ts';
import { AfterSalesPanel } from './aftersales.tsx';
import { TicketEmails } from './emails.tsx';

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

/**
 * One ticket: header, live SLA clocks, the edit form (PATCH with the version loaded; a 409 says
 * someone else changed it and loads the newer state), merge, the audit trail, and the linked
 * conversation thread (reply and internal notes as in the inbox).
 */
export function TicketDetail(props: { store: TicketStore; inbox: InboxStore; ticketId: string; listHref: string; backLabel?: string }) {
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
      setLoadError(err instanceof ApiError && err.status === 404 ? t('ticketNotFound') : errorMessage(err));
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

  if (loadError && !data) return <LoadError class="pad" message={loadError} onRetry={() => void load(true)} />;
  if (!data || !draft) return <Loading class="pad" />;
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
        setNotice(failureNotice(err, t));
      }
    } finally {
      setBusy(false);
    }
  };

  const agents = inbox.staff.filter((s) => s.roles.some((r) => r === 'agent' || r === 'supervisor' || r === 'admin'));
  const f = fieldHelpers(errors, 'tf');
  const other = unclaimed(errors, ['subject', 'status', 'priority', 'category', 'team', 'assignee', 'tags']);

  return (
    <div class="ticket-detail">
      <section class="ticket-side" aria-labelledby="ticket-heading">
        <a class="btn ghost back" href={props.listHref}>
          {props.backLabel ?? t('back')}
        </a>
        <h2 id="ticket-heading">{ticket.subject}</h2>
        <p class="muted small">
          <span class="mono">{ticket.ticketId}</span> · {channelLabel(ticket.channel, t)} ·{' '}
          {t('ticketCreatedAt', { time: formatTime(ticket.createdAt, locale) })}
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
            {t('ticketMergedInto')} <a href={`${props.listHref}/${encodeURIComponent(ticket.mergedInto)}`}>{ticket.mergedInto}</a>
          </p>
        )}
        <NoticeLine notice={notice} />
        <AfterSalesPanel api={store.api} ticket={ticket} onChanged={() => void load(false)} />
        <h3>{t('slaHeading')}</h3>
        {data.clocks.length ? (
          <ul class="clocks">
            {data.clocks.map((c) => (
              <li key={c.metric}>
                <SlaBadge clock={c} warnAtPercent={policy?.warnAtPercent} />
                <span class="muted small">
                  {t('slaTarget', {
                    target: c.targetMinutes ?? '–',
                    used: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(c.elapsedMinutes ?? 0),
                  })}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted small">{t('slaNone')}</p>
        )}
        <p class="muted small">{t('slaPolicyIs', { policy: pickText(policy?.name, locale) || ticket.sla.policyId, version: ticket.sla.policyVersion })}</p>

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
          <TextField id="tf-subject" label={t('subject')} value={draft.subject} maxLength={200} errors={f} path="subject" onInput={(v) => set('subject', v)} />
          <div class="field-row">
            <SelectField
              id="tf-status"
              label={t('status')}
              value={draft.status}
              errors={f}
              path="status"
              options={TICKET_STATUSES.map((s) => ({ value: s, label: ticketStatusLabel(s, t) }))}
              onChange={(v) => set('status', v as TicketStatus)}
            />
            <SelectField
              id="tf-priority"
              label={t('priority')}
              value={draft.priority}
              errors={f}
              path="priority"
              options={PRIORITIES.map((p) => ({ value: p, label: priorityLabel(p, t) }))}
              onChange={(v) => set('priority', v as Priority)}
            />
          </div>
          <div class="field-row">
            <SelectField
              id="tf-category"
              label={t('category')}
              value={draft.category}
              errors={f}
              path="category"
              blank={draft.category ? undefined : t('none')}
              options={CATEGORIES.map((c) => ({ value: c, label: categoryLabel(c, t) }))}
              onChange={(v) => set('category', v)}
            />
            <SelectField
              id="tf-team"
              label={t('team')}
              value={draft.team}
              errors={f}
              path="team"
              blank={draft.team ? undefined : t('none')}
              options={[
                ...(draft.team && !config?.teams.some((x) => x.teamId === draft.team)
                  ? [{ value: draft.team, label: teamName(draft.team, config, t, locale) }]
                  : []),
                ...(config?.teams ?? []).map((x) => ({ value: x.teamId, label: pickText(x.name, locale) })),
              ]}
              onChange={(v) => set('team', v)}
            />
          </div>
          <SelectField
            id="tf-assignee"
            label={t('assignee')}
            value={draft.assignee}
            errors={f}
            path="assignee"
            blank={t('nobodyQueue')}
            options={[
              ...(ticket.assignee && !agents.some((a) => a.sub === ticket.assignee?.sub) ? [{ value: ticket.assignee.sub, label: ticket.assignee.name }] : []),
              ...agents.map((a) => ({ value: a.sub, label: `${a.name || a.email} (${t(a.presence)})` })),
            ]}
            onChange={(v) => set('assignee', v)}
          />
          <TextField id="tf-tags" label={t('tags')} value={draft.tags} errors={f} path="tags" hint={t('tagsHint')} onInput={(v) => set('tags', v)} />
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

        <MergeForm store={store} ticket={ticket} listHref={props.listHref} onMerged={() => void load(true)} />

        <h3>{t('auditTrail')}</h3>
        <ol class="audit" aria-label={t('auditTrail')}>
          {[...data.audit].reverse().map((a) => (
            <li key={a.auditId} data-action={a.action}>
              <time dateTime={a.at}>{formatTime(a.at, locale)}</time>
              <span class="audit-who">
                {a.actor.name || t(a.actor.kind === 'staff' ? 'agent' : a.actor.kind === 'visitor' ? 'visitor' : a.actor.kind === 'bot' ? 'bot' : 'system')}
              </span>
              <span class="audit-text">{pickText(a.text, locale)}</span>
            </li>
          ))}
        </ol>
        <TicketEmails api={store.api} inbox={inbox} ticket={ticket} />
        <CustomerPanel api={store.api} contactId={ticket.requester.contactId} />
      </section>
      <div class="ticket-thread">
        <ConversationView store={inbox} conversationId={ticket.conversationId} view="open" embedded />
      </div>
    </div>
  );
}

function MergeForm(props: { store: TicketStore; ticket: Ticket; listHref: string; onMerged: () => void }) {
  const { t } = useI18n();
  const [into, setInto] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string; target?: string }>();
  const resultLine = result && (
    <p id="merge-result" class={result.ok ? 'notice ok' : 'error'} role={result.ok ? 'status' : 'alert'}>
      {result.text} {result.target && <a href={`${props.listHref}/${encodeURIComponent(result.target)}`}>{result.target}</a>}
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
      setResult({ ok: false, text: err instanceof ApiError && err.status === 409 ? t('ticketConflict') : t('kitSaveFailed', { message: errorMessage(err) }) });
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
        <input
          id="merge-into"
          class="mono"
          placeholder="tkt_…"
          value={into}
          onInput={(e) => setInto(e.currentTarget.value)}
          aria-describedby={result ? 'merge-result' : undefined}
        />
        <button type="submit" class="btn" disabled={busy}>
          {t('merge')}
        </button>
      </form>
      {resultLine}
    </details>
  );
}
