/** Settings › calendars: business hours per weekday, time zone and holidays. */
import { useState } from 'preact/hooks';
import type { FieldError } from '../../lib/http.ts';
import { type ConsoleKey, useI18n } from '../i18n.ts';
import { carryNotice, DataTable, fieldHelpers, type Notice, NoticeLine, TextField, takeNotice } from '../kit/index.ts';
import { type CalendarForm, CONFIG_ID, calendarBody, calendarForm, WEEKDAYS } from '../settings-state.ts';
import { unclaimed } from '../tickets-state.ts';
import { BackLink, calendarName, ListHead, type Lookups, SaveButton, type SectionProps, submitForm } from './common.tsx';

const DAY_LABEL: ConsoleKey[] = ['dayMon', 'dayTue', 'dayWed', 'dayThu', 'dayFri', 'daySat', 'daySun'];
const ZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'UTC',
];

interface Row {
  id: string;
  timeZone: string;
  hours: string;
  holidays: string;
  link: boolean;
}

export function CalendarList({ lookups }: { lookups: Lookups }) {
  const { t } = useI18n();
  const rows: Row[] = [
    { id: '24x7', timeZone: 'UTC', hours: t('cal24x7Hint'), holidays: '–', link: false },
    ...Object.entries(lookups.config.calendars).map(([id, c]) => ({
      id,
      timeZone: c.timeZone,
      hours:
        WEEKDAYS.filter((d) => c.days[d])
          .map((d) => `${t(DAY_LABEL[Number(d) - 1]!)} ${c.days[d]![0]}–${c.days[d]![1]}`)
          .join(' · ') || t('setClosedAll'),
      holidays: String(c.holidays?.length ?? 0),
      link: true,
    })),
  ];
  return (
    <>
      <ListHead title="setCalendars" intro="setCalendarsIntro" newHref="#/settings/calendars/new" />
      <DataTable<Row>
        rows={rows}
        rowKey={(r) => r.id}
        columns={[
          {
            key: 'name',
            header: t('setName'),
            cell: (r) =>
              r.link ? (
                <>
                  <a href={`#/settings/calendars/${encodeURIComponent(r.id)}`}>{calendarName(r.id, t)}</a>
                  <div class="muted small mono">{r.id}</div>
                </>
              ) : (
                calendarName(r.id, t)
              ),
          },
          { key: 'zone', header: t('setTimeZone'), cell: (r) => r.timeZone },
          { key: 'hours', header: t('setHours'), cell: (r) => r.hours },
          { key: 'holidays', header: t('setHolidays'), cell: (r) => r.holidays },
        ]}
      />
    </>
  );
}

export function CalendarEditor(props: SectionProps & { calendarId: string }) {
  const { t } = useI18n();
  const creating = props.calendarId === 'new';
  const existing = props.lookups.config.calendars[props.calendarId];
  const [form, setForm] = useState<CalendarForm>(() => calendarForm(creating ? '' : props.calendarId, existing));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | undefined>(() => takeNotice(`calendar:${props.calendarId}`));
  const [busy, setBusy] = useState(false);
  const f = fieldHelpers(errors, 'cal');
  if (props.calendarId === '24x7') return <p class="notice">{t('cal24x7Hint')}</p>;
  if (!creating && !existing) return <p class="error">{t('setNotFound')}</p>;

  const setDay = (d: (typeof WEEKDAYS)[number], patch: Partial<CalendarForm['days']['1']>) =>
    setForm((x) => ({ ...x, days: { ...x.days, [d]: { ...x.days[d], ...patch } } }));
  const save = (event: Event) => {
    event.preventDefault();
    void submitForm(
      { setBusy, setErrors, setNotice },
      t,
      CONFIG_ID.test(form.calendarId) && form.calendarId !== '24x7' ? undefined : { path: 'calendarId', message: t('setIdRule') },
      async () => {
        await props.api.put(`/ticket-config/calendars/${encodeURIComponent(form.calendarId)}`, calendarBody(form));
        await props.onSaved();
      },
      () => ({ kind: 'ok', text: t('setSaved') }),
      (_, saved) => {
        if (!creating) return;
        carryNotice(`calendar:${form.calendarId}`, saved);
        location.replace(`#/settings/calendars/${encodeURIComponent(form.calendarId)}`);
      },
    );
  };

  const other = unclaimed(errors, ['calendarId', 'timeZone', 'days', 'holidays']);
  return (
    <form class="kb-form" onSubmit={save} noValidate aria-labelledby="calendar-heading">
      <BackLink href="#/settings/calendars" />
      <h2 id="calendar-heading">{creating ? t('setNewCalendar') : t('setEditCalendar', { name: calendarName(props.calendarId, t) })}</h2>
      {props.calendarId === 'shop' && <p class="muted small">{t('calShopHint')}</p>}
      <NoticeLine notice={notice && { ...notice, extra: other }} />
      <div class="kb-fields">
        <TextField
          id="cal-id"
          label={t('setId')}
          inputClass="mono"
          value={form.calendarId}
          readOnly={!creating}
          maxLength={40}
          errors={f}
          path="calendarId"
          onInput={(v) => setForm((x) => ({ ...x, calendarId: v.trim() }))}
        />
        <div class="field">
          <label for="cal-zone">{t('setTimeZone')}</label>
          <input
            id="cal-zone"
            list="cal-zones"
            value={form.timeZone}
            {...f.invalidOf('timeZone')}
            onInput={(e) => setForm((x) => ({ ...x, timeZone: e.currentTarget.value }))}
          />
          <datalist id="cal-zones">
            {ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          {f.errorOf('timeZone')}
        </div>
      </div>
      <fieldset class="field">
        <legend class="label">{t('setHours')}</legend>
        <p class="muted small">{t('setHoursHint')}</p>
        <table class="grid-table">
          <thead>
            <tr>
              <th scope="col">{t('setDay')}</th>
              <th scope="col">{t('setOpen')}</th>
              <th scope="col">{t('setFrom')}</th>
              <th scope="col">{t('setTo')}</th>
            </tr>
          </thead>
          <tbody>
            {WEEKDAYS.map((d) => {
              const day = form.days[d];
              const label = t(DAY_LABEL[Number(d) - 1]!);
              return (
                <tr key={d}>
                  <th scope="row">{label}</th>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('setOpenOn', { day: label })}
                      checked={day.open}
                      onChange={(e) => setDay(d, { open: e.currentTarget.checked })}
                    />
                  </td>
                  <td>
                    <input
                      class="time"
                      aria-label={`${label} ${t('setFrom')}`}
                      placeholder="09:00"
                      disabled={!day.open}
                      value={day.from}
                      {...f.invalidOf(`days.${d}.0`)}
                      onInput={(e) => setDay(d, { from: e.currentTarget.value })}
                    />
                    {f.errorOf(`days.${d}.0`)}
                  </td>
                  <td>
                    <input
                      class="time"
                      aria-label={`${label} ${t('setTo')}`}
                      placeholder="18:00"
                      disabled={!day.open}
                      value={day.to}
                      {...f.invalidOf(`days.${d}.1`)}
                      onInput={(e) => setDay(d, { to: e.currentTarget.value })}
                    />
                    {f.errorOf(`days.${d}.1`)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </fieldset>
      <TextField
        id="cal-holidays"
        class="narrow"
        label={t('setHolidays')}
        rows={5}
        inputClass="mono"
        placeholder="2026-10-01"
        value={form.holidays}
        errors={f}
        path="holidays"
        hint={t('setHolidaysHint')}
        onInput={(v) => setForm((x) => ({ ...x, holidays: v }))}
      />
      <SaveButton busy={busy} />
    </form>
  );
}
