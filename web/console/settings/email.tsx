/**
 * Settings › email: the email outbox (what was sent, to whom, delivery state, retries), and one
 * ticket's emails, which the ticket view loads from this chunk (tickets/emails.tsx).
 */
import { useState } from 'preact/hooks';
import { formatTime } from '../../lib/format.ts';
import { ApiError } from '../../lib/http.ts';
import type { Locale } from '../../lib/types.ts';
import type { StaffApi } from '../auth.ts';
import '../i18n-shop.ts';
import '../i18n-suppressions.ts';
import { type Translate, useI18n } from '../i18n.ts';
import { Async, type Column, DataTable, LoadError, lazyPage, SelectField, usePagedResource, useResource } from '../kit/index.ts';
import type { SettingsSectionProps } from './common.tsx';

/** One row of the email outbox as the route answers it. */
export interface OutboxEmail {
  messageId: string;
  /** `ticket_reply` or `marketing`. */
  kind: string;
  to: string;
  subject: string;
  text?: string;
  status?: string;
  createdAt: string;
  ticketId?: string;
  campaignId?: string;
  attempts?: number;
  lastError?: string;
}

export const EMAIL_STATES = ['pending', 'sent', 'failed'] as const;

export function emailStateLabel(status: string | undefined, t: Translate): string {
  const s = status ?? 'pending';
  return s === 'pending' ? t('emPending') : s === 'sent' ? t('emSent') : s === 'failed' ? t('emFailed') : s;
}

function EmailState(props: { status: string | undefined }) {
  const { t } = useI18n();
  const s = props.status ?? 'pending';
  return <span class={`badge ${s === 'sent' ? 'ok' : s === 'failed' ? 'danger-bg' : 'muted'}`}>{emailStateLabel(s, t)}</span>;
}

/** The columns both lists show: time, recipient, subject (with the text on demand), state, attempts, last error. */
export function emailColumns(t: Translate, locale: Locale): Column<OutboxEmail>[] {
  return [
    { key: 'time', header: t('emColTime'), cell: (e) => <time dateTime={e.createdAt}>{formatTime(e.createdAt, locale)}</time> },
    { key: 'to', header: t('emColTo'), cell: (e) => <span class="mono">{e.to}</span> },
    {
      key: 'subject',
      header: t('emColSubject'),
      rowHeader: true,
      cell: (e) => (
        <>
          {e.subject}
          {e.text && (
            <details class="email-text">
              <summary class="muted small">{t('emShowText')}</summary>
              <p>{e.text}</p>
            </details>
          )}
        </>
      ),
    },
    { key: 'state', header: t('emState'), cell: (e) => <EmailState status={e.status} /> },
    { key: 'attempts', header: t('emColAttempts'), cell: (e) => e.attempts ?? 0 },
    { key: 'error', header: t('emColError'), cell: (e) => e.lastError ?? t('emNone') },
  ];
}

/** The narrow variant beside a ticket: time, subject, and the state with its attempts and last error under it. */
function compactColumns(t: Translate, locale: Locale): Column<OutboxEmail>[] {
  const [time, , subject] = emailColumns(t, locale) as [Column<OutboxEmail>, Column<OutboxEmail>, Column<OutboxEmail>];
  return [
    time,
    subject,
    {
      key: 'state',
      header: t('emState'),
      cell: (e) => (
        <>
          <EmailState status={e.status} />
          {(e.attempts ?? 0) > 0 && <div class="muted small">{t('emAttemptsCount', { count: e.attempts ?? 0 })}</div>}
          {e.lastError && <div class="error small">{e.lastError}</div>}
        </>
      ),
    },
  ];
}

interface Page {
  items: OutboxEmail[];
  cursor?: string;
}

const KINDS = ['ticket_reply', 'marketing'] as const;

/** Settings › 邮件 › 退信与投诉名单 (admins): its own chunk, loaded when opened. */
const SuppressedAddresses = lazyPage<SettingsSectionProps>(() => import('./email-suppressions.tsx').then((m) => m.SuppressedAddresses));

/** Settings › email: the outbox, or (admins, `#/settings/email/suppressions`) the suppression list. */
export function EmailOutbox(props: SettingsSectionProps) {
  const admin = props.roles.includes('admin');
  if (props.itemId === 'suppressions' && admin) return <SuppressedAddresses {...props} />;
  return <OutboxList {...props} admin={admin} />;
}

/** The outbox, newest first, filtered by delivery state and type; each row links to its ticket. */
function OutboxList(props: SettingsSectionProps & { admin: boolean }) {
  const { t, locale } = useI18n();
  const [status, setStatus] = useState('');
  const [kind, setKind] = useState('');
  const query = (cursor?: string) => {
    const q = new URLSearchParams();
    if (kind) q.set('kind', kind);
    if (status) q.set('status', status);
    if (cursor) q.set('cursor', cursor);
    const text = q.toString();
    return `/email/outbox${text ? `?${text}` : ''}`;
  };
  const { first, rows, cursor, loadMore, moreError } = usePagedResource((c?: string) => props.api.call<Page>(query(c)), [props.api, status, kind]);
  const columns = [
    ...emailColumns(t, locale),
    {
      key: 'link',
      header: t('emColLink'),
      cell: (e: OutboxEmail) =>
        e.ticketId ? (
          <a class="mono" href={`#/tickets/search/${encodeURIComponent(e.ticketId)}`}>
            {e.ticketId}
          </a>
        ) : e.campaignId ? (
          <span class="muted small">{t('emCampaign', { id: e.campaignId })}</span>
        ) : (
          t('emNone')
        ),
    },
  ];

  return (
    <section class="email-outbox" aria-labelledby="email-outbox-heading">
      <div class="kb-head">
        <h2 id="email-outbox-heading">{t('setEmail')}</h2>
        <button type="button" class="btn small" disabled={first.loading} onClick={() => void first.reload()}>
          {t('whRefresh')}
        </button>
      </div>
      <p class="muted small">{t('emIntro')}</p>
      {props.admin && (
        <p>
          <a href="#/settings/email/suppressions">{t('supOpen')}</a>
        </p>
      )}
      <div class="kb-filters">
        <SelectField
          id="outbox-status"
          label={t('emState')}
          value={status}
          blank={t('emAllStates')}
          options={EMAIL_STATES.map((s) => ({ value: s, label: emailStateLabel(s, t) }))}
          onChange={setStatus}
        />
        <SelectField
          id="outbox-kind"
          label={t('emKind')}
          value={kind}
          blank={t('emAllKinds')}
          options={KINDS.map((k) => ({ value: k, label: k === 'ticket_reply' ? t('emTicketReply') : t('emMarketing') }))}
          onChange={setKind}
        />
      </div>
      <Async resource={first}>
        {() => (
          <>
            <DataTable<OutboxEmail>
              rows={rows}
              rowKey={(e) => e.messageId}
              caption={t('setEmail')}
              empty={cursor ? t('emMoreHint') : t('emEmpty')}
              rowProps={(e) => ({ 'data-email': e.messageId })}
              columns={columns}
            />
            {moreError && <LoadError message={moreError} onRetry={() => void loadMore()} />}
            {cursor && (
              <button type="button" class="btn" onClick={() => void loadMore()}>
                {t('whLoadMore')}
              </button>
            )}
          </>
        )}
      </Async>
    </section>
  );
}

/** One ticket's emails (loaded with this chunk by tickets/emails.tsx; a 403 shows nothing). */
export function TicketEmailList(props: { api: StaffApi; ticketId: string; updatedAt: string }) {
  const { t, locale } = useI18n();
  const emails = useResource(async () => {
    try {
      return await props.api.call<{ items: OutboxEmail[] }>(`/email/outbox?ticketId=${encodeURIComponent(props.ticketId)}`);
    } catch (err) {
      // A role without the outbox (when the staff list did not say) sees no section rather than an error.
      if (err instanceof ApiError && err.status === 403) return { items: [], forbidden: true };
      throw err;
    }
  }, [props.api, props.ticketId, props.updatedAt]);
  if (emails.data && 'forbidden' in emails.data) return null;
  return (
    <section class="ticket-emails" aria-labelledby="ticket-emails-heading">
      <h3 id="ticket-emails-heading">{t('emTicketHeading')}</h3>
      <Async resource={emails} isEmpty={(d) => d.items.length === 0} empty={t('emTicketEmpty')}>
        {(d) => <DataTable<OutboxEmail> rows={d.items} rowKey={(e) => e.messageId} caption={t('emTicketHeading')} columns={compactColumns(t, locale)} />}
      </Async>
    </section>
  );
}
