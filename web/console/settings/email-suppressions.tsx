/**
 * Settings › 邮件 › 退信与投诉名单 (admins; its own chunk, opened from the email outbox): the
 * addresses the sender sends nothing more — hard bounces, complaints, admins' entries — newest
 * first or filtered by the start of the address; lift one (with a confirmation) or add one by hand.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatTime } from '../../lib/format.ts';
import { ApiError, type FieldError } from '../../lib/http.ts';
import '../i18n-suppressions.ts';
import { type Translate, useI18n } from '../i18n.ts';
import { Async, type Column, DataTable, failureNotice, fieldHelpers, LoadError, type Notice, NoticeLine, TextField, usePagedResource } from '../kit/index.ts';
import { type SettingsSectionProps, submitForm } from './common.tsx';

/** One suppressed address as `GET /email/suppressions` answers it. */
export interface SuppressedAddress {
  address: string;
  reason: 'bounce' | 'complaint' | 'manual';
  at: string;
  source: string;
  note?: string;
  by?: string;
}

interface Page {
  items: SuppressedAddress[];
  cursor?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function reasonLabel(reason: string, t: Translate): string {
  return reason === 'bounce' ? t('supReasonBounce') : reason === 'complaint' ? t('supReasonComplaint') : reason === 'manual' ? t('supReasonManual') : reason;
}

/** The list with its filter, lift buttons and paging, and the form that adds an address. */
export function SuppressedAddresses(props: SettingsSectionProps) {
  const { t } = useI18n();
  const [filter, setFilter] = useState('');
  const [applied, setApplied] = useState('');
  const [notice, setNotice] = useState<Notice>();
  const query = (cursor?: string) => {
    const q = new URLSearchParams();
    if (applied) q.set('q', applied);
    if (cursor) q.set('cursor', cursor);
    const text = q.toString();
    return `/email/suppressions${text ? `?${text}` : ''}`;
  };
  const { first, rows, cursor, loadMore, moreError } = usePagedResource((c?: string) => props.api.call<Page>(query(c)), [props.api, applied]);
  const changed = async (n: Notice) => {
    await first.reload();
    setNotice(n);
  };

  return (
    <section class="email-suppressions" aria-labelledby="suppressions-heading">
      <p>
        <a href="#/settings/email">{t('supBack')}</a>
      </p>
      <div class="kb-head">
        <h2 id="suppressions-heading">{t('supHeading')}</h2>
        <button type="button" class="btn small" disabled={first.loading} onClick={() => void first.reload()}>
          {t('supRefresh')}
        </button>
      </div>
      <p class="muted small">{t('supIntro')}</p>
      <NoticeLine notice={notice} />
      <form
        class="kb-filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filter.trim().toLowerCase());
        }}
      >
        <TextField
          id="suppressions-filter"
          class="grow"
          type="search"
          label={t('supFilter')}
          hint={t('supFilterHint')}
          value={filter}
          maxLength={254}
          onInput={setFilter}
        />
        <button type="submit" class="btn">
          {t('supFilterApply')}
        </button>
        {applied && (
          <button
            type="button"
            class="btn"
            onClick={() => {
              setFilter('');
              setApplied('');
            }}
          >
            {t('supFilterClear')}
          </button>
        )}
      </form>
      <Async resource={first}>
        {() => (
          <>
            <SuppressionTable rows={rows} empty={applied ? t('supEmptyFiltered', { q: applied }) : t('supEmpty')} {...props} onChanged={changed} />
            {moreError && <LoadError message={moreError} onRetry={() => void loadMore()} />}
            {cursor && (
              <button type="button" class="btn" onClick={() => void loadMore()}>
                {t('supLoadMore')}
              </button>
            )}
          </>
        )}
      </Async>
      <AddSuppression {...props} onAdded={changed} />
    </section>
  );
}

function SuppressionTable(props: SettingsSectionProps & { rows: SuppressedAddress[]; empty: string; onChanged: (notice: Notice) => Promise<void> }) {
  const { t, locale } = useI18n();
  const [confirming, setConfirming] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Notice>();
  const yesRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) yesRef.current?.focus();
  }, [confirming]);

  const lift = async (address: string) => {
    setBusy(true);
    setFailure(undefined);
    try {
      await props.api.delete(`/email/suppressions/${encodeURIComponent(address)}`);
      setConfirming(undefined);
      await props.onChanged({ kind: 'ok', text: t('supLifted', { address }) });
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        setConfirming(undefined);
        await props.onChanged({ kind: 'conflict', text: t('supLiftGone', { address }) });
      } else setFailure(failureNotice(err, t));
    } finally {
      setBusy(false);
    }
  };

  const columns: Column<SuppressedAddress>[] = [
    { key: 'address', header: t('supColAddress'), rowHeader: true, cell: (s) => <span class="mono">{s.address}</span> },
    {
      key: 'reason',
      header: t('supColReason'),
      cell: (s) => <span class={`badge ${s.reason === 'manual' ? 'muted' : 'danger-bg'}`}>{reasonLabel(s.reason, t)}</span>,
    },
    { key: 'when', header: t('supColWhen'), cell: (s) => <time dateTime={s.at}>{formatTime(s.at, locale)}</time> },
    {
      key: 'source',
      header: t('supColSource'),
      cell: (s) =>
        s.reason === 'manual' ? (
          <>
            {t('supSourceManual')}
            {s.note && <div class="muted small">{s.note}</div>}
          </>
        ) : (
          <span class="mono small">{s.source}</span>
        ),
    },
    {
      key: 'actions',
      header: t('supColActions'),
      cell: (s) =>
        confirming === s.address ? (
          <span class="confirm" role="group" aria-label={t('supLiftConfirm', { address: s.address })}>
            <span>{t('supLiftConfirm', { address: s.address })}</span>{' '}
            <button ref={yesRef} type="button" class="btn danger" disabled={busy} onClick={() => void lift(s.address)}>
              {busy ? t('supLifting') : t('supLiftYes')}
            </button>{' '}
            <button type="button" class="btn" onClick={() => setConfirming(undefined)}>
              {t('supLiftNo')}
            </button>
          </span>
        ) : (
          <button type="button" class="btn small" aria-label={`${t('supLift')} ${s.address}`} onClick={() => setConfirming(s.address)}>
            {t('supLift')}
          </button>
        ),
    },
  ];
  return (
    <>
      <NoticeLine notice={failure} />
      <DataTable<SuppressedAddress>
        rows={props.rows}
        rowKey={(s) => s.address}
        caption={t('supHeading')}
        empty={props.empty}
        rowProps={(s) => ({ 'data-address': s.address })}
        columns={columns}
      />
    </>
  );
}

function AddSuppression(props: SettingsSectionProps & { onAdded: (notice: Notice) => Promise<void> }) {
  const { t } = useI18n();
  const [address, setAddress] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice>();
  const f = fieldHelpers(errors, 'suppression');

  const submit = async (e: Event) => {
    e.preventDefault();
    const value = address.trim().toLowerCase();
    const invalid = EMAIL.test(value) ? undefined : { path: 'address', message: t('supAddInvalid') };
    await submitForm(
      { setBusy, setErrors, setNotice },
      t,
      invalid,
      () => props.api.call<SuppressedAddress>('/email/suppressions', { address: value, ...(note.trim() ? { note: note.trim() } : {}) }),
      (added) => ({ kind: 'ok', text: t('supAdded', { address: added.address }) }),
      (_added, done) => {
        setAddress('');
        setNote('');
        setNotice(undefined);
        void props.onAdded(done);
      },
    );
  };

  return (
    <form class="kb-form" aria-labelledby="suppression-add-heading" noValidate onSubmit={(e) => void submit(e)}>
      <h3 id="suppression-add-heading">{t('supAddHeading')}</h3>
      <NoticeLine notice={notice?.kind === 'conflict' ? { kind: 'conflict', text: t('supExists', { address: address.trim().toLowerCase() }) } : notice} />
      <TextField
        id="suppression-address"
        type="email"
        label={t('supAddress')}
        value={address}
        maxLength={254}
        autocomplete="off"
        required
        errors={f}
        path="address"
        onInput={setAddress}
      />
      <TextField
        id="suppression-note"
        label={t('supNote')}
        hint={t('supNoteHint')}
        value={note}
        rows={2}
        maxLength={500}
        errors={f}
        path="note"
        onInput={setNote}
      />
      <div class="kb-actions">
        <button type="submit" class="btn primary" disabled={busy}>
          {busy ? t('supAdding') : t('supAdd')}
        </button>
      </div>
    </form>
  );
}
