/**
 * Settings › 访问日志 (admins): who looked at which customer's personal data, searched by staff
 * member, by customer or by day (`GET /access-log`), exported as CSV (`/access-log/export.csv`),
 * and how long entries are kept (`/access-log/settings`, versioned).
 */
import { useEffect, useState } from 'preact/hooks';
import type { AccessAction, AccessEntry, AccessLogSettings } from '../../../shared/privacy/access-log.ts';
import { formatTime } from '../../lib/format.ts';
import { ApiError, type FieldError } from '../../lib/http.ts';
import '../i18n-privacy.ts';
import { type ConsoleKey, type Translate, useI18n } from '../i18n.ts';
import type { StaffMember } from '../inbox-store.ts';
import { Async, DataTable, errorMessage, failureNotice, fieldHelpers, type Notice, NoticeLine, SelectField, TextField, useResource } from '../kit/index.ts';
import type { SettingsSectionProps } from './common.tsx';

interface Page {
  items: AccessEntry[];
  cursor?: string;
}

interface Filters {
  staff: string;
  contactId: string;
  day: string;
}

const PAGE = 50;

const ACTION_LABEL: Record<AccessAction, ConsoleKey> = {
  view_360: 'prvActView360',
  conversation: 'prvActConversation',
  reveal: 'prvActReveal',
  export: 'prvActExport',
};

const FIELD_LABEL: Record<string, ConsoleKey> = {
  name: 'prvName',
  email: 'prvEmail',
  phone: 'prvPhone',
  address: 'prvAddress',
  birthday: 'prvBirthday',
  orders: 'prvFieldOrders',
  conversations: 'prvFieldConversations',
  points: 'prvFieldPoints',
  messages: 'prvFieldMessages',
  profile: 'prvFieldProfile',
  consentLog: 'prvFieldConsent',
  tickets: 'prvFieldTickets',
  surveys: 'prvFieldSurveys',
  pointsLedger: 'prvFieldLedger',
  internalNotes: 'prvFieldNotes',
};

/** The fields of an entry as an admin reads them (unknown names as they are). */
export function fieldsText(fields: readonly string[], t: Translate, sep: string): string {
  return fields.map((f) => (FIELD_LABEL[f] ? t(FIELD_LABEL[f]) : f)).join(sep);
}

/** The query string of a search (the day only counts without a staff member or customer). */
export function accessQuery(f: Filters): string {
  const q = new URLSearchParams();
  if (f.staff) q.set('staff', f.staff);
  if (f.contactId.trim()) q.set('contactId', f.contactId.trim());
  if (!f.staff && !f.contactId.trim() && f.day) q.set('day', f.day);
  return q.toString();
}

const today = () => new Date().toISOString().slice(0, 10);

export function AccessLogSettingsSection(props: SettingsSectionProps) {
  const { t } = useI18n();
  return (
    <section class="access-log" aria-labelledby="access-log-heading">
      <h2 id="access-log-heading">{t('prvLogHeading')}</h2>
      <p class="muted small">{t('prvLogIntro')}</p>
      <RetentionForm {...props} />
      <AccessLogSearch {...props} />
    </section>
  );
}

function AccessLogSearch(props: SettingsSectionProps) {
  const { t, locale } = useI18n();
  const staff = useResource(() => props.api.call<{ items: StaffMember[] }>('/staff'), [props.api]);
  const [draft, setDraft] = useState<Filters>({ staff: '', contactId: props.itemId ?? '', day: today() });
  const [applied, setApplied] = useState<Filters>(draft);
  const log = useResource(() => props.api.call<Page>(`/access-log?${accessQuery(applied)}&limit=${PAGE}`), [props.api, applied]);
  const [older, setOlder] = useState<Page>();
  const [notice, setNotice] = useState<Notice>();
  const [exporting, setExporting] = useState(false);
  useEffect(() => setOlder(undefined), [log.data]);
  const names = new Map((staff.data?.items ?? []).map((s) => [s.sub, s.name || s.email]));

  const cursor = older ? older.cursor : log.data?.cursor;
  const loadMore = async () => {
    if (!cursor) return;
    try {
      const page = await props.api.call<Page>(`/access-log?${accessQuery(applied)}&limit=${PAGE}&cursor=${encodeURIComponent(cursor)}`);
      setOlder((x) => ({ items: [...(x?.items ?? []), ...page.items], cursor: page.cursor }));
    } catch (err) {
      setNotice({ kind: 'error', text: t('loadFailed', { message: errorMessage(err) }) });
    }
  };

  const exportCsv = async () => {
    setExporting(true);
    setNotice(undefined);
    try {
      const { blob, filename } = await props.api.download(`/access-log/export.csv?${accessQuery(applied)}`);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = filename ?? 'kefu-access-log.csv';
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setNotice({ kind: 'error', text: t('prvExportFailed', { message: errorMessage(err) }) });
    } finally {
      setExporting(false);
    }
  };

  const search = (e: Event) => {
    e.preventDefault();
    setNotice(undefined);
    if (accessQuery(draft) === accessQuery(applied)) void log.reload();
    else setApplied({ ...draft });
  };

  return (
    <div class="kb-form access-log-search">
      <form class="kb-fields" onSubmit={search} noValidate>
        <SelectField
          id="access-staff"
          label={t('prvFilterStaff')}
          value={draft.staff}
          blank={t('prvAllStaff')}
          options={(staff.data?.items ?? []).map((s) => ({ value: s.sub, label: s.name || s.email }))}
          onChange={(v) => setDraft((d) => ({ ...d, staff: v }))}
        />
        <TextField
          id="access-contact"
          label={t('prvFilterContact')}
          inputClass="mono"
          value={draft.contactId}
          maxLength={128}
          onInput={(v) => setDraft((d) => ({ ...d, contactId: v }))}
        />
        <TextField
          id="access-day"
          label={t('prvFilterDay')}
          type="date"
          value={draft.day}
          hint={t('prvFilterDayHint')}
          onInput={(v) => setDraft((d) => ({ ...d, day: v }))}
        />
        <div class="kb-actions">
          <button type="submit" class="btn primary">
            {t('prvSearch')}
          </button>
          <button type="button" class="btn" disabled={exporting} onClick={() => void exportCsv()}>
            {exporting ? t('prvExporting') : t('prvExport')}
          </button>
        </div>
      </form>
      <NoticeLine notice={notice} />
      <Async resource={log} isEmpty={(page) => page.items.length === 0} empty={t('prvEmpty')}>
        {(page) => (
          <>
            <DataTable<AccessEntry>
              rows={[...page.items, ...(older?.items ?? [])]}
              rowKey={(e) => e.entryId}
              caption={t('prvLogHeading')}
              rowProps={(e) => ({ 'data-action': e.action, 'data-entry': e.entryId })}
              columns={[
                { key: 'at', header: t('prvColTime'), cell: (e) => <time dateTime={e.at}>{formatTime(e.at, locale)}</time> },
                { key: 'staff', header: t('prvColStaff'), rowHeader: true, cell: (e) => names.get(e.staff.sub) ?? e.staff.name },
                { key: 'contact', header: t('prvColContact'), class: 'mono', cell: (e) => e.contactId },
                { key: 'action', header: t('prvColAction'), cell: (e) => (ACTION_LABEL[e.action] ? t(ACTION_LABEL[e.action]) : e.action) },
                {
                  key: 'fields',
                  header: t('prvColFields'),
                  cell: (e) => (
                    <>
                      {fieldsText(e.fields, t, locale === 'en' ? ', ' : '、')}
                      {e.masked && <span class="muted small"> ({t('prvMasked')})</span>}
                    </>
                  ),
                },
                { key: 'reason', header: t('prvColReason'), cell: (e) => e.reason ?? '' },
              ]}
            />
            {cursor && (
              <button type="button" class="btn small" onClick={() => void loadMore()}>
                {t('prvMore')}
              </button>
            )}
          </>
        )}
      </Async>
    </div>
  );
}

type SettingsView = AccessLogSettings & { bounds: { min: number; max: number } };

function RetentionForm(props: SettingsSectionProps) {
  const { t } = useI18n();
  const settings = useResource(() => props.api.call<SettingsView>('/access-log/settings'), [props.api]);
  const [days, setDays] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (settings.data) setDays(String(settings.data.retentionDays));
  }, [settings.data?.version]);

  const save = async (e: Event, current: SettingsView) => {
    e.preventDefault();
    const n = Number(days.trim());
    const { min, max } = current.bounds;
    if (!/^\d+$/.test(days.trim()) || n < min || n > max) {
      setErrors([{ path: 'retentionDays', message: t('prvRetentionInvalid', { min, max }) }]);
      setNotice({ kind: 'error', text: t('kitInvalid') });
      return;
    }
    setBusy(true);
    setErrors([]);
    setNotice(undefined);
    try {
      const saved = await props.api.put<SettingsView>('/access-log/settings', { version: current.version, retentionDays: n });
      settings.set(saved);
      setNotice({ kind: 'ok', text: t('prvRetentionSaved', { days: saved.retentionDays }) });
    } catch (err) {
      setNotice(failureNotice(err, t, t('prvRetentionConflict')));
      if (err instanceof ApiError && err.status === 409) await settings.reload();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Async resource={settings}>
      {(current) => (
        <form class="kb-form retention" onSubmit={(e) => void save(e, current)} noValidate aria-labelledby="access-retention-heading">
          <h3 id="access-retention-heading">{t('prvRetention')}</h3>
          <TextField
            id="access-retention"
            label={t('prvRetentionDays')}
            type="number"
            min={current.bounds.min}
            max={current.bounds.max}
            value={days}
            onInput={setDays}
            errors={fieldHelpers(errors, 'access-retention')}
            path="retentionDays"
            hint={t('prvRetentionHint', { min: current.bounds.min, max: current.bounds.max })}
          />
          <div class="kb-actions">
            <button type="submit" class="btn primary" disabled={busy}>
              {busy ? t('saving') : t('prvRetentionSave')}
            </button>
          </div>
          <NoticeLine notice={notice} />
        </form>
      )}
    </Async>
  );
}
